#include "hybrid/disk_queue.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "unit/hybrid/temp_dir.h"

namespace tierml::hybrid {
namespace {

std::vector<uint8_t> bytes_of(const std::string& text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}
std::string text_of(const std::vector<uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

std::vector<std::string> pending_texts(DiskQueue& queue) {
  auto records = queue.read_from(0, 1000);
  EXPECT_TRUE(records) << records.status().message();
  std::vector<std::string> out;
  for (const QueuedRecord& r : *records) out.push_back(text_of(r.payload));
  return out;
}

TEST(DiskQueue, SendsInOrderAndSurvivesReopen) {
  TempDir dir;
  {
    auto queue = DiskQueue::open(dir.path());
    ASSERT_TRUE(queue) << queue.status().message();
    for (int i = 0; i < 5; ++i) {
      auto seq = (*queue)->push(bytes_of("event-" + std::to_string(i)));
      ASSERT_TRUE(seq);
      EXPECT_EQ(*seq, static_cast<uint64_t>(i));
    }
    // Acks out of order: head moves only over the acknowledged prefix.
    ASSERT_TRUE((*queue)->ack(1).is_ok());
    EXPECT_EQ((*queue)->head(), 0u);
    ASSERT_TRUE((*queue)->ack(0).is_ok());
    EXPECT_EQ((*queue)->head(), 2u);
    EXPECT_EQ((*queue)->pending(), 3u);
  }
  auto queue = DiskQueue::open(dir.path());
  ASSERT_TRUE(queue) << queue.status().message();
  EXPECT_EQ((*queue)->recovered(), 3u);
  EXPECT_EQ(pending_texts(**queue),
            (std::vector<std::string>{"event-2", "event-3", "event-4"}));
  auto seq = (*queue)->push(bytes_of("event-5"));
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, 5u);
  auto from4 = (*queue)->read_from(4, 10);
  ASSERT_TRUE(from4);
  ASSERT_EQ(from4->size(), 2u);
  EXPECT_EQ((*from4)[0].seq, 4u);
  EXPECT_EQ(text_of((*from4)[1].payload), "event-5");
}

TEST(DiskQueue, DropsOldestWhenFullAndCountsThem) {
  TempDir dir;
  auto queue =
      DiskQueue::open(dir.path(), {.max_bytes = 30, .segment_bytes = 4096});
  ASSERT_TRUE(queue);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE((*queue)->push(bytes_of("0123456789")));  // 10 B each
  // 30 bytes hold three: the first two were dropped.
  EXPECT_EQ((*queue)->dropped(), 2u);
  EXPECT_EQ((*queue)->head(), 2u);
  EXPECT_EQ((*queue)->pending(), 3u);
  EXPECT_EQ((*queue)->pending_bytes(), 30u);
  auto too_big = (*queue)->push(std::vector<uint8_t>(31, 0));
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.status().message().find("exceeds the queue bound"),
            std::string::npos);
}

TEST(DiskQueue, RemovesDeliveredSegments) {
  TempDir dir;
  auto queue = DiskQueue::open(dir.path(),
                               {.max_bytes = 1 << 20, .segment_bytes = 4096});
  ASSERT_TRUE(queue);
  const std::vector<uint8_t> record(1000, 7);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE((*queue)->push(record));
  const auto segments = [&] {
    int n = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir.path()))
      n += f.path().extension() == ".seg";
    return n;
  };
  EXPECT_GE(segments(), 5);
  for (uint64_t s = 0; s < 20; ++s) ASSERT_TRUE((*queue)->ack(s).is_ok());
  EXPECT_EQ(segments(), 1);  // only the active one is kept
  EXPECT_EQ((*queue)->pending(), 0u);
  // The next seq continues after a reopen even with nothing pending.
  queue->reset();
  auto again = DiskQueue::open(dir.path());
  ASSERT_TRUE(again);
  auto seq = (*again)->push(record);
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, 20u);
}

TEST(DiskQueue, CutsOffATornRecord) {
  TempDir dir;
  {
    auto queue = DiskQueue::open(dir.path());
    ASSERT_TRUE(queue);
    ASSERT_TRUE((*queue)->push(bytes_of("whole")));
    ASSERT_TRUE((*queue)->push(bytes_of("torn-record")));
  }
  std::filesystem::path segment;
  for (const auto& f : std::filesystem::directory_iterator(dir.path()))
    if (f.path().extension() == ".seg") segment = f.path();
  const auto size = std::filesystem::file_size(segment);
  std::filesystem::resize_file(segment, size - 3);  // a crash mid-append
  auto queue = DiskQueue::open(dir.path());
  ASSERT_TRUE(queue) << queue.status().message();
  EXPECT_EQ(pending_texts(**queue), (std::vector<std::string>{"whole"}));
  auto seq = (*queue)->push(bytes_of("next"));
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, 1u);
  queue->reset();
  auto reopened = DiskQueue::open(dir.path());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(pending_texts(**reopened),
            (std::vector<std::string>{"whole", "next"}));
}

}  // namespace
}  // namespace tierml::hybrid
