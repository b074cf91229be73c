// What the profiling firmwares (profile_main.cc for the interpreter,
// profile_compiled_main.cc for generated code, profile_features_main.cc for
// a feature pipeline) share: the board's counters, output lines, stack
// painting, the measured call and its report, file I/O and exit codes.
#ifndef TIERML_TARGETS_PROFILE_SUPPORT_H_
#define TIERML_TARGETS_PROFILE_SUPPORT_H_

#include <stddef.h>
#include <stdint.h>

#include "semihosting.h"

// Exit codes of the firmware, read by src/target/profiler.cc.
#define TM_EXIT_OK 0
#define TM_EXIT_ARENA_MISMATCH 10
#define TM_EXIT_INIT_FAILED 11
#define TM_EXIT_INVOKE_FAILED 12
#define TM_EXIT_IO_FAILED 13
#define TM_EXIT_RUNS_DIFFER 14
#define TM_EXIT_STACK_OVERFLOW 15

namespace tierml::firmware {

volatile uint32_t* const kCounter =
    reinterpret_cast<volatile uint32_t*>(TM_COUNTER_ADDRESS);
volatile uint32_t* const kClock100Hz =
    reinterpret_cast<volatile uint32_t*>(TM_CLK100HZ_ADDRESS);

// The per-layer run's own state lives in sections the RAM figure leaves out
// (sections.ld: .measure), as a production firmware would not have it.
#define TM_MEASURE __attribute__((section(".bss.tm_measure")))

// One output line, built without printf (no heap, small code); printed when
// destroyed. Out of line, so that each line costs a few calls in flash.
class Line {
 public:
  explicit Line(const char* key) { text(key); }
  Line& text(const char* s);
  Line& number(uint32_t value);
  ~Line();

 private:
  static constexpr int kCapacity = 200;
  char buffer_[kCapacity];
  int n_ = 0;
};

// Fills the stack from its limit to just below the caller's frame.
void paint_stack();
// Bytes of stack ever used since paint_stack, measured from the top; 0 when
// the paint is gone entirely (overflow).
uint32_t stack_used();

// One input or output buffer; each firmware lists its own by index.
struct Span {
  void* data;
  size_t bytes;
};
using SpanAt = Span (*)(int index);

// Fills count buffers from input.bin, back to back; TM_EXIT_OK, or
// TM_EXIT_IO_FAILED after saying so when the file is not exactly their size.
int load_inputs(int count, SpanAt at);
// FNV-1a of count buffers, to check that a timed run computed the same.
uint32_t hash_buffers(int count, SpanAt at);

// The readings around the last measured call: the counter and the 100 Hz
// counter before and after, and the stack it used. Kept in .measure, not on
// the stack, so that the measured frame is the firmware's own.
struct Timing {
  uint32_t c0, h0, c1, h1, stack;
};
extern Timing g_timing;

// Runs call() with the stack painted just before it and the counters read
// just around it, so that only the call (and the two loads) is measured.
// Inlined: an indirect call would be measured too.
template <typename Call>
__attribute__((always_inline)) inline auto timed(Call call) {
  paint_stack();
  const uint32_t h0 = *kClock100Hz;
  const uint32_t c0 = *kCounter;
  const auto result = call();
  const uint32_t c1 = *kCounter;
  const uint32_t h1 = *kClock100Hz;
  g_timing = Timing{c0, h0, c1, h1, stack_used()};
  return result;
}

// After a measured call that succeeded: prints the "inference" and "stack"
// lines and writes the count output buffers to output.bin. TM_EXIT_OK, or the
// exit code after an "error" line (stack overflow, output.bin not written).
int report_timed(int count, SpanAt output_at);

}  // namespace tierml::firmware

#endif  // TIERML_TARGETS_PROFILE_SUPPORT_H_
