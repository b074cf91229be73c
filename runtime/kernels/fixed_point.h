// Fixed-point arithmetic for the transcendental functions of TensorFlow
// Lite's integer kernels (softmax, logistic, tanh, hard swish).
//
// TFLite evaluates exp, 1/(1+x), logistic and tanh with gemmlowp's fixed-point
// library: a value is a raw int32 with a compile-time number of integer bits
// (Qm.(31-m)), products are saturating rounding doubling high multiplies, and
// the functions are short polynomials, Newton-Raphson iterations and barrel
// shifters of exact constants. Every rounding below follows those semantics
// so that results match TFLite bit for bit; this is our own implementation.
#ifndef TIERML_KERNELS_FIXED_POINT_H_
#define TIERML_KERNELS_FIXED_POINT_H_

#include <math.h>
#include <stdint.h>

#include "kernels/quantization.h"

namespace tierml {

// A Q(kIntegerBits).(31 - kIntegerBits) value held in an int32.
template <int kIntegerBits>
struct Fixed {
  static_assert(kIntegerBits >= 0 && kIntegerBits < 32, "bad integer bits");
  static constexpr int kFractionalBits = 31 - kIntegerBits;
  int32_t raw;

  static constexpr Fixed from_raw(int32_t raw) { return Fixed{raw}; }
  static constexpr Fixed zero() { return Fixed{0}; }
  // 1.0 is not representable with no integer bits: it saturates.
  static constexpr Fixed one() {
    return Fixed{kIntegerBits == 0
                     ? kInt32Max
                     : static_cast<int32_t>(int64_t{1} << kFractionalBits)};
  }
  // 2^exponent, which must be exactly representable.
  template <int kExponent>
  static constexpr Fixed pot() {
    static_assert(
        kFractionalBits + kExponent >= 0 && kFractionalBits + kExponent < 31,
        "power of two not representable");
    return Fixed{
        static_cast<int32_t>(int32_t{1} << (kFractionalBits + kExponent))};
  }
};

// Additions and subtractions wrap like the int32 arithmetic they model (no
// saturation), without the undefined behaviour of signed overflow.
constexpr int32_t wrapping_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) +
                              static_cast<uint32_t>(b));
}
constexpr int32_t wrapping_sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) -
                              static_cast<uint32_t>(b));
}

template <int kBits>
constexpr Fixed<kBits> operator+(Fixed<kBits> a, Fixed<kBits> b) {
  return Fixed<kBits>{wrapping_add(a.raw, b.raw)};
}
template <int kBits>
constexpr Fixed<kBits> operator-(Fixed<kBits> a, Fixed<kBits> b) {
  return Fixed<kBits>{wrapping_sub(a.raw, b.raw)};
}
template <int kBits>
constexpr Fixed<kBits> operator-(Fixed<kBits> a) {
  return Fixed<kBits>{wrapping_sub(0, a.raw)};
}
// Integer bits add up in a product.
template <int kBitsA, int kBitsB>
inline Fixed<kBitsA + kBitsB> operator*(Fixed<kBitsA> a, Fixed<kBitsB> b) {
  return Fixed<kBitsA + kBitsB>{
      saturating_rounding_doubling_high_mul(a.raw, b.raw)};
}

// x * 2^kExponent: a left shift saturating at the int32 limits, or a
// rounding right shift. The saturation thresholds are symmetric (+-(2^(31-e)
// - 1)), so -2^(31-e) saturates too although it would fit; TFLite does the
// same.
template <int kExponent>
inline int32_t saturating_rounding_mul_by_pot(int32_t x) {
  if constexpr (kExponent == 0) {
    return x;
  } else if constexpr (kExponent > 0) {
    constexpr int32_t kThreshold = (int32_t{1} << (31 - kExponent)) - 1;
    if (x > kThreshold) return kInt32Max;
    if (x < -kThreshold) return kInt32Min;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << kExponent);
  } else {
    return rounding_divide_by_pot(x, -kExponent);
  }
}

template <int kExponent, int kBits>
inline Fixed<kBits> saturating_rounding_mul_by_pot(Fixed<kBits> x) {
  return Fixed<kBits>{saturating_rounding_mul_by_pot<kExponent>(x.raw)};
}

