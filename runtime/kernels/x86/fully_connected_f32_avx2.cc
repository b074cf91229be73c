// FULLY_CONNECTED float32 with AVX2: eight units per vector, each lane one
// unit's sum. The filter is [units][depth], so 8 x 8 tiles of it are
// transposed in registers (no copy) to give, for each input position, the
// eight units' weights as one vector. Every sum runs along the depth in
// order, each product rounded before its addition, as in the portable loop:
// the results are its bits.
#if defined(__x86_64__)

#include "kernels/x86/fully_connected_f32_avx2.h"
#include "kernels/x86/util_f32_avx2.h"

namespace tierml {
namespace x86 {
namespace {

// t[k] lane j = r[j] lane k.
TM_AVX2 inline void transpose8(const __m256 (&r)[8], __m256 (&t)[8]) {
  const __m256 a0 = _mm256_unpacklo_ps(r[0], r[1]);
  const __m256 a1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 a2 = _mm256_unpacklo_ps(r[2], r[3]);
  const __m256 a3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 a4 = _mm256_unpacklo_ps(r[4], r[5]);
  const __m256 a5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 a6 = _mm256_unpacklo_ps(r[6], r[7]);
  const __m256 a7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 b0 = _mm256_shuffle_ps(a0, a2, 0x44);
  const __m256 b1 = _mm256_shuffle_ps(a0, a2, 0xEE);
  const __m256 b2 = _mm256_shuffle_ps(a1, a3, 0x44);
  const __m256 b3 = _mm256_shuffle_ps(a1, a3, 0xEE);
  const __m256 b4 = _mm256_shuffle_ps(a4, a6, 0x44);
  const __m256 b5 = _mm256_shuffle_ps(a4, a6, 0xEE);
  const __m256 b6 = _mm256_shuffle_ps(a5, a7, 0x44);
  const __m256 b7 = _mm256_shuffle_ps(a5, a7, 0xEE);
  t[0] = _mm256_permute2f128_ps(b0, b4, 0x20);
  t[1] = _mm256_permute2f128_ps(b1, b5, 0x20);
  t[2] = _mm256_permute2f128_ps(b2, b6, 0x20);
  t[3] = _mm256_permute2f128_ps(b3, b7, 0x20);
  t[4] = _mm256_permute2f128_ps(b0, b4, 0x31);
  t[5] = _mm256_permute2f128_ps(b1, b5, 0x31);
  t[6] = _mm256_permute2f128_ps(b2, b6, 0x31);
  t[7] = _mm256_permute2f128_ps(b3, b7, 0x31);
}

// The sums of the eight units whose filter rows are w[0..7] with input x.
TM_AVX2 inline __m256 sums8(const float* x, const float* const* w,
                            int32_t depth) {
  __m256 acc = _mm256_setzero_ps();
  __m256 r[8], t[8];
  int32_t d = 0;
  for (; d + 8 <= depth; d += 8) {
    for (int j = 0; j < 8; ++j) r[j] = _mm256_loadu_ps(w[j] + d);
    transpose8(r, t);
    for (int k = 0; k < 8; ++k)
      acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(x[d + k]), t[k]));
  }
  if (d < depth) {
    const int32_t n = depth - d;
    const __m256i mask = tail_mask(n);
    for (int j = 0; j < 8; ++j) r[j] = _mm256_maskload_ps(w[j] + d, mask);
    transpose8(r, t);
    for (int32_t k = 0; k < n; ++k)
      acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(x[d + k]), t[k]));
  }
  return acc;
}

}  // namespace

bool fully_connected_f32_avx2_covers(const TmFullyConnectedParams& p) {
  return p.units >= 8 && p.depth >= 8;
}

TM_AVX2 void fully_connected_f32_avx2(const TmFullyConnectedParams& p,
                                      const float* input, const float* filter,
                                      const float* bias, float* output) {
  const __m256 lo = _mm256_set1_ps(p.act_min_f);
  const __m256 hi = _mm256_set1_ps(p.act_max_f);
  for (int32_t b = 0; b < p.batches; ++b) {
    const float* x = input + b * p.depth;
    for (int32_t u = 0; u < p.units; u += 8) {
      // Past the last unit, lanes repeat its row and are not stored.
      const int32_t n = p.units - u < 8 ? p.units - u : 8;
      const float* w[8];
      for (int j = 0; j < 8; ++j) w[j] = filter + (u + (j < n ? j : n - 1)) * p.depth;
      const __m256i mask = tail_mask(n);
      const __m256 bv =
          bias ? _mm256_maskload_ps(bias + u, mask) : _mm256_setzero_ps();
      // bias after the sum, then the portable clamp (a NaN passes: max/min
      // return their second operand when either is NaN).
      const __m256 y = _mm256_min_ps(
          hi, _mm256_max_ps(lo, _mm256_add_ps(sums8(x, w, p.depth), bv)));
      _mm256_maskstore_ps(output + u, mask, y);
    }
    output += p.units;
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
