#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2

namespace tierml {
namespace {

// __builtin_cpu_supports checks the OS saves the YMM registers too. The
// explicit init makes it safe in a static initializer, which may run before
// the compiler runtime's own.
bool detect_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

// Decided once when the library loads. A kernel run from another static
// initializer before this one sees false and takes the portable path, which
// gives the same bytes.
const bool kHasAvx2 = detect_avx2();

}  // namespace

bool cpu_has_avx2() { return kHasAvx2; }

}  // namespace tierml

#endif  // TM_X86_AVX2
