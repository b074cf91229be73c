// Inner loops shared by the int8 convolution-like kernels (CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED): int8 x int8 dot products accumulated
// in int32 exactly as TFLite's reference kernels accumulate them, only in a
// different loop order, and the int8 requantization step.
//
// Four output channels share one pass over the input so that each input byte
// is loaded once for all of them. The sums are the same integers as TFLite's:
// int32 addition is associative and commutative, so the order of the
// products does not change the result. Where the input offset is folded into
// the bias (folded_bias of the params structs), the loops run with kOffset
// false and are pure int8 dot products.
//
// Portable C++, with Armv7E-M DSP and Helium paths for the dot loops (below).
#ifndef TIERML_KERNELS_INT8_DOT_H_
#define TIERML_KERNELS_INT8_DOT_H_

#include <stdint.h>

#include "kernels/quantization.h"

// Armv7E-M DSP (Cortex-M4, M7, M33, M55): SXTB16 sign-extends bytes 0 and 2
// (or, rotated by 8, bytes 1 and 3) of a word into two int16 lanes, and
// SMLAD adds both lanes' products to a 32-bit sum, so four int8 MACs take one
// load per operand, four extensions and two SMLADs. Every product is exact
// (|x + offset| <= 255 and |w| <= 128 fit int16) and SMLAD's sum wraps like
// int32 addition, so the sums are the portable loop's integers.
//
// Cores with Helium (Cortex-M55) have the DSP instructions too, but take
// sixteen products per instruction instead (kernels/arm/int8_dot_mve.h).
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include "kernels/arm/int8_dot_mve.h"
#define TM_INT8_MVE 1
#elif defined(__ARM_FEATURE_DSP) && defined(__ARM_FEATURE_SIMD32)
#include <arm_acle.h>
#define TM_INT8_DSP 1
#endif

// The dot loops are kept out of line: inlined into the window walks, whose
// many live values leave too few registers for five pointers and four sums,
// the compiler spills inside the innermost loop.
#if defined(__GNUC__) || defined(__clang__)
#define TM_NOINLINE __attribute__((noinline))
#else
#define TM_NOINLINE
#endif

// On x86-64 Linux hosts built with GCC the dot loops are compiled twice, for
// AVX2 and for the baseline, and the loader picks one by CPU feature
// detection (an ifunc): the same C++ either way, so the same bytes. Clang
// refuses the attribute together with noinline; device builds never see it.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && \
    !defined(__clang__)
#define TM_HOST_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TM_HOST_SIMD_CLONES
#endif

