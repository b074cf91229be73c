// Fixed-point arithmetic of TensorFlow Lite's reference integer kernels.
// Every kernel requantizes through these functions so that rounding is the
// same everywhere: doubling high multiply with round-half-away, then a
// rounding right shift (TFLite's default, not its "single rounding" mode).
#ifndef TIERML_KERNELS_QUANTIZATION_H_
#define TIERML_KERNELS_QUANTIZATION_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

namespace tierml {

constexpr int32_t kInt32Min = -2147483647 - 1;
constexpr int32_t kInt32Max = 2147483647;

inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == kInt32Min) return kInt32Max;
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

inline int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * multiplier * 2^shift, multiplier a Q31 value in [2^30, 2^31).
inline int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier,
                                                int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  // The left shift is a multiplication in TFLite too (wrapping in int32).
  const int32_t shifted = static_cast<int32_t>(
      static_cast<uint32_t>(x) * (uint32_t{1} << left_shift));
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(shifted, multiplier), right_shift);
}

// The int64-accumulator variant used by 16x8 kernels: the multiplier is
// reduced to Q15 first, exactly as TFLite does.
inline int32_t multiply_by_quantized_multiplier(int64_t x, int32_t multiplier,
                                                int shift) {
  // TFLite requires |x| < 2^47 and shift < 8 here, and every valid model
  // stays inside; clamping keeps a hostile model's arithmetic defined and
  // changes no valid result.
  constexpr int64_t kLimit = int64_t{1} << 47;
  x = x < -kLimit ? -kLimit : (x >= kLimit ? kLimit - 1 : x);
  const int32_t reduced = multiplier < 0x7FFF0000
                              ? ((multiplier + (1 << 15)) >> 16)
                              : 0x7FFF;
  const int total_shift = 15 - (shift < 8 ? shift : 7);
  const int64_t rounded =
      x * static_cast<int64_t>(reduced) + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(rounded >> total_shift);
}

// Splits a positive real multiplier into a Q31 significand and a power of two
// (TFLite's QuantizeMultiplier). Runs at prepare time only. The shift is
// at most 31: larger multipliers saturate.
void quantize_multiplier(double real_multiplier, int32_t* multiplier,
                         int* shift);

// Clamp range of a fused activation on a quantized output (TFLite's
// CalculateActivationRangeQuantized). Fails for TANH/SIGN_BIT.
TmStatus activation_range_quantized(TmActivation activation, TmType type,
                                    float output_scale,
                                    int32_t output_zero_point, int32_t* min,
                                    int32_t* max);

// Clamp range of a fused activation on a float output.
TmStatus activation_range_float(TmActivation activation, float* min,
                                float* max);

inline int32_t clamp_i32(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

}  // namespace tierml

#endif  // TIERML_KERNELS_QUANTIZATION_H_
