// int8 ADD with AVX2 for operands of the output's shape (no broadcasting):
// eight elements at a time through TFLite's three requantizations (both
// inputs to the common scale, the sum to the output's), in the lanes of
// requantize_avx2.h. The last count % 8 elements go through the same lanes
// from zero-padded copies, so there is one formula for every element.
#include "kernels/x86/add_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>
#include <string.h>

#include "kernels/x86/requantize_avx2.h"

namespace tierml {
namespace {

// Offsets within this bound keep (x + offset) << 20 and the sum of both
// rescaled inputs inside int32, as in the portable code for valid models.
constexpr int32_t kMaxOffset = 255;
constexpr int32_t kMaxLeftShift = 20;

struct AddLanes {
  __m256i offset1, offset2, m1, shift1, m2, shift2, m_out, shift_out;
  __m128i left_shift;
  x86::ClampLanes clamp;
};

// Eight outputs from eight elements of each input.
TM_AVX2 inline void add8(const AddLanes& l, const int8_t* input1,
                         const int8_t* input2, int8_t* output) {
  const __m256i x1 = _mm256_cvtepi8_epi32(
      _mm_loadl_epi64(reinterpret_cast<const __m128i*>(input1)));
  const __m256i x2 = _mm256_cvtepi8_epi32(
      _mm_loadl_epi64(reinterpret_cast<const __m128i*>(input2)));
  const __m256i a =
      _mm256_sll_epi32(_mm256_add_epi32(x1, l.offset1), l.left_shift);
  const __m256i b =
      _mm256_sll_epi32(_mm256_add_epi32(x2, l.offset2), l.left_shift);
  const __m256i sum = _mm256_add_epi32(
      x86::multiply_by_quantized_multiplier8(a, l.m1, l.shift1),
      x86::multiply_by_quantized_multiplier8(b, l.m2, l.shift2));
  x86::requantize8_store(sum, l.m_out, l.shift_out, l.clamp, output);
}

}  // namespace

TM_AVX2 bool add_s8_avx2(const TmAddParams& p, const int8_t* input1,
                         const int8_t* input2, int8_t* output) {
  const bool exact =
      p.broadcast.same && p.left_shift >= 0 && p.left_shift <= kMaxLeftShift &&
      p.input1_offset >= -kMaxOffset && p.input1_offset <= kMaxOffset &&
      p.input2_offset >= -kMaxOffset && p.input2_offset <= kMaxOffset &&
      x86::requant_lanes_exact(p.input1_multiplier, p.input1_shift) &&
      x86::requant_lanes_exact(p.input2_multiplier, p.input2_shift) &&
      x86::requant_lanes_exact(p.output_multiplier, p.output_shift) &&
      x86::requant_clamp_exact(p.output_offset, p.act_min, p.act_max);
  if (!exact) return false;
  const AddLanes l = {_mm256_set1_epi32(p.input1_offset),
                      _mm256_set1_epi32(p.input2_offset),
                      _mm256_set1_epi32(p.input1_multiplier),
                      _mm256_set1_epi32(p.input1_shift),
                      _mm256_set1_epi32(p.input2_multiplier),
                      _mm256_set1_epi32(p.input2_shift),
                      _mm256_set1_epi32(p.output_multiplier),
                      _mm256_set1_epi32(p.output_shift),
                      _mm_cvtsi32_si128(p.left_shift),
                      x86::clamp_lanes(p.output_offset, p.act_min, p.act_max)};
  const int32_t count = p.broadcast.count;
  int32_t i = 0;
  for (; i + 8 <= count; i += 8) add8(l, input1 + i, input2 + i, output + i);
  if (i < count) {
    const size_t rest = static_cast<size_t>(count - i);
    int8_t a[8] = {}, b[8] = {}, out[8];
    memcpy(a, input1 + i, rest);
    memcpy(b, input2 + i, rest);
    add8(l, a, b, out);
    memcpy(output + i, out, rest);
  }
  return true;
}

}  // namespace tierml

#endif  // TM_X86_AVX2
