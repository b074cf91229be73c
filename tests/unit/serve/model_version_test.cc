#include "serve/model_version.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "serve_test_models.h"

namespace tierml::serve {
namespace {

using testing::classifier_bytes;
using testing::classifier_reference;
using testing::TempDir;

std::shared_ptr<ModelVersion> load_classifier(const TempDir& dir,
                                              const ModelConfig& config,
                                              int instances) {
  const auto path = dir.path() / "model.tflite";
  testing::write_file(path, classifier_bytes());
  auto version = ModelVersion::load("clf", 1, path.string(), config, instances,
                                    std::make_shared<VersionMetrics>());
  EXPECT_TRUE(version) << version.status().message();
  return version ? *version : nullptr;
}

std::shared_ptr<Job> job_for(const float x[4]) {
  auto job = std::make_shared<Job>();
  job->inputs.emplace_back(reinterpret_cast<const uint8_t*>(x),
                           reinterpret_cast<const uint8_t*>(x) + 16);
  return job;
}

TEST(ModelVersion, DescribesTheModel) {
  TempDir dir;
  auto version = load_classifier(dir, ModelConfig{}, 1);
  ASSERT_TRUE(version);
  ASSERT_EQ(version->inputs().size(), 1u);
  EXPECT_EQ(version->inputs()[0].name, "x");
  EXPECT_EQ(version->inputs()[0].shape, (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(version->outputs()[0].name, "probs");
  EXPECT_FALSE(version->outputs()[0].quantized);
}

TEST(ModelVersion, BatchedRequestsGiveTheUnbatchedResults) {
  ModelConfig config;
  config.max_batch_size = 8;
  config.max_queue_delay = std::chrono::milliseconds(200);
  TempDir dir;
  auto version = load_classifier(dir, config, 2);
  ASSERT_TRUE(version);
  constexpr int kRequests = 24;
  float inputs[kRequests][4];
  std::vector<std::shared_ptr<Job>> jobs;
  for (int i = 0; i < kRequests; ++i) {
    for (int j = 0; j < 4; ++j) inputs[i][j] = 0.5f * i - j * (i % 3);
    jobs.push_back(job_for(inputs[i]));
    ASSERT_EQ(version->submit(jobs.back()), SubmitResult::kAccepted);
  }
  TempDir other;
  auto alone = load_classifier(other, ModelConfig{}, 1);
  ASSERT_TRUE(alone);
  int max_batch = 0;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(jobs[i]->wait_until(Clock::now() + std::chrono::seconds(30)));
    ASSERT_TRUE(jobs[i]->status.is_ok()) << jobs[i]->status.message();
    float probs[3];
    std::memcpy(probs, jobs[i]->outputs[0].data(), 12);
    const auto expected = classifier_reference(inputs[i]);
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(probs[k], expected[k], 1e-6) << i;
    // And bit for bit what the same request gives alone.
    auto job = job_for(inputs[i]);
    ASSERT_EQ(alone->submit(job), SubmitResult::kAccepted);
    ASSERT_TRUE(job->wait_until(Clock::now() + std::chrono::seconds(30)));
    EXPECT_EQ(job->outputs, jobs[i]->outputs) << i;
    max_batch = std::max(max_batch, jobs[i]->batch_size);
  }
  // All 24 were queued before the 200 ms delay ran out: batches formed.
  EXPECT_GT(max_batch, 1);
  EXPECT_LE(max_batch, 8);
  EXPECT_EQ(version->metrics().batch_size.sum(), kRequests);
}

TEST(ModelVersion, StoppedVersionRefusesButFinishesQueuedWork) {
  ModelConfig config;
  config.max_batch_size = 4;
  config.max_queue_delay = std::chrono::seconds(5);  // flushed by stop()
  TempDir dir;
  auto version = load_classifier(dir, config, 1);
  ASSERT_TRUE(version);
  const float x[4] = {1, 2, 3, 4};
  auto queued = job_for(x);
  ASSERT_EQ(version->submit(queued), SubmitResult::kAccepted);
  version->stop();
  EXPECT_EQ(version->submit(job_for(x)), SubmitResult::kStopped);
  ASSERT_TRUE(queued->wait_until(Clock::now() + std::chrono::seconds(2)));
  EXPECT_TRUE(queued->status.is_ok());
  version->drain();
}

TEST(ModelVersion, QueueLimitRefusesTheOverflow) {
  ModelConfig config;
  config.max_batch_size = 8;
  config.queue_limit = 3;
  // The worker waits up to 5 s for a batch of 8, so requests stay queued and
  // the fourth finds the queue full.
  config.max_queue_delay = std::chrono::seconds(5);
  TempDir dir;
  auto version = load_classifier(dir, config, 1);
  ASSERT_TRUE(version);
  const float x[4] = {0, 0, 0, 0};
  std::vector<std::shared_ptr<Job>> jobs;
  SubmitResult last = SubmitResult::kAccepted;
  for (int i = 0; i < 4; ++i) {
    jobs.push_back(job_for(x));
    last = version->submit(jobs.back());
    if (i < 3) {
      EXPECT_EQ(last, SubmitResult::kAccepted) << i;
    }
  }
  EXPECT_EQ(last, SubmitResult::kQueueFull);
  EXPECT_EQ(version->metrics().queue_depth.load(), 3);
  version->drain();  // flushes what is queued
  for (size_t i = 0; i + 1 < jobs.size(); ++i) {
    ASSERT_TRUE(jobs[i]->wait_until(Clock::now() + std::chrono::seconds(5)));
    EXPECT_TRUE(jobs[i]->status.is_ok());
  }
}

TEST(ModelVersion, ExpiredRequestsAreNotRun) {
  ModelConfig config;
  TempDir dir;
  auto version = load_classifier(dir, config, 1);
  ASSERT_TRUE(version);
  const float x[4] = {0, 0, 0, 0};
  auto job = job_for(x);
  job->deadline = Clock::now() - std::chrono::seconds(1);
  ASSERT_EQ(version->submit(job), SubmitResult::kAccepted);
  ASSERT_TRUE(job->wait_until(Clock::now() + std::chrono::seconds(5)));
  EXPECT_TRUE(job->expired);
  EXPECT_TRUE(job->outputs.empty());
}

TEST(ModelVersion, NotifiesAQueuedJobOnItsWorkersThread) {
  ModelConfig config;
  config.max_batch_size = 2;
  config.max_queue_delay = std::chrono::milliseconds(20);  // always queued
  TempDir dir;
  auto version = load_classifier(dir, config, 1);
  ASSERT_TRUE(version);
  const float x[4] = {1, 2, 3, 4};
  auto job = job_for(x);
  std::mutex mutex;
  std::condition_variable cv;
  std::thread::id notifier;
  ASSERT_EQ(version->submit(job), SubmitResult::kAccepted);
  ASSERT_TRUE(job->notify_when_done([&] {
    std::lock_guard<std::mutex> lock(mutex);
    notifier = std::this_thread::get_id();
    cv.notify_all();
  }));
  std::unique_lock<std::mutex> lock(mutex);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5),
                          [&] { return notifier != std::thread::id(); }));
  EXPECT_NE(notifier, std::this_thread::get_id());
  EXPECT_TRUE(job->status.is_ok());
  EXPECT_FALSE(job->abandon()) << "a completed job cannot be abandoned";
  EXPECT_FALSE(job->notify_when_done([] {})) << "already complete";
}

