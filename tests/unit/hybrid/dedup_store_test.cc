#include "hybrid/dedup_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "unit/hybrid/temp_dir.h"

namespace tierml::hybrid {
namespace {

TEST(DedupStore, FirstRecordWinsAndIsRemembered) {
  TempDir dir;
  auto store = DedupStore::open(dir.path());
  ASSERT_TRUE(store) << store.status().message();
  auto first = (*store)->record("e1", "decision-a");
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->first);
  auto second = (*store)->record("e1", "decision-b");
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->first);
  EXPECT_EQ(second->decision, "decision-a");
  auto found = (*store)->find("e1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->value_or(""), "decision-a");
  EXPECT_FALSE((*store)->find("e2")->has_value());
}

TEST(DedupStore, TwoGatewaysSharingADirectorySeeEachOther) {
  TempDir dir;
  auto a = DedupStore::open(dir.path());
  auto b = DedupStore::open(dir.path());
  ASSERT_TRUE(a && b);
  ASSERT_TRUE((*a)->record("e1", "from-a")->first);
  auto claim = (*b)->record("e1", "from-b");
  ASSERT_TRUE(claim);
  EXPECT_FALSE(claim->first);
  EXPECT_EQ(claim->decision, "from-a");
  ASSERT_TRUE((*b)->record("e2", "from-b")->first);
  EXPECT_EQ((*a)->find("e2")->value_or(""), "from-b");
}

TEST(DedupStore, SurvivesRestartAndCutsATornLine) {
  TempDir dir;
  {
    auto store = DedupStore::open(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->record("e1", "d1")->first);
  }
  {
    std::ofstream log(dir.path() / "decisions.log", std::ios::app);
    log << R"({"id":"e2","d":"par)";  // a writer killed mid-line
  }
  auto store = DedupStore::open(dir.path());
  ASSERT_TRUE(store) << store.status().message();
  EXPECT_EQ((*store)->find("e1")->value_or(""), "d1");
  EXPECT_FALSE((*store)->find("e2")->has_value());
  ASSERT_TRUE((*store)->record("e2", "d2")->first);
  auto reopened = DedupStore::open(dir.path());
  ASSERT_TRUE(reopened);
  EXPECT_EQ((*reopened)->find("e2")->value_or(""), "d2");
  EXPECT_EQ((*reopened)->size(), 2u);
}

TEST(DedupStore, RemembersTheLastCapacityIdsAcrossCompaction) {
  TempDir dir;
  auto a = DedupStore::open(dir.path(), 3);
  auto b = DedupStore::open(dir.path(), 3);
  ASSERT_TRUE(a && b);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE((*a)->record("e" + std::to_string(i), "d")->first);
  EXPECT_EQ((*a)->size(), 3u);
  // b reads the compacted log: the last three ids are known, older ones not.
  EXPECT_TRUE((*b)->find("e9")->has_value());
  EXPECT_TRUE((*b)->find("e7")->has_value());
  EXPECT_FALSE((*b)->find("e6")->has_value());
  EXPECT_FALSE((*b)->record("e8", "x")->first);
  // The log stays bounded: at most 2 * capacity lines.
  std::ifstream log(dir.path() / "decisions.log");
  int lines = 0;
  for (std::string line; std::getline(log, line);) ++lines;
  EXPECT_LE(lines, 6);
}

}  // namespace
}  // namespace tierml::hybrid