// Same value, other format (exact when widening, rounding when narrowing the
// fraction, saturating when narrowing the integer part).
template <int kDstBits, int kSrcBits>
inline Fixed<kDstBits> rescale(Fixed<kSrcBits> x) {
  return Fixed<kDstBits>{
      saturating_rounding_mul_by_pot<kSrcBits - kDstBits>(x.raw)};
}

// Multiplying by 2^kExponent by reinterpreting the format: exact, free.
template <int kExponent, int kBits>
constexpr Fixed<kBits + kExponent> exact_mul_by_pot(Fixed<kBits> x) {
  return Fixed<kBits + kExponent>{x.raw};
}

// (a + b) / 2 rounded half away from zero.
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + b;
  return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

inline int count_leading_zeros(uint32_t x) {
  return x == 0 ? 32 : __builtin_clz(x);
}

namespace fixed_point_detail {

// exp(a) for a in [-1/4, 0): Taylor series around -1/8 to the fourth order,
// exp(-1/8) * (1 + x + x^2/2 + x^3/6 + x^4/24) with x = a + 1/8.
inline Fixed<0> exp_on_interval_minus_quarter_to_zero(Fixed<0> a) {
  using F0 = Fixed<0>;
  const F0 exp_minus_one_eighth = F0::from_raw(1895147668);  // exp(-1/8)
  const F0 one_third = F0::from_raw(715827883);
  const F0 x = a + F0::pot<-3>();
  const F0 x2 = x * x;
  const F0 x3 = x2 * x;
  const F0 x4 = x2 * x2;
  const F0 x4_over_4 = saturating_rounding_mul_by_pot<-2>(x4);
  const F0 x4_over_24_plus_x3_over_6_plus_x2_over_2 =
      saturating_rounding_mul_by_pot<-1>((x4_over_4 + x3) * one_third + x2);
  return exp_minus_one_eighth +
         exp_minus_one_eighth * (x + x4_over_24_plus_x3_over_6_plus_x2_over_2);
}

// Three Newton-Raphson steps for 1/d, d = (1 + a) / 2 in [1/2, 1), starting
// from 48/17 - 32/17 d. Returns 2/(1 + a) in Q2.29.
inline Fixed<2> reciprocal_of_half_one_plus_x(Fixed<0> a) {
  using F0 = Fixed<0>;
  using F2 = Fixed<2>;
  const F0 half_denominator =
      F0::from_raw(rounding_half_sum(a.raw, F0::one().raw));
  const F2 c48_over_17 = F2::from_raw(1515870810);
  const F2 c_minus_32_over_17 = F2::from_raw(-1010580540);
  F2 x = c48_over_17 + half_denominator * c_minus_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x =
        F2::one() - half_denominator_times_x;
    x = x + rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return x;
}

}  // namespace fixed_point_detail

