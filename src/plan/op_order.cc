#include "plan/op_order.h"

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

namespace tierml::plan {
namespace {

struct Child {
  int32_t op;
  int64_t peak;        // peak so far including this operator
  int64_t live_after;  // bytes live once it has run
  Simulator sim;
};

class Search {
 public:
  Search(const GraphUses& uses, int64_t budget)
      : uses_(uses),
        budget_(budget),
        successors_(uses.num_ops),
        waiting_(uses.num_ops, 0),
        key_(uses.num_ops, '0') {
    for (int32_t op = 0; op < uses.num_ops; ++op) {
      waiting_[op] = static_cast<int32_t>(uses.predecessors[op].size());
      for (int32_t p : uses.predecessors[op]) successors_[p].push_back(op);
    }
  }

  OrderSearchResult run() {
    std::vector<int32_t> ready;
    for (int32_t op = 0; op < uses_.num_ops; ++op) {
      if (waiting_[op] == 0) ready.push_back(op);
    }
    descend(Simulator(uses_), 0, ready);
    OrderSearchResult result;
    result.order = best_order_;
    result.peak_live_bytes = best_peak_;
    result.exhaustive = !out_of_budget_;
    return result;
  }

 private:
  void descend(const Simulator& sim, int64_t peak, std::vector<int32_t> ready) {
    if (path_.size() == static_cast<size_t>(uses_.num_ops)) {
      if (peak < best_peak_) {
        best_peak_ = peak;
        best_order_ = path_;
      }
      return;
    }
    std::vector<Child> children;
    children.reserve(ready.size());
    for (int32_t op : ready) {
      if (expanded_ >= budget_ && !best_order_.empty()) {
        out_of_budget_ = true;
        return;
      }
      ++expanded_;
      Child child{op, 0, 0, sim};
      child.peak = std::max(peak, child.sim.step(op));
      child.live_after = child.sim.live_bytes();
      // Every later step holds at least what is live now.
      const bool last = path_.size() + 1 == static_cast<size_t>(uses_.num_ops);
      const int64_t bound =
          last ? child.peak : std::max(child.peak, child.live_after);
      if (bound >= best_peak_) continue;
      children.push_back(std::move(child));
    }
    std::stable_sort(children.begin(), children.end(),
                     [](const Child& a, const Child& b) {
                       if (a.peak != b.peak) return a.peak < b.peak;
                       return a.live_after < b.live_after;
                     });
    for (Child& child : children) {
      if (child.peak >= best_peak_) continue;
      key_[child.op] = '1';
      auto [it, inserted] = memo_.try_emplace(key_, child.peak);
      if (!inserted && it->second <= child.peak) {
        key_[child.op] = '0';
        continue;
      }
      it->second = child.peak;
      std::vector<int32_t> next;
      next.reserve(ready.size() + successors_[child.op].size());
      for (int32_t op : ready) {
        if (op != child.op) next.push_back(op);
      }
      for (int32_t s : successors_[child.op]) {
        if (--waiting_[s] == 0) next.push_back(s);
      }
      path_.push_back(child.op);
      descend(child.sim, child.peak, std::move(next));
      path_.pop_back();
      for (int32_t s : successors_[child.op]) ++waiting_[s];
      key_[child.op] = '0';
      if (out_of_budget_) return;
    }
  }

  const GraphUses& uses_;
  int64_t budget_;
  int64_t expanded_ = 0;
  bool out_of_budget_ = false;
  std::vector<std::vector<int32_t>> successors_;
  std::vector<int32_t> waiting_;  // unfinished predecessors per operator
  std::string key_;               // '1' per operator already run
  std::unordered_map<std::string, int64_t> memo_;
  std::vector<int32_t> path_;
  std::vector<int32_t> best_order_;
  int64_t best_peak_ = std::numeric_limits<int64_t>::max();
};

}  // namespace

OrderSearchResult lowest_peak_order(const GraphUses& uses, int64_t budget) {
  return Search(uses, budget).run();
}

int64_t order_peak(const GraphUses& uses, const std::vector<int32_t>& order) {
  Simulator sim(uses);
  int64_t peak = 0;
  for (int32_t op : order) peak = std::max(peak, sim.step(op));
  return peak;
}

}  // namespace tierml::plan
