#if defined(__x86_64__)

#include "kernels/x86/f32_avx2.h"

namespace tierml {
namespace x86 {

bool f32_avx2_supported() {
  // libgcc's detection also checks that the OS saves the YMM registers.
  static const bool supported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return supported;
}

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
