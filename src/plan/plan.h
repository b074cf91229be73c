// The static memory plan of a model for the compiled path: where every
// activation and scratch buffer lives in one arena, in which operator order,
// and which tensors share bytes in place. The code generator emits exactly
// this plan; --explain prints it; the validator checks it independently.
#ifndef TIERML_PLAN_PLAN_H_
#define TIERML_PLAN_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/graph.h"

namespace tierml::plan {

// One buffer in the arena: an activation tensor, a variable (state) tensor
// or an operator's scratch area.
struct Buffer {
  enum class Kind { kActivation, kState, kScratch };
  Kind kind = Kind::kActivation;
  int32_t tensor = -1;    // graph tensor index; -1 for scratch
  int32_t operator_index = -1;  // scratch: the operator that uses it
  int64_t offset = 0;     // bytes from the arena start, aligned
  int64_t bytes = 0;
  // Live from the start of step first_step to the end of step last_step
  // (steps index Plan::order). State buffers are live for every step.
  int32_t first_step = 0;
  int32_t last_step = 0;
  // >= 0 when this tensor shares the bytes of another (reshape aliasing,
  // in-place elementwise): the tensor whose buffer it reuses. Such a buffer
  // has that tensor's offset and size. Generated code passes the same
  // pointer as input and output: tm_reshape is then a no-op, and the
  // elementwise kernels allowed to do this read element i before writing it
  // (plan/sharing.h lists them and why).
  int32_t aliases_tensor = -1;
};

struct Plan {
  std::vector<int32_t> order;   // operator indices in execution order
  std::vector<Buffer> buffers;  // one per non-constant tensor, plus scratch
  int64_t arena_bytes = 0;      // end of the highest buffer, aligned
  int32_t alignment = 16;
  // Bytes live at each step (sum over buffers live there, aliases once),
  // each buffer counted at its size rounded up to the alignment.
  std::vector<int64_t> live_bytes_per_step;
  // The largest of live_bytes_per_step: no placement of these lifetimes
  // needs fewer bytes, so arena_bytes - peak_live_bytes is fragmentation.
  int64_t peak_live_bytes = 0;
};

struct PlanOptions {
  int32_t alignment = 16;
  bool allow_in_place = true;    // aliasing and in-place elementwise ops
  bool reorder_operators = true; // pick the lowest-peak topological order
  // Search nodes the order search may expand before it settles for the best
  // order found (see op_order.h).
  int64_t order_search_budget = 50000;
};

Expected<Plan> plan_memory(const model::Graph& graph,
                           const PlanOptions& options = {});

// Independent check of a plan: every buffer inside the arena and aligned,
// no two buffers that are live at the same step overlap unless one aliases
// the other, the order is a topological order of the graph. Returns an
// error naming the first violation.
Status validate_plan(const model::Graph& graph, const Plan& plan);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_PLAN_H_