// exp(a) for a <= 0 (exp(0) gives the largest Q0.31 value). a is split into
// a multiple of 1/4 and a remainder in [-1/4, 0): the remainder goes through
// the Taylor series, the multiple through a barrel shifter of the constants
// exp(-2^k).
template <int kIntegerBits>
inline Fixed<0> exp_on_negative_values(Fixed<kIntegerBits> a) {
  using InputF = Fixed<kIntegerBits>;
  using F0 = Fixed<0>;
  constexpr int kFractionalBits = InputF::kFractionalBits;
  const InputF one_quarter = InputF::template pot<-2>();
  const InputF mask = one_quarter - InputF::from_raw(1);
  const InputF a_mod_quarter_minus_one_quarter =
      InputF::from_raw(a.raw & mask.raw) - one_quarter;
  F0 result = fixed_point_detail::exp_on_interval_minus_quarter_to_zero(
      rescale<0>(a_mod_quarter_minus_one_quarter));
  const int32_t remainder = (a_mod_quarter_minus_one_quarter - a).raw;

  // exp(-2^k) in Q0.31 for k = -2..4; a bit of the remainder selects each.
  constexpr int32_t kExpMinusPot[7] = {
      1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  for (int k = -2; k <= 4; ++k) {
    if (kIntegerBits > k) {
      const int32_t bit = int32_t{1} << (kFractionalBits + k);
      if (remainder & bit) result = result * F0::from_raw(kExpMinusPot[k + 2]);
    }
  }

  // Below -32 the result underflows; the barrel shifter cannot see bits
  // above 2^4, so formats with more integer bits clamp explicitly.
  if constexpr (kIntegerBits > 5) {
    const int32_t minus_32 = -(int32_t{1} << (36 - kIntegerBits));
    if (a.raw < minus_32) result = F0::zero();
  }
  if (a.raw == 0) result = F0::one();
  return result;
}

// 1 / (1 + a) for a in [0, 1).
inline Fixed<0> one_over_one_plus_x_for_x_in_0_1(Fixed<0> a) {
  const Fixed<2> x = fixed_point_detail::reciprocal_of_half_one_plus_x(a);
  return rescale<0>(exact_mul_by_pot<-1>(x));
}

// (1 - a) / (1 + a) for a in [0, 1).
inline Fixed<0> one_minus_x_over_one_plus_x_for_x_in_0_1(Fixed<0> a) {
  const Fixed<2> x = fixed_point_detail::reciprocal_of_half_one_plus_x(a);
  return rescale<0>(x - Fixed<2>::one());
}

// 1 / (1 + exp(-a)), evaluated on |a| and mirrored for negative a.
template <int kIntegerBits>
inline Fixed<0> logistic(Fixed<kIntegerBits> a) {
  using F0 = Fixed<0>;
  if (a.raw == 0) return F0::from_raw(int32_t{1} << 30);  // 1/2
  const bool positive = a.raw > 0;
  const Fixed<kIntegerBits> abs_a = positive ? a : -a;
  const F0 result_if_positive =
      one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(-abs_a));
  return positive ? result_if_positive : F0::one() - result_if_positive;
}

// tanh(a) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)), sign restored.
template <int kIntegerBits>
inline Fixed<0> tanh(Fixed<kIntegerBits> a) {
  using F0 = Fixed<0>;
  if (a.raw == 0) return F0::zero();
  const bool negative = a.raw < 0;
  const Fixed<kIntegerBits> minus_abs_a = negative ? a : -a;
  const F0 tanh_abs = one_minus_x_over_one_plus_x_for_x_in_0_1(
      exp_on_negative_values(exact_mul_by_pot<1>(minus_abs_a)));
  return negative ? -tanh_abs : tanh_abs;
}

// 1/x for a positive Q(x_integer_digits) value x, returned as a Q0.31
// significand s and a shift: 1/x = s * 2^-num_bits_over_unit.
inline int32_t get_reciprocal(int32_t x, int x_integer_digits,
                              int* num_bits_over_unit) {
  const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // x normalized into [1, 2), minus one, in Q0.31.
  const int32_t shifted_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
  return one_over_one_plus_x_for_x_in_0_1(Fixed<0>::from_raw(shifted_minus_one))
      .raw;
}

// TFLite's radius beyond which a fixed-point function's input saturates:
// floor((2^integer_bits - 1) * 2^(total_bits - integer_bits) / 2^left_shift).
// left_shift must be in [0, 62].
inline int32_t calculate_input_radius(int integer_bits, int left_shift,
                                      int total_signed_bits = 31) {
  const double max_input_rescaled =
      1.0 * ((1 << integer_bits) - 1) *
      static_cast<double>(int64_t{1} << (total_signed_bits - integer_bits)) /
      static_cast<double>(int64_t{1} << left_shift);
  return static_cast<int32_t>(floor(max_input_rescaled));
}

// --- 16-bit primitives (hard swish works on int16 fixed-point values) ---

inline int16_t saturate_i16(int32_t x) {
  return static_cast<int16_t>(x < -32768 ? -32768 : (x > 32767 ? 32767 : x));
}

