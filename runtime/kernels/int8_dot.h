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
// Portable C++ only; SIMD variants live in their own files.
#ifndef TIERML_KERNELS_INT8_DOT_H_
#define TIERML_KERNELS_INT8_DOT_H_

#include <stdint.h>

#include "kernels/quantization.h"

// The dot loops are kept out of line: inlined into the window walks, whose
// many live values leave too few registers for five pointers and four sums,
// the compiler spills inside the innermost loop.
#if defined(__GNUC__) || defined(__clang__)
#define TM_NOINLINE __attribute__((noinline))
#else
#define TM_NOINLINE
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

// acc->ak += sum over i < n of w[k * w_stride + i] * (x[i] + offset), for
// the four weight rows k = 0..3 reading the same input.
template <bool kOffset>
TM_NOINLINE void dot4_s8(const int8_t* x, const int8_t* w, int32_t w_stride,
                         int32_t n, int32_t offset, Acc4* acc) {
  const int8_t* w0 = w;
  const int8_t* w1 = w0 + w_stride;
  const int8_t* w2 = w1 + w_stride;
  const int8_t* w3 = w2 + w_stride;
  int32_t a0 = acc->a0, a1 = acc->a1, a2 = acc->a2, a3 = acc->a3;
  for (int32_t i = 0; i < n; ++i) {
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
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = kOffset ? x[i] + offset : x[i];
    acc += w[i] * v;
  }
  return acc;
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
TM_NOINLINE inline void dot4_pair_s8(const uint64_t* x, const int8_t* w,
                                     int32_t w_stride, int32_t n,
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
    return multiply_by_quantized_multiplier(x, multiplier, shift);
  }
  const int32_t left_shift = shift > 0 ? shift : 0;
  const int32_t right_shift = shift > 0 ? 0 : -shift;
  const int32_t shifted =
      static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
  const int64_t ab = static_cast<int64_t>(shifted) * multiplier;
  const int64_t high = (ab + (int64_t{1} << 30)) >> 31;
  if (right_shift == 0) return static_cast<int32_t>(high);
  const int64_t nudge = (int64_t{1} << (right_shift - 1)) - (high < 0 ? 1 : 0);
  return static_cast<int32_t>((high + nudge) >> right_shift);
}

// One int8 output from its int32 accumulator: the requantization, the
// output zero point, the activation clamp.
inline int8_t requantize_s8(int32_t acc, int32_t multiplier, int32_t shift,
                            int32_t output_offset, int32_t act_min,
                            int32_t act_max) {
  // In int64 so that a hostile model's extreme values stay defined; every
  // valid result is unchanged.
  const int64_t v =
      int64_t{multiply_by_quantized_multiplier_fast(acc, multiplier, shift)} +
      output_offset;
  return static_cast<int8_t>(v < act_min ? act_min : (v > act_max ? act_max : v));
}

}  // namespace tierml

#endif  // TIERML_KERNELS_INT8_DOT_H_
