// Helpers shared by the AVX2 float kernels (kernels/x86/*_f32_avx2.cc),
// included only inside their x86-64 guard.
#ifndef TIERML_KERNELS_X86_UTIL_F32_AVX2_H_
#define TIERML_KERNELS_X86_UTIL_F32_AVX2_H_

#include <immintrin.h>
#include <stdint.h>

#include "kernels/window_padding.h"

// Functions using AVX2 carry the target themselves, so the rest of the
// binary runs on any x86-64.
#define TM_AVX2 __attribute__((target("avx2")))

namespace tierml {
namespace x86 {

// tm_window_taps without its divisions for windows wholly inside the input
// (most of them): the kernels call it once per output pixel.
inline void window_taps(int32_t origin, int32_t dilation, int32_t size,
                        int32_t taps, int32_t* lo, int32_t* hi) {
  if (origin >= 0 && origin + (taps - 1) * dilation < size) {
    *lo = 0;
    *hi = taps;
  } else {
    tm_window_taps(origin, dilation, size, taps, lo, hi);
  }
}

// Lanes [0, n) set, for masked loads and stores of the last n < 8 floats.
TM_AVX2 inline __m256i tail_mask(int32_t n) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lanes);
}

}  // namespace x86
}  // namespace tierml

#endif  // TIERML_KERNELS_X86_UTIL_F32_AVX2_H_
