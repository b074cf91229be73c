// plan_memory: liveness for a few candidate operator orders, placement of
// each, and the smallest arena wins (the model's own order on a tie, so the
// generated code follows the model when reordering gains nothing).
#include "plan/plan.h"

#include <algorithm>
#include <numeric>

#include "plan/liveness.h"
#include "plan/op_order.h"
#include "plan/placement.h"

namespace tierml::plan {
namespace {

// Kahn's algorithm, lowest operator index first; empty on a cycle.
std::vector<int32_t> stable_topological_order(const GraphUses& uses) {
  std::vector<std::vector<int32_t>> successors(uses.num_ops);
  std::vector<int32_t> waiting(uses.num_ops, 0);
  for (int32_t op = 0; op < uses.num_ops; ++op) {
    waiting[op] = static_cast<int32_t>(uses.predecessors[op].size());
    for (int32_t p : uses.predecessors[op]) successors[p].push_back(op);
  }
  std::vector<int32_t> order;
  std::vector<bool> done(uses.num_ops, false);
  while (static_cast<int32_t>(order.size()) < uses.num_ops) {
    int32_t next = -1;
    for (int32_t op = 0; op < uses.num_ops && next < 0; ++op) {
      if (!done[op] && waiting[op] == 0) next = op;
    }
    if (next < 0) return {};
    done[next] = true;
    order.push_back(next);
    for (int32_t s : successors[next]) --waiting[s];
  }
  return order;
}

Plan plan_for_order(const GraphUses& uses, const std::vector<int32_t>& order,
                    int32_t alignment) {
  Liveness live = compute_liveness(uses, order);
  const auto count = static_cast<int32_t>(live.buffers.size());
  // One interval per group of buffers sharing bytes, spanning all of them.
  std::vector<int32_t> interval_of(count, -1);
  std::vector<Interval> intervals;
  for (int32_t i = 0; i < count; ++i) {
    if (live.group[i] != i) continue;
    interval_of[i] = static_cast<int32_t>(intervals.size());
    Interval interval;
    interval.bytes =
        (live.buffers[i].bytes + alignment - 1) / alignment * alignment;
    interval.first = live.buffers[i].first_step;
    interval.last = live.buffers[i].last_step;
    intervals.push_back(interval);
  }
  for (int32_t i = 0; i < count; ++i) {
    Interval& interval = intervals[interval_of[live.group[i]]];
    interval.first = std::min(interval.first, live.buffers[i].first_step);
    interval.last = std::max(interval.last, live.buffers[i].last_step);
  }
  const Placement placement = place_intervals(intervals);

  Plan plan;
  plan.order = order;
  plan.alignment = alignment;
  plan.buffers = std::move(live.buffers);
  for (int32_t i = 0; i < count; ++i) {
    plan.buffers[i].offset = placement.offsets[interval_of[live.group[i]]];
  }
  plan.arena_bytes = placement.peak;
  plan.live_bytes_per_step = std::move(live.live_bytes_per_step);
  plan.peak_live_bytes = live.peak_live_bytes;
  return plan;
}

}  // namespace

Expected<Plan> plan_memory(const model::Graph& graph,
                           const PlanOptions& options) {
  Expected<GraphUses> uses =
      analyze_graph(graph, options.alignment, options.allow_in_place);
  if (!uses) return uses.status();

  std::vector<std::vector<int32_t>> candidates;
  std::vector<int32_t> natural(uses->num_ops);
  std::iota(natural.begin(), natural.end(), 0);
  if (!is_topological(*uses, natural)) {
    natural = stable_topological_order(*uses);
    if (natural.empty()) {
      return malformed_model(
          "the operators form a cycle: no execution order exists");
    }
  }
  candidates.push_back(natural);
  if (options.reorder_operators) {
    OrderSearchResult found =
        lowest_peak_order(*uses, options.order_search_budget);
    if (!found.order.empty() && found.order != natural &&
        is_topological(*uses, found.order)) {
      candidates.push_back(std::move(found.order));
    }
  }

  Plan best;
  bool have_best = false;
  for (const std::vector<int32_t>& order : candidates) {
    Plan plan = plan_for_order(*uses, order, options.alignment);
    if (!have_best || plan.arena_bytes < best.arena_bytes) {
      best = std::move(plan);
      have_best = true;
    }
  }
  return best;
}

}  // namespace tierml::plan
