// The int8 requantization of int8_dot.h (requantize_s8) on eight int32
// lanes at once, giving the same bytes for the parameters that
// requant_lanes_exact accepts (every valid model's).
#ifndef TIERML_KERNELS_X86_REQUANTIZE_AVX2_H_
#define TIERML_KERNELS_X86_REQUANTIZE_AVX2_H_

#include <stdint.h>

#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>

#include "kernels/quantization.h"

namespace tierml {
namespace x86 {

// Whether the lane form below equals the scalar one for this channel: not
// the saturating multiplier -2^31 (the scalar code's special case), and a
// shift whose left and right parts stay inside 31 bits.
inline bool requant_lanes_exact(int32_t multiplier, int32_t shift) {
  return multiplier != kInt32Min && shift >= -31 && shift <= 30;
}

// And for the clamp: an int8 range (the lanes saturate to int8, the scalar
// code truncates, which agree inside it) and an output offset whose
// differences with the range stay far from the int32 limits.
inline bool requant_clamp_exact(int32_t output_offset, int32_t act_min,
                                int32_t act_max) {
  return act_min >= -128 && act_max <= 127 && act_min <= act_max &&
         output_offset >= -32768 && output_offset <= 32767;
}

// multiply_by_quantized_multiplier_fast on eight lanes, in two halves: what
// depends on the channels only (MultiplierLanes, derived once where many sums
// share their channels), and the work on each vector of sums.
struct MultiplierLanes {
  __m256i m, m_odd;         // the multipliers; the odd lanes' moved down
  __m256i left, right;      // the shift's two directions, each >= 0
  __m256i mask, half_mask;  // 2^right - 1 and its half, for the rounding
};

TM_AVX2 inline MultiplierLanes multiplier_lanes(__m256i m, __m256i shift) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  return {m,    _mm256_srli_epi64(m, 32),  _mm256_max_epi32(shift, zero), right,
          mask, _mm256_srai_epi32(mask, 1)};
}

// The doubling high multiply is floor((x * m + 2^30) / 2^31) from vpmuldq's
// 64-bit products (even lanes directly, odd lanes shifted down first); that
// value fits int32, so it is bits 31..62 of the sum, moved into each lane's
// 32 bits. The rounding right shift is TFLite's RoundingDivideByPOT, in
// int32.
TM_AVX2 inline __m256i multiply_by_quantized_multiplier8(
    __m256i x, const MultiplierLanes& l) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i shifted = _mm256_sllv_epi32(x, l.left);
  const __m256i half = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(shifted, l.m), half);
  const __m256i odd = _mm256_add_epi64(
      _mm256_mul_epi32(_mm256_srli_epi64(shifted, 32), l.m_odd), half);
  const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 31),
                                          _mm256_slli_epi64(odd, 1), 0xAA);
  const __m256i remainder = _mm256_and_si256(high, l.mask);
  // half_mask + (high < 0): the comparison's true is -1, hence the sub.
  const __m256i threshold =
      _mm256_sub_epi32(l.half_mask, _mm256_cmpgt_epi32(zero, high));
  return _mm256_sub_epi32(_mm256_srav_epi32(high, l.right),
                          _mm256_cmpgt_epi32(remainder, threshold));
}

TM_AVX2 inline __m256i multiply_by_quantized_multiplier8(__m256i x, __m256i m,
                                                         __m256i shift) {
  return multiply_by_quantized_multiplier8(x, multiplier_lanes(m, shift));
}

// The clamp and output offset of requantize_s8: clamping to the range minus
// the offset, then adding it, equals adding then clamping, without the
// int32 overflow the sum could have.
struct ClampLanes {
  __m256i lo, hi, offset;
};

TM_AVX2 inline ClampLanes clamp_lanes(int32_t output_offset, int32_t act_min,
                                      int32_t act_max) {
  return {_mm256_set1_epi32(act_min - output_offset),
          _mm256_set1_epi32(act_max - output_offset),
          _mm256_set1_epi32(output_offset)};
}

// Eight int8 outputs from eight requantized values (before the clamp),
// stored at out.
TM_AVX2 inline void clamp8_store(__m256i v, const ClampLanes& c, int8_t* out) {
  v = _mm256_min_epi32(_mm256_max_epi32(v, c.lo), c.hi);
  v = _mm256_add_epi32(v, c.offset);
  const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(v),
                                        _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out),
                   _mm_packs_epi16(words, words));
}

// Eight int8 outputs from eight sums, stored at out.
TM_AVX2 inline void requantize8_store(__m256i acc, __m256i m, __m256i shift,
                                      const ClampLanes& c, int8_t* out) {
  clamp8_store(multiply_by_quantized_multiplier8(acc, m, shift), c, out);
}

}  // namespace x86
}  // namespace tierml

#endif  // TM_X86_AVX2
#endif  // TIERML_KERNELS_X86_REQUANTIZE_AVX2_H_
