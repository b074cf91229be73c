// What both profiling firmwares (profile_main.cc for the interpreter,
// profile_compiled_main.cc for generated code) share: the board's counters,
// output lines, stack painting and exit codes.
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

// One output line, built without printf (no heap, small code).
class Line {
 public:
  explicit Line(const char* key) { text(key); }
  Line& text(const char* s) {
    while (*s && n_ < kCapacity - 2) buffer_[n_++] = *s++;
    return *this;
  }
  Line& number(uint32_t value) {
    char digits[10];
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    if (n_ < kCapacity - 2) buffer_[n_++] = ' ';
    while (count > 0 && n_ < kCapacity - 2) buffer_[n_++] = digits[--count];
    return *this;
  }
  ~Line() {
    buffer_[n_++] = '\n';
    buffer_[n_] = '\0';
    sh_write0(buffer_);
  }

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

// FNV-1a, to check that the timed run computed the same outputs.
uint32_t fnv1a(uint32_t hash, const void* data, size_t bytes);
constexpr uint32_t kFnvStart = 2166136261u;

}  // namespace tierml::firmware

#endif  // TIERML_TARGETS_PROFILE_SUPPORT_H_
