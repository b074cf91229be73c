// Choosing the operator order with the lowest peak of live bytes.
//
// Any topological order computes the same results (each operator reads only
// finished inputs), but on branched graphs the order decides which
// activations are alive together. The search is a depth-first branch and
// bound over topological orders with memoization on the set of operators
// already run (the bytes live after a set of operators do not depend on the
// order they ran in), scoring with the same Simulator that produces the
// plan. It is exact within its budget; past it, the best order found so far
// is returned (the first descent is a greedy order).
#ifndef TIERML_PLAN_OP_ORDER_H_
#define TIERML_PLAN_OP_ORDER_H_

#include <cstdint>
#include <vector>

#include "plan/liveness.h"

namespace tierml::plan {

struct OrderSearchResult {
  std::vector<int32_t> order;
  int64_t peak_live_bytes = 0;
  bool exhaustive = false;  // true when the budget was not reached
};

// budget: the most search nodes (operators tried) to expand.
OrderSearchResult lowest_peak_order(const GraphUses& uses,
                                    int64_t budget = 50000);

// Peak live bytes of an order (which must be topological).
int64_t order_peak(const GraphUses& uses, const std::vector<int32_t>& order);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_OP_ORDER_H_
