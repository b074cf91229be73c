#include "interpreter/arena_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace tierml {
namespace {

PlanBuffer make(size_t bytes, int32_t first, int32_t last) {
  PlanBuffer b;
  b.bytes = bytes;
  b.first = first;
  b.last = last;
  return b;
}

size_t run_planner(std::vector<PlanBuffer>& buffers) {
  std::vector<size_t> work(
      arena_planner_work_bytes(static_cast<int32_t>(buffers.size())) /
          sizeof(size_t) +
      1);
  return plan_buffers(buffers.data(), static_cast<int32_t>(buffers.size()),
                      work.data(), work.size() * sizeof(size_t));
}

// Independent check of a placement: aligned, inside the peak, and no two
// buffers alive at the same time share a byte. Returns the highest end.
size_t check_placement(const std::vector<PlanBuffer>& buffers, size_t peak) {
  size_t highest = 0;
  for (size_t i = 0; i < buffers.size(); ++i) {
    const PlanBuffer& a = buffers[i];
    EXPECT_EQ(a.offset % 16, 0u) << "buffer " << i;
    const size_t a_end = a.offset + a.bytes;
    EXPECT_LE(a_end, peak) << "buffer " << i << " ends past the peak";
    highest = std::max(highest, a.offset + (a.bytes + 15) / 16 * 16);
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      const PlanBuffer& b = buffers[j];
      const bool live_together = a.first <= b.last && b.first <= a.last;
      const bool share_bytes = a.offset < b.offset + b.bytes &&
                               b.offset < a_end && a.bytes > 0 && b.bytes > 0;
      EXPECT_FALSE(live_together && share_bytes)
          << "buffers " << i << " and " << j << " overlap";
    }
  }
  return highest;
}

// TFLM's greedy-by-size with first fit, written plainly for comparison.
size_t greedy_by_size(std::vector<PlanBuffer> buffers) {
  std::vector<size_t> order(buffers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto aligned = [](size_t b) { return (b + 15) / 16 * 16; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return aligned(buffers[a].bytes) > aligned(buffers[b].bytes);
  });
  std::vector<size_t> placed;
  size_t peak = 0;
  for (size_t i : order) {
    size_t offset = 0;
    bool moved = true;
    while (moved) {
      moved = false;
      for (size_t p : placed) {
        const bool live = buffers[i].first <= buffers[p].last &&
                          buffers[p].first <= buffers[i].last;
        if (live && offset < buffers[p].offset + aligned(buffers[p].bytes) &&
            buffers[p].offset < offset + aligned(buffers[i].bytes)) {
          offset = buffers[p].offset + aligned(buffers[p].bytes);
          moved = true;
        }
      }
    }
    buffers[i].offset = offset;
    placed.push_back(i);
    peak = std::max(peak, offset + aligned(buffers[i].bytes));
  }
  return peak;
}

TEST(ArenaPlanner, ReusesMemoryOfBuffersThatAreDead) {
  // A and C never live together: they share bytes; B sits beside both.
  // Sizes round up to 112, so the optimum is 2 * 112.
  std::vector<PlanBuffer> buffers = {make(100, 0, 1), make(100, 1, 2),
                                     make(100, 2, 3)};
  const size_t peak = run_planner(buffers);
  EXPECT_EQ(peak, 224u);
  EXPECT_EQ(check_placement(buffers, peak), peak);
  EXPECT_EQ(buffers[0].offset, buffers[2].offset);
}

TEST(ArenaPlanner, AllAliveAtOnceIsTheSum) {
  std::vector<PlanBuffer> buffers = {make(16, 0, 5), make(32, 0, 5),
                                     make(1, 0, 5)};
  const size_t peak = run_planner(buffers);
  EXPECT_EQ(peak, 16u + 32u + 16u);
  EXPECT_EQ(check_placement(buffers, peak), peak);
}

TEST(ArenaPlanner, TooLittleWorkMemoryPlansNothing) {
  std::vector<PlanBuffer> buffers = {make(16, 0, 1), make(16, 1, 2)};
  size_t work[1];
  EXPECT_EQ(plan_buffers(buffers.data(), 2, work, sizeof(work)), 0u);
}

TEST(ArenaPlanner, RandomChainsAreValidAndNoWorseThanGreedyBySize) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    const int ops = 1 + static_cast<int>(rng() % 40);
    const int count = 1 + static_cast<int>(rng() % 60);
    std::vector<PlanBuffer> buffers;
    for (int i = 0; i < count; ++i) {
      const int32_t first = static_cast<int32_t>(rng() % ops);
      const int32_t span = static_cast<int32_t>(rng() % 6);
      const int32_t last = std::min<int32_t>(ops - 1, first + span);
      const size_t bytes = (rng() % 4 == 0) ? rng() % 20000 : rng() % 600;
      buffers.push_back(make(bytes, first, last));
    }
    const size_t greedy = greedy_by_size(buffers);
    const size_t peak = run_planner(buffers);
    SCOPED_TRACE(trial);
    EXPECT_EQ(check_placement(buffers, peak), peak);
    EXPECT_GE(peak, plan_lower_bound(buffers.data(), count));
    EXPECT_LE(peak, greedy);
  }
}

}  // namespace
}  // namespace tierml