TEST(ModelVersion, AnAbandonedJobNeverNotifies) {
  ModelConfig config;
  config.max_batch_size = 8;
  config.max_queue_delay = std::chrono::seconds(5);  // flushed by drain()
  TempDir dir;
  auto version = load_classifier(dir, config, 1);
  ASSERT_TRUE(version);
  const float x[4] = {1, 2, 3, 4};
  auto job = job_for(x);
  bool notified = false;
  ASSERT_EQ(version->submit(job), SubmitResult::kAccepted);
  ASSERT_TRUE(job->notify_when_done([&] { notified = true; }));
  EXPECT_TRUE(job->abandon());
  version->drain();
  EXPECT_FALSE(notified);
  EXPECT_TRUE(job->expired) << "the worker skipped it";
}

TEST(ModelVersion, BadFilesFailToLoad) {
  TempDir dir;
  const auto path = dir.path() / "model.tflite";
  std::vector<uint8_t> bytes = classifier_bytes();
  bytes.resize(bytes.size() / 2);
  testing::write_file(path, bytes);
  auto truncated = ModelVersion::load("m", 1, path.string(), ModelConfig{}, 1,
                                      std::make_shared<VersionMetrics>());
  EXPECT_FALSE(truncated);
  auto missing =
      ModelVersion::load("m", 1, (dir.path() / "none").string(), ModelConfig{},
                         1, std::make_shared<VersionMetrics>());
  EXPECT_FALSE(missing);
}

}  // namespace
}  // namespace tierml::serve