// Q0.15 product, rounded half away from zero, -1 * -1 saturating.
inline int16_t saturating_rounding_doubling_high_mul_i16(int16_t a, int16_t b) {
  if (a == b && a == -32768) return 32767;
  const int32_t ab = static_cast<int32_t>(a) * b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

// Q0.15 product truncated toward zero (ARM SQDMULH), -1 * -1 saturating.
inline int16_t saturating_doubling_high_mul_i16(int16_t a, int16_t b) {
  if (a == b && a == -32768) return 32767;
  return static_cast<int16_t>((static_cast<int32_t>(a) * b) / (1 << 15));
}

// Rounding right shift in 16-bit arithmetic. For exponents of 16 and more
// the 16-bit mask is all ones and the result degenerates (-1 for negative x,
// 1 otherwise), exactly as in TFLite's 16-bit instantiation.
inline int16_t rounding_divide_by_pot_i16(int16_t x, int exponent) {
  const int16_t mask = static_cast<int16_t>((int64_t{1} << exponent) - 1);
  const int16_t remainder = static_cast<int16_t>(x & mask);
  const int16_t threshold = static_cast<int16_t>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<int16_t>((x >> exponent) +
                              (remainder > threshold ? 1 : 0));
}

// x * 2^amount saturated to int16.
inline int16_t saturating_left_shift_i16(int16_t x, int amount) {
  const int64_t shifted = static_cast<int64_t>(x) * (int64_t{1} << amount);
  return static_cast<int16_t>(shifted < -32768  ? -32768
                              : shifted > 32767 ? 32767
                                                : shifted);
}

// --- Prepare-time input scaling of the fixed-point activations ---

// TFLite's CheckedLog2: the nearest integer log2 of x, and whether x is a
// power of two to within 1e-3 in the exponent (float arithmetic as TFLite).
inline bool checked_log2(float x, int* log2_rounded) {
  const float x_log2 = logf(x) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2_rounded = static_cast<int>(rounded);
  return fabsf(x_log2 - rounded) < 1e-3f;
}

// int8 LOGISTIC and TANH: (q - zero_point) * scale as a Q4.27 value is
// q' * multiplier * 2^left_shift with a frexp significand; beyond the radius
// the functions saturate. Fails for scales too small to be meaningful
// (< 2^-28, a negative shift TFLite cannot represent in the radius).
inline TmStatus fixed_point_input_scaling_s8(float input_scale,
                                             int32_t* multiplier,
                                             int32_t* left_shift,
                                             int32_t* radius) {
  constexpr int kInputIntegerBits = 4;
  if (!(input_scale > 0.0f)) return kTmErrorUnsupported;
  const double real =
      static_cast<double>(input_scale) *
      static_cast<double>(int32_t{1} << (31 - kInputIntegerBits));
  int shift = 0;
  const double significand = frexp(real, &shift);
  // A float scale has 24 significant bits, so this never rounds up to 2^31.
  *multiplier = static_cast<int32_t>(round(significand * 2147483648.0));
  if (shift < 0 || shift > 62) return kTmErrorUnsupported;
  *left_shift = shift;
  *radius = calculate_input_radius(kInputIntegerBits, shift);
  return kTmOk;
}

// int16 LOGISTIC and TANH read the sigmoid table on a scale of 1/(3 * 2^12)
// (sigmoid_tanh_s16.h). A power-of-two input scale whose shift is allowed
// (0, or 1 when allow_shift_one) keeps multiplier 0; any other scale gets a
// 15-bit multiplier and a right shift. Fails where TFLM would overflow.
inline TmStatus sigmoid_table_input_scaling_s16(float input_scale,
                                                bool allow_shift_one,
                                                int32_t* multiplier,
                                                int32_t* left_shift) {
  constexpr int kInputIntegerBits = 3;
  if (!(input_scale > 0.0f)) return kTmErrorUnsupported;
  int log2_rounded = 0;
  bool power_of_two = checked_log2(input_scale, &log2_rounded);
  int shift = (15 - kInputIntegerBits) + log2_rounded;
  power_of_two &= shift == 0 || (allow_shift_one && shift == 1);
  if (power_of_two) {
    *multiplier = 0;
    *left_shift = shift;
    return kTmOk;
  }
  double real = static_cast<double>(input_scale) * 4096.0 * 3.0;
  shift = 0;
  while (real <= 32767.0 / 2.0 && shift <= 30) {
    ++shift;
    real = real * 2.0;
  }
  if (real > 32767.0) return kTmErrorUnsupported;
  *multiplier = static_cast<int32_t>(real);
  *left_shift = shift;
  return kTmOk;
}

// int16 outputs of LOGISTIC and TANH are Q0.15 (zero point checked apart).
inline bool is_q0_15_scale(float scale) {
  int log2_rounded = 0;
  return scale > 0.0f && checked_log2(scale, &log2_rounded) &&
         log2_rounded == -15;
}

}  // namespace tierml

#endif  // TIERML_KERNELS_FIXED_POINT_H_
