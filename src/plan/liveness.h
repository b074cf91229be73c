// Liveness of a graph's arena buffers for one operator order.
//
// analyze_graph collects what does not depend on the order (who produces and
// who reads each tensor, sizes, scratch, sharing rules). Simulator then runs
// an order step by step, deciding at each operator whether its output can
// take an input's bytes (that input and everything sharing its bytes is not
// read afterwards) and keeping the bytes live; the order search uses it to
// score orders and compute_liveness to produce the plan's buffers, so both
// apply the same rules.
#ifndef TIERML_PLAN_LIVENESS_H_
#define TIERML_PLAN_LIVENESS_H_

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "model/graph.h"
#include "plan/plan.h"
#include "plan/sharing.h"

namespace tierml::plan {

struct GraphUses {
  int32_t num_ops = 0;
  int32_t num_tensors = 0;
  int64_t alignment = 16;
  // Per tensor.
  std::vector<bool> planned;           // needs arena bytes (non-constant, used)
  std::vector<bool> variable;          // state: live for every step
  std::vector<bool> pinned;            // graph output or variable: never freed
  std::vector<int32_t> producer;       // operator index, -1 if none
  std::vector<int32_t> num_consumers;  // distinct operators reading it
  std::vector<int64_t> bytes;          // exact
  std::vector<int64_t> aligned_bytes;  // rounded up to the alignment
  // Per operator.
  std::vector<std::vector<int32_t>> reads;   // distinct planned inputs
  std::vector<std::vector<int32_t>> writes;  // planned outputs
  std::vector<int64_t> scratch;              // exact scratch bytes
  std::vector<ShareRule> share;              // rules (kNone if disabled)
  // Per operator: operators that must run before it (producers of inputs).
  std::vector<std::vector<int32_t>> predecessors;
};

// malformed_model for bad tensor indices or a tensor with two producers,
// unsupported for an activation without a fixed size, invalid_argument for
// an alignment that is not a power of two.
Expected<GraphUses> analyze_graph(const model::Graph& graph, int64_t alignment,
                                  bool allow_sharing);

// True when order holds every operator once and each runs after the
// producers of its inputs.
bool is_topological(const GraphUses& uses, const std::vector<int32_t>& order);

class Simulator {
 public:
  explicit Simulator(const GraphUses& uses);

  // Runs operator op: returns the aligned bytes live during it (inputs,
  // outputs not sharing an input's bytes, scratch, state).
  int64_t step(int32_t op);

  // Aligned bytes live between steps.
  int64_t live_bytes() const { return allocated_; }
  // The tensor whose bytes t took, -1 if none.
  int32_t alias_of(int32_t t) const { return alias_[t]; }
  bool executed(int32_t op) const { return executed_[op]; }

 private:
  bool can_take(int32_t op, int32_t candidate, ShareKind kind) const;
  void release(int32_t root);

  const GraphUses* uses_;
  std::vector<int32_t> root_;     // per tensor: owner of its bytes, -1 unset
  std::vector<int32_t> pending_;  // per root: reads still to come (+pins)
  std::vector<int32_t> alias_;
  std::vector<bool> freed_;  // per root
  std::vector<bool> executed_;
  std::vector<int32_t> initial_;  // tensors live before the first step
  int64_t allocated_ = 0;
  int32_t steps_ = 0;
};

// Buffers (offsets unset) for an order: one per planned tensor, one per
// operator with scratch. group[i] names the buffer whose bytes buffer i
// shares (its own index if none); groups are what placement positions.
struct Liveness {
  std::vector<Buffer> buffers;
  std::vector<int32_t> group;
  std::vector<int64_t> live_bytes_per_step;  // aligned
  int64_t peak_live_bytes = 0;               // lower bound for placement
};

Liveness compute_liveness(const GraphUses& uses,
                          const std::vector<int32_t>& order);

}  // namespace tierml::plan

#endif  // TIERML_PLAN_LIVENESS_H_