namespace tierml {

// Four running sums.
struct Acc4 {
  int32_t a0, a1, a2, a3;
};

inline Acc4 load_acc4(const int32_t* init, int32_t c) {
  return init ? Acc4{init[c], init[c + 1], init[c + 2], init[c + 3]}
              : Acc4{0, 0, 0, 0};
}

#ifdef TM_INT8_DSP
// Four int8 values, at any alignment (Armv7E-M loads unaligned words).
inline int32_t load4_s8(const int8_t* p) {
  int32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

inline int32_t load4_at(uintptr_t address) {
  return load4_s8(reinterpret_cast<const int8_t*>(address));
}

// Bytes 0 and 2 of v as two int16 lanes, plus the offset in each lane.
template <bool kOffset>
inline int16x2_t even_s8(int32_t v, int16x2_t offsets) {
  return kOffset ? __sadd16(__sxtb16(v), offsets) : __sxtb16(v);
}

// Bytes 1 and 3 of v as two int16 lanes, plus the offset in each lane. GCC
// does not fold the rotation into SXTB16's own (one instruction instead of
// two, in the innermost loop), and ACLE has no intrinsic for it.
template <bool kOffset>
inline int16x2_t odd_s8(int32_t v, int16x2_t offsets) {
  int16x2_t lanes;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(lanes) : "r"(v));
  return kOffset ? __sadd16(lanes, offsets) : lanes;
}

inline int16x2_t offset_pair(int32_t offset) {
  const uint32_t lane = static_cast<uint16_t>(offset);
  return static_cast<int16x2_t>(lane | (lane << 16));
}

// acc + the four products of x's and w's lanes (x already offset).
inline int32_t mac4_s8(int16x2_t x_even, int16x2_t x_odd, int32_t w,
                       int32_t acc) {
  acc = __smlad(x_even, even_s8<false>(w, 0), acc);
  return __smlad(x_odd, odd_s8<false>(w, 0), acc);
}
#endif

// acc->ak += sum over i < n of w[k * w_stride + i] * (x[i] + offset), for
// the four weight rows k = 0..3 reading the same input.
template <bool kOffset>
TM_NOINLINE TM_HOST_SIMD_CLONES void dot4_s8(const int8_t* x, const int8_t* w,
                                             int32_t w_stride, int32_t n,
                                             int32_t offset, Acc4* acc) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + w_stride;
  const int8_t* w2 = w1 + w_stride;
  const int8_t* w3 = w2 + w_stride;
  int32_t a0 = acc->a0, a1 = acc->a1, a2 = acc->a2, a3 = acc->a3;
  int32_t i = 0;
#if defined(TM_INT8_MVE)
  mve::dot4_s8<kOffset>(x, w0, w1, w2, w3, n, offset, a0, a1, a2, a3);
  i = n;
#elif defined(TM_INT8_DSP)
  // The weights are addressed by their distance from the input, so that one
  // pointer walks all five rows: with five pointers and four sums the
  // compiler spills pointers inside the loop.
  const int16x2_t offsets = offset_pair(offset);
  const uintptr_t d0 =
      reinterpret_cast<uintptr_t>(w0) - reinterpret_cast<uintptr_t>(x);
  const uintptr_t d1 = d0 + w_stride, d2 = d1 + w_stride, d3 = d2 + w_stride;
  i = n & ~3;
  for (const int8_t *p = x, *end = x + i; p != end; p += 4) {
    const uintptr_t at = reinterpret_cast<uintptr_t>(p);
    const int32_t xv = load4_s8(p);
    const int16x2_t x_even = even_s8<kOffset>(xv, offsets);
    const int16x2_t x_odd = odd_s8<kOffset>(xv, offsets);
    a0 = mac4_s8(x_even, x_odd, load4_at(at + d0), a0);
    a1 = mac4_s8(x_even, x_odd, load4_at(at + d1), a1);
    a2 = mac4_s8(x_even, x_odd, load4_at(at + d2), a2);
    a3 = mac4_s8(x_even, x_odd, load4_at(at + d3), a3);
  }
#endif
  for (; i < n; ++i) {
    const int32_t v = kOffset ? x[i] + offset : x[i];
    a0 += w0[i] * v;
    a1 += w1[i] * v;
    a2 += w2[i] * v;
    a3 += w3[i] * v;
  }
  *acc = Acc4{a0, a1, a2, a3};
}

// acc + sum over i < n of w[i] * (x[i] + offset).
template <bool kOffset>
inline int32_t dot1_s8(const int8_t* x, const int8_t* w, int32_t n,
                       int32_t offset, int32_t acc) {
#if defined(TM_INT8_MVE)
  return mve::dot1_s8<kOffset>(x, w, n, offset, acc);
#else
  int32_t i = 0;
#ifdef TM_INT8_DSP
  const int16x2_t offsets = offset_pair(offset);
  for (; i + 4 <= n; i += 4) {
    const int32_t xv = load4_s8(x + i);
    acc = mac4_s8(even_s8<kOffset>(xv, offsets), odd_s8<kOffset>(xv, offsets),
                  load4_s8(w + i), acc);
  }
#endif
  for (; i < n; ++i) {
    const int32_t v = kOffset ? x[i] + offset : x[i];
    acc += w[i] * v;
  }
  return acc;
#endif
}

