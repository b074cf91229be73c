#include "profile_support.h"

extern "C" uint32_t __stack_limit[];
extern "C" uint32_t __stack_top[];

namespace tierml::firmware {
namespace {
constexpr uint32_t kStackPaint = 0x5AA5C33Cu;
}  // namespace

Line& Line::text(const char* s) {
  while (*s && n_ < kCapacity - 2) buffer_[n_++] = *s++;
  return *this;
}

Line& Line::number(uint32_t value) {
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

Line::~Line() {
  buffer_[n_++] = '\n';
  buffer_[n_] = '\0';
  sh_write0(buffer_);
}

__attribute__((noinline)) void paint_stack() {
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = __stack_limit; p < sp - 16; ++p) *p = kStackPaint;
}

uint32_t stack_used() {
  const uint32_t* p = __stack_limit;
  while (p < __stack_top && *p == kStackPaint) ++p;
  if (p == __stack_limit) return 0;
  return static_cast<uint32_t>(reinterpret_cast<const char*>(__stack_top) -
                               reinterpret_cast<const char*>(p));
}

int load_inputs(int count, SpanAt at) {
  const int handle = sh_open("input.bin", SH_MODE_RB);
  bool ok = handle >= 0;
  if (ok) {
    size_t total = 0;
    for (int i = 0; i < count; ++i) total += at(i).bytes;
    ok = sh_flen(handle) == static_cast<long>(total);
    for (int i = 0; ok && i < count; ++i) {
      const Span span = at(i);
      ok = sh_read(handle, span.data, span.bytes) == 0;
    }
    sh_close(handle);
  }
  if (ok) return TM_EXIT_OK;
  Line("error").text(" cannot read input.bin with the expected input size");
  return TM_EXIT_IO_FAILED;
}

uint32_t hash_buffers(int count, SpanAt at) {
  uint32_t hash = 2166136261u;  // FNV-1a
  for (int i = 0; i < count; ++i) {
    const Span span = at(i);
    const uint8_t* p = static_cast<const uint8_t*>(span.data);
    for (size_t k = 0; k < span.bytes; ++k) hash = (hash ^ p[k]) * 16777619u;
  }
  return hash;
}

TM_MEASURE Timing g_timing;

int report_timed(int count, SpanAt output_at) {
  const Timing& t = g_timing;
  Line("inference").number(t.c0).number(t.h0).number(t.c1).number(t.h1);
  if (t.stack == 0) {
    Line("error").text(" stack overflow");
    return TM_EXIT_STACK_OVERFLOW;
  }
  Line("stack").number(t.stack);
  const int handle = sh_open("output.bin", SH_MODE_WB);
  bool ok = handle >= 0;
  for (int i = 0; ok && i < count; ++i) {
    const Span span = output_at(i);
    ok = sh_write(handle, span.data, span.bytes) == 0;
  }
  if (handle >= 0) sh_close(handle);
  if (ok) return TM_EXIT_OK;
  Line("error").text(" cannot write output.bin");
  return TM_EXIT_IO_FAILED;
}

}  // namespace tierml::firmware
