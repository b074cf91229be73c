#include "interpreter/arena_planner.h"

namespace tierml {
namespace {

enum class Order { kSize, kSizeTimesLife, kLife, kFirstUse };
enum class Fit { kFirst, kBest };

struct Work {
  int32_t* order;   // buffers in placement order
  int32_t* placed;  // placed buffers sorted by offset
  size_t* offsets;  // offsets of the attempt in progress
  size_t* best;     // offsets of the best attempt so far
};

int32_t life(const PlanBuffer& b) { return b.last - b.first + 1; }

// True when a should be placed before b.
bool goes_before(const PlanBuffer* buffers, Order order, int32_t a, int32_t b) {
  const PlanBuffer& x = buffers[a];
  const PlanBuffer& y = buffers[b];
  const size_t xs = align_up(x.bytes);
  const size_t ys = align_up(y.bytes);
  switch (order) {
    case Order::kSize:
      if (xs != ys) return xs > ys;
      break;
    case Order::kSizeTimesLife: {
      const size_t xa = xs * static_cast<size_t>(life(x));
      const size_t ya = ys * static_cast<size_t>(life(y));
      if (xa != ya) return xa > ya;
      if (xs != ys) return xs > ys;
      break;
    }
    case Order::kLife:
      if (life(x) != life(y)) return life(x) > life(y);
      if (xs != ys) return xs > ys;
      break;
    case Order::kFirstUse:
      if (x.first != y.first) return x.first < y.first;
      if (xs != ys) return xs > ys;
      break;
  }
  return a < b;  // deterministic ties
}

void sort_order(const PlanBuffer* buffers, int32_t count, Order order,
                int32_t* out) {
  for (int32_t i = 0; i < count; ++i) {
    const int32_t item = i;
    int32_t j = i;
    while (j > 0 && goes_before(buffers, order, item, out[j - 1])) {
      out[j] = out[j - 1];
      --j;
    }
    out[j] = item;
  }
}

// Lowest (first fit) or tightest (best fit) offset where buffer b does not
// collide with any placed buffer whose lifetime overlaps its own.
size_t find_offset(const PlanBuffer* buffers, const Work& w,
                   int32_t placed_count, int32_t b, Fit fit) {
  const size_t size = align_up(buffers[b].bytes);
  size_t candidate = 0;
  size_t best = 0;
  size_t best_gap = 0;
  bool found = false;
  for (int32_t k = 0; k < placed_count; ++k) {
    const int32_t p = w.placed[k];
    if (!lifetimes_overlap(buffers[b], buffers[p])) continue;
    const size_t start = w.offsets[p];
    if (start >= candidate + size) {
      const size_t gap = start - candidate;
      if (fit == Fit::kFirst) return candidate;
      if (!found || gap < best_gap) {
        best = candidate;
        best_gap = gap;
        found = true;
      }
    }
    const size_t end = start + align_up(buffers[p].bytes);
    if (end > candidate) candidate = end;
  }
  return found ? best : candidate;
}

size_t place(const PlanBuffer* buffers, int32_t count, const Work& w, Fit fit) {
  size_t peak = 0;
  for (int32_t n = 0; n < count; ++n) {
    const int32_t b = w.order[n];
    const size_t offset = find_offset(buffers, w, n, b, fit);
    w.offsets[b] = offset;
    int32_t k = n;
    while (k > 0 && w.offsets[w.placed[k - 1]] > offset) {
      w.placed[k] = w.placed[k - 1];
      --k;
    }
    w.placed[k] = b;
    const size_t end = offset + align_up(buffers[b].bytes);
    if (end > peak) peak = end;
  }
  return peak;
}

}  // namespace

size_t arena_planner_work_bytes(int32_t count) {
  const size_t n = count > 0 ? static_cast<size_t>(count) : 0;
  return align_up(2 * n * sizeof(int32_t), sizeof(size_t)) +
         2 * n * sizeof(size_t);
}

size_t plan_buffers(PlanBuffer* buffers, int32_t count, void* work,
                    size_t work_bytes) {
  if (count <= 0 || work == nullptr ||
      work_bytes < arena_planner_work_bytes(count)) {
    return 0;
  }
  const size_t n = static_cast<size_t>(count);
  uint8_t* bytes = static_cast<uint8_t*>(work);
  Work w;
  w.order = reinterpret_cast<int32_t*>(bytes);
  w.placed = w.order + n;
  w.offsets = reinterpret_cast<size_t*>(
      bytes + align_up(2 * n * sizeof(int32_t), sizeof(size_t)));
  w.best = w.offsets + n;

  static const Order kOrders[] = {Order::kSize, Order::kSizeTimesLife,
                                  Order::kLife, Order::kFirstUse};
  static const Fit kFits[] = {Fit::kFirst, Fit::kBest};
  size_t best_peak = 0;
  bool have_best = false;
  for (Order order : kOrders) {
    sort_order(buffers, count, order, w.order);
    for (Fit fit : kFits) {
      const size_t peak = place(buffers, count, w, fit);
      if (!have_best || peak < best_peak) {
        best_peak = peak;
        have_best = true;
        for (size_t i = 0; i < n; ++i) w.best[i] = w.offsets[i];
      }
    }
  }
  for (size_t i = 0; i < n; ++i) buffers[i].offset = w.best[i];
  return best_peak;
}

size_t plan_lower_bound(const PlanBuffer* buffers, int32_t count) {
  // The maximum of the live total is reached at some buffer's first use.
  size_t bound = 0;
  for (int32_t i = 0; i < count; ++i) {
    const int32_t t = buffers[i].first;
    size_t live = 0;
    for (int32_t j = 0; j < count; ++j) {
      if (buffers[j].first <= t && t <= buffers[j].last) {
        live += align_up(buffers[j].bytes);
      }
    }
    if (live > bound) bound = live;
  }
  return bound;
}

}  // namespace tierml