// Two output pixels per multiply, on 64-bit machines: an input value pair
// (a, b) of two pixels is held as the 64-bit integer a + b * 2^32, so that
// one 64-bit product with a weight w gives a * w + (b * w) * 2^32, and a
// 64-bit running sum gives A + B * 2^32 for the two int32 sums A and B.
// Exact as long as |A| < 2^31: the low half is then A itself and the high
// half, once A is taken out, is B modulo 2^32, the value an int32 sum has.
// Callers guarantee the bound: each product is below 2^15 in magnitude
// (|x + input_offset| <= 255, |w| <= 128), so up to kPairMaxTaps taps are
// safe. Wrapping uint64 arithmetic throughout, hence no overflow anywhere.
#if UINTPTR_MAX > 0xFFFFFFFFu
#define TM_INT8_PAIRS 1
constexpr int32_t kPairMaxTaps = 1024;

inline uint64_t pack_pair(int8_t a, int8_t b) {
  return static_cast<uint64_t>(static_cast<int64_t>(a)) +
         (static_cast<uint64_t>(static_cast<int64_t>(b)) << 32);
}

inline uint64_t pack_pair_offset(int8_t a, int8_t b, int32_t offset) {
  return static_cast<uint64_t>(static_cast<int64_t>(a + offset)) +
         (static_cast<uint64_t>(static_cast<int64_t>(b + offset)) << 32);
}

inline uint64_t widen_weight(int8_t w) {
  return static_cast<uint64_t>(static_cast<int64_t>(w));
}

// The two int32 sums A, B of a pair sum A + B * 2^32 with |A| < 2^31.
inline void split_pair(uint64_t sum, int32_t* a, int32_t* b) {
  const int32_t low = static_cast<int32_t>(static_cast<uint32_t>(sum));
  *a = low;
  *b = static_cast<int32_t>(static_cast<uint32_t>(
      (sum - static_cast<uint64_t>(static_cast<int64_t>(low))) >> 32));
}

// sums[k] += sum over i < n of x[i] * w[k * w_stride + i], k = 0..3, for
// packed pairs x.
TM_NOINLINE TM_HOST_SIMD_CLONES inline void dot4_pair_s8(const uint64_t* x,
                                                         const int8_t* w,
                                                         int32_t w_stride,
                                                         int32_t n,
                                                         uint64_t* sums) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + w_stride;
  const int8_t* w2 = w1 + w_stride;
  const int8_t* w3 = w2 + w_stride;
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int32_t i = 0; i < n; ++i) {
    const uint64_t v = x[i];
    s0 += v * widen_weight(w0[i]);
    s1 += v * widen_weight(w1[i]);
    s2 += v * widen_weight(w2[i]);
    s3 += v * widen_weight(w3[i]);
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
}

inline uint64_t dot1_pair_s8(const uint64_t* x, const int8_t* w, int32_t n) {
  uint64_t sum = 0;
  for (int32_t i = 0; i < n; ++i) sum += x[i] * widen_weight(w[i]);
  return sum;
}
#endif

// The reference, kept out of line: the fast form's rare saturating case
// needs no copy of it at every requantization site.
TM_NOINLINE inline int32_t multiply_by_quantized_multiplier_outlined(
    int32_t x, int32_t multiplier, int32_t shift) {
  return multiply_by_quantized_multiplier(x, multiplier, shift);
}

// rounding_divide_by_pot (quantization.h), same results for every x above
// INT32_MIN and every exponent in [0, 31], in fewer 32-bit operations. For
// e >= 1 the reference rounds x / 2^e half away from zero, which is
// floor((x' + 2^(e-1)) / 2^e) with x' = x - [x < 0] (ties of negative x
// round toward zero, the others to nearest). That is floor((q + 1) / 2) for
// q = floor(x' / 2^(e-1)) (taking the floor inside moves no value across an
// integer), and floor((q + 1) / 2) = q - floor(q / 2) for every integer q:
// an arithmetic shift and a subtraction of a shifted operand, with nothing
// that can overflow (x' does not either, x being above INT32_MIN).
inline int32_t rounding_divide_by_pot_fast(int32_t x, int32_t exponent) {
  if (exponent == 0) return x;
  const int32_t q = (x + (x >> 31)) >> (exponent - 1);
  return q - (q >> 1);
}

