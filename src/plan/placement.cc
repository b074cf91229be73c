#include "plan/placement.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace tierml::plan {
namespace {

enum class Fit { kFirst, kBest };

bool overlap_in_time(const Interval& a, const Interval& b) {
  return a.first <= b.last && b.first <= a.last;
}

// Places intervals in the given order, each at the lowest (first fit) or
// tightest (best fit) gap among the already placed ones alive with it.
int64_t greedy(const std::vector<Interval>& items,
               const std::vector<int32_t>& order, Fit fit,
               std::vector<int64_t>& offsets) {
  offsets.assign(items.size(), 0);
  std::vector<int32_t> placed;  // sorted by offset
  std::vector<int32_t> clash;
  int64_t peak = 0;
  for (int32_t i : order) {
    const Interval& item = items[i];
    clash.clear();
    for (int32_t p : placed) {
      if (overlap_in_time(item, items[p])) clash.push_back(p);
    }
    int64_t candidate = 0;
    int64_t best = -1;
    int64_t best_gap = std::numeric_limits<int64_t>::max();
    for (int32_t p : clash) {
      const int64_t start = offsets[p];
      if (start >= candidate + item.bytes) {
        const int64_t gap = start - candidate;
        if (fit == Fit::kFirst) {
          best = candidate;
          break;
        }
        if (gap < best_gap) {
          best_gap = gap;
          best = candidate;
        }
      }
      candidate = std::max(candidate, start + items[p].bytes);
    }
    const int64_t offset = best >= 0 ? best : candidate;
    offsets[i] = offset;
    auto at = std::lower_bound(
        placed.begin(), placed.end(), offset,
        [&](int32_t p, int64_t value) { return offsets[p] < value; });
    placed.insert(at, i);
    peak = std::max(peak, offset + item.bytes);
  }
  return peak;
}

std::vector<int32_t> sorted_order(const std::vector<Interval>& items,
                                  bool (*before)(const Interval&,
                                                 const Interval&)) {
  std::vector<int32_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return before(items[a], items[b]);
  });
  return order;
}

int64_t life(const Interval& x) { return int64_t{x.last} - x.first + 1; }

bool by_size(const Interval& a, const Interval& b) { return a.bytes > b.bytes; }
bool by_area(const Interval& a, const Interval& b) {
  if (a.bytes * life(a) != b.bytes * life(b)) {
    return a.bytes * life(a) > b.bytes * life(b);
  }
  return a.bytes > b.bytes;
}
bool by_life(const Interval& a, const Interval& b) {
  if (life(a) != life(b)) return life(a) > life(b);
  return a.bytes > b.bytes;
}
bool by_first(const Interval& a, const Interval& b) {
  if (a.first != b.first) return a.first < b.first;
  return a.bytes > b.bytes;
}
bool by_last(const Interval& a, const Interval& b) {
  if (a.last != b.last) return a.last > b.last;
  return a.bytes > b.bytes;
}

// Deterministic pseudo-random numbers for the local search (same plan on
// every run and machine).
class Lcg {
 public:
  uint32_t next(uint32_t bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((state_ >> 33) % bound);
  }

 private:
  uint64_t state_ = 0x9E3779B97F4A7C15ULL;
};

}  // namespace

int64_t placement_floor(const std::vector<Interval>& intervals) {
  // The live sum only rises where an interval starts.
  int64_t floor = 0;
  for (const Interval& at : intervals) {
    int64_t live = 0;
    for (const Interval& other : intervals) {
      if (other.first <= at.first && at.first <= other.last) {
        live += other.bytes;
      }
    }
    floor = std::max(floor, live);
  }
  return floor;
}

Placement place_intervals(const std::vector<Interval>& intervals) {
  Placement result;
  result.floor = placement_floor(intervals);
  const auto n = static_cast<int32_t>(intervals.size());
  if (n == 0) return result;

  std::vector<int64_t> offsets;
  std::vector<int32_t> best_order;
  result.peak = std::numeric_limits<int64_t>::max();
  auto consider = [&](const std::vector<int32_t>& order) {
    for (Fit fit : {Fit::kFirst, Fit::kBest}) {
      const int64_t peak = greedy(intervals, order, fit, offsets);
      if (peak < result.peak) {
        result.peak = peak;
        result.offsets = offsets;
        best_order = order;
      }
    }
    return result.peak <= result.floor;
  };

  using Before = bool (*)(const Interval&, const Interval&);
  for (Before before : {by_size, by_area, by_life, by_first, by_last}) {
    if (consider(sorted_order(intervals, before))) return result;
  }

  if (n <= 7) {  // every placement order: at most 5040 greedy runs
    std::vector<int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    do {
      if (consider(order)) return result;
    } while (std::next_permutation(order.begin(), order.end()));
    return result;
  }

  // Local search: move one buffer earlier in the best ordering; keep moves
  // that do not make the peak worse (plateaus let the search drift).
  const int64_t work = int64_t{n} * n + 1;
  const int64_t iterations =
      std::clamp<int64_t>(int64_t{8000000} / work, 50, 4000);
  Lcg random;
  std::vector<int32_t> current = best_order;
  int64_t current_peak = result.peak;
  for (int64_t it = 0; it < iterations; ++it) {
    std::vector<int32_t> trial = current;
    const int32_t from = 1 + static_cast<int32_t>(random.next(n - 1));
    const int32_t to = static_cast<int32_t>(random.next(from));
    const int32_t moved = trial[from];
    trial.erase(trial.begin() + from);
    trial.insert(trial.begin() + to, moved);
    for (Fit fit : {Fit::kFirst, Fit::kBest}) {
      const int64_t peak = greedy(intervals, trial, fit, offsets);
      if (peak <= current_peak) {
        current = trial;
        current_peak = peak;
      }
      if (peak < result.peak) {
        result.peak = peak;
        result.offsets = offsets;
        if (peak <= result.floor) return result;
      }
    }
  }
  return result;
}

}  // namespace tierml::plan
