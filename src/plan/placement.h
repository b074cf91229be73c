// Placing buffers with known lifetimes at arena offsets so that buffers
// alive at the same step never overlap, in as few bytes as possible.
//
// The problem (dynamic storage allocation) is NP-hard; its floor is the
// largest sum of sizes alive at one step. TFLM places greedily by size. Here
// several greedy placements run (orderings by size, size x lifetime,
// lifetime, first use, last use; first-fit and best-fit gap choice), then,
// unless one reached the floor, a deterministic local search perturbs the
// best ordering (moving one buffer earlier) and keeps improvements. Small
// problems (few buffers) get an exhaustive search over placement orders
// with first-fit, which finds an optimal packing among those reachable by
// first-fit.
#ifndef TIERML_PLAN_PLACEMENT_H_
#define TIERML_PLAN_PLACEMENT_H_

#include <cstdint>
#include <vector>

namespace tierml::plan {

struct Interval {
  int64_t bytes = 0;  // already aligned
  int32_t first = 0;  // first step alive
  int32_t last = 0;   // last step alive, inclusive
};

struct Placement {
  std::vector<int64_t> offsets;  // per interval
  int64_t peak = 0;              // highest end
  int64_t floor = 0;             // largest live sum: no placement does better
};

// Offsets are multiples of alignment when every size is.
Placement place_intervals(const std::vector<Interval>& intervals);

// The largest sum of sizes alive at one step.
int64_t placement_floor(const std::vector<Interval>& intervals);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_PLACEMENT_H_