// TFLite's MultiplyByQuantizedMultiplier (quantization.h), same results for
// every input, in fewer operations: the doubling high multiply's
// round-half-away-from-zero of (a * b) / 2^31, truncating (ab + nudge)
// toward zero, equals floor((ab + 2^30) / 2^31) for both signs of ab, and
// the rounding right shift's threshold test equals adding 2^(e-1), minus
// one for negative values, before an arithmetic shift. The one saturating
// case (both factors -2^31) goes to the reference function.
inline int32_t multiply_by_quantized_multiplier_fast(int32_t x,
                                                     int32_t multiplier,
                                                     int32_t shift) {
  if (multiplier == kInt32Min) {
    return multiply_by_quantized_multiplier_outlined(x, multiplier, shift);
  }
  const int32_t left_shift = shift > 0 ? shift : 0;
  const int32_t right_shift = shift > 0 ? 0 : -shift;
  const int32_t shifted =
      static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
  const int64_t ab = static_cast<int64_t>(shifted) * multiplier;
#if UINTPTR_MAX > 0xFFFFFFFFu
  const int64_t high = (ab + (int64_t{1} << 30)) >> 31;
  if (right_shift == 0) return static_cast<int32_t>(high);
  const int64_t nudge = (int64_t{1} << (right_shift - 1)) - (high < 0 ? 1 : 0);
  return static_cast<int32_t>((high + nudge) >> right_shift);
#else
  // 32-bit machines shift 64-bit values in several instructions, so the
  // rounding shift runs on the high half in int32: it fits, |ab| being at
  // most 2^62 - 2^31 without the saturating case, which also keeps it above
  // INT32_MIN as rounding_divide_by_pot_fast requires.
  const int32_t high = static_cast<int32_t>((ab + (int64_t{1} << 30)) >> 31);
  return rounding_divide_by_pot_fast(high, right_shift);
#endif
}

// One int8 output from its int32 accumulator: the requantization, the
// output zero point, the activation clamp.
inline int8_t requantize_s8(int32_t acc, int32_t multiplier, int32_t shift,
                            int32_t output_offset, int32_t act_min,
                            int32_t act_max) {
  const int32_t r =
      multiply_by_quantized_multiplier_fast(acc, multiplier, shift);
#ifdef TM_INT8_DSP
  // A saturating add (one QADD) in place of the int64 sum below: saturation
  // keeps the order of values and leaves int32 bounds in place, so the clamp
  // to the int32 bounds act_min, act_max picks the same value.
  const int32_t v = __qadd(r, output_offset);
#else
  // In int64 so that a hostile model's extreme values stay defined; every
  // valid result is unchanged.
  const int64_t v = int64_t{r} + output_offset;
#endif
  return static_cast<int8_t>(v < act_min ? act_min
                                         : (v > act_max ? act_max : v));
}

// A kernel's requantization parameters, copied out of its params struct:
// stores through an int8 output may alias the struct's fields, so reading
// them from it would reload every field after every output.
struct Requant {
  const int32_t* multipliers;
  const int32_t* shifts;
  int32_t output_offset, act_min, act_max;
};

template <typename Params>
inline Requant requant_of(const Params& p) {
  return {p.multipliers, p.shifts, p.output_offset, p.act_min, p.act_max};
}

// Channel c's output from its sum.
inline int8_t requantize_s8(int32_t acc, const Requant& q, int32_t c) {
  return requantize_s8(acc, q.multipliers[c], q.shifts[c], q.output_offset,
                       q.act_min, q.act_max);
}

// Channels c..c+3 of one pixel from their sums.
inline void requantize4_s8(const Acc4& acc, const Requant& q, int32_t c,
                           int8_t* out) {
  const int32_t sums[4] = {acc.a0, acc.a1, acc.a2, acc.a3};
#ifdef TM_INT8_MVE
  mve::requantize4_s8(vld1q_s32(sums), q.multipliers + c, q.shifts + c,
                      q.output_offset, q.act_min, q.act_max, out + c);
#else
  for (int32_t k = 0; k < 4; ++k) out[c + k] = requantize_s8(sums[k], q, c + k);
#endif
}

}  // namespace tierml

#endif  // TIERML_KERNELS_INT8_DOT_H_
