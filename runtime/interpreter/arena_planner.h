// Offline-style placement of buffers with known lifetimes into one arena.
//
// Every activation tensor and scratch buffer is alive from the first operator
// that needs it to the last one. Two buffers may share bytes only when their
// lifetimes do not overlap. Finding the smallest arena is NP-hard, so the
// planner runs several greedy placements (different orderings, first-fit and
// best-fit gap choice) and keeps the one with the lowest peak. Pure logic, no
// heap: the caller provides working memory.
#ifndef TIERML_INTERPRETER_ARENA_PLANNER_H_
#define TIERML_INTERPRETER_ARENA_PLANNER_H_

#include <stddef.h>
#include <stdint.h>

namespace tierml {

// Every offset and size the planner produces is a multiple of this.
constexpr size_t kArenaAlignment = 16;

inline size_t align_up(size_t bytes, size_t alignment = kArenaAlignment) {
  return (bytes + alignment - 1) / alignment * alignment;
}

struct PlanBuffer {
  size_t bytes = 0;   // requested size; placement rounds it up
  int32_t first = 0;  // first operator index at which it is alive
  int32_t last = 0;   // last operator index at which it is alive (inclusive)
  size_t offset = 0;  // result: byte offset in the planned region
  int32_t id = 0;     // the caller's tag, untouched by the planner
};

inline bool lifetimes_overlap(const PlanBuffer& a, const PlanBuffer& b) {
  return a.first <= b.last && b.first <= a.last;
}

// Bytes of working memory plan_buffers needs for count buffers.
size_t arena_planner_work_bytes(int32_t count);

// Places buffers (fills offset) and returns the peak: the size of the region
// they need. work must hold arena_planner_work_bytes(count) bytes aligned for
// size_t. Returns 0 with no placement when work is too small (or count is 0).
size_t plan_buffers(PlanBuffer* buffers, int32_t count, void* work,
                    size_t work_bytes);

// The largest total size of simultaneously live buffers: no placement can do
// better, so it measures how close a plan is to optimal.
size_t plan_lower_bound(const PlanBuffer* buffers, int32_t count);

}  // namespace tierml

#endif  // TIERML_INTERPRETER_ARENA_PLANNER_H_
