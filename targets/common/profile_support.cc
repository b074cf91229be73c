#include "profile_support.h"

extern "C" uint32_t __stack_limit[];
extern "C" uint32_t __stack_top[];

namespace tierml::firmware {
namespace {
constexpr uint32_t kStackPaint = 0x5AA5C33Cu;
}  // namespace

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

uint32_t fnv1a(uint32_t hash, const void* data, size_t bytes) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  for (size_t k = 0; k < bytes; ++k) hash = (hash ^ p[k]) * 16777619u;
  return hash;
}

}  // namespace tierml::firmware
