#include "kernels/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace tierml {
namespace {

double real(int32_t raw, int integer_bits) {
  return std::ldexp(static_cast<double>(raw), integer_bits - 31);
}

TEST(FixedPointTest, SaturatingRoundingMulByPot) {
  // Right shifts round half away from zero.
  EXPECT_EQ(saturating_rounding_mul_by_pot<-2>(6), 2);  // 1.5 -> 2
  EXPECT_EQ(saturating_rounding_mul_by_pot<-2>(-6), -2);
  EXPECT_EQ(saturating_rounding_mul_by_pot<-2>(5), 1);  // 1.25 -> 1
  EXPECT_EQ(saturating_rounding_mul_by_pot<-2>(-5), -1);
  // Left shifts saturate symmetrically: 2^29 - 1 fits a shift by 2, 2^29
  // does not, and neither does -2^29 although -2^31 is representable.
  EXPECT_EQ(saturating_rounding_mul_by_pot<2>((1 << 29) - 1),
            ((1 << 29) - 1) * 4);
  EXPECT_EQ(saturating_rounding_mul_by_pot<2>(1 << 29), kInt32Max);
  EXPECT_EQ(saturating_rounding_mul_by_pot<2>(-(1 << 29) + 1),
            (-(1 << 29) + 1) * 4);
  EXPECT_EQ(saturating_rounding_mul_by_pot<2>(-(1 << 29)), kInt32Min);
  EXPECT_EQ(saturating_rounding_mul_by_pot<0>(-7), -7);
}

TEST(FixedPointTest, RoundingHalfSumAndConstants) {
  EXPECT_EQ(rounding_half_sum(3, 4), 4);
  EXPECT_EQ(rounding_half_sum(-3, -4), -4);
  EXPECT_EQ(rounding_half_sum(kInt32Max, kInt32Max), kInt32Max);
  EXPECT_EQ(Fixed<0>::one().raw, kInt32Max);
  EXPECT_EQ(Fixed<2>::one().raw, 1 << 29);
  EXPECT_EQ(Fixed<5>::pot<-2>().raw, 1 << 24);
  EXPECT_EQ(count_leading_zeros(1u), 31);
  EXPECT_EQ(count_leading_zeros(0u), 32);
  EXPECT_EQ(count_leading_zeros(0x80000000u), 0);
}

// exp over its whole Q5.26 domain, sampled: within 2.5e-7 of exp() (the
// truncation error of the fourth-order series, about 2.3e-7), exactly 1
// (saturated) at 0.
TEST(FixedPointTest, ExpOnNegativeValuesMatchesExp) {
  EXPECT_EQ(exp_on_negative_values(Fixed<5>::zero()).raw, kInt32Max);
  double worst = 0;
  for (int64_t raw = 0; raw >= kInt32Min; raw -= 12345) {
    const int32_t r = static_cast<int32_t>(raw);
    const double got =
        real(exp_on_negative_values(Fixed<5>::from_raw(r)).raw, 0);
    worst = std::max(worst, std::fabs(got - std::exp(real(r, 5))));
  }
  EXPECT_LT(worst, 2.5e-7);
  // With fewer integer bits (Q4.27, as logistic uses) too.
  for (int32_t r : {-1, -(1 << 20), -(1 << 27), kInt32Min}) {
    EXPECT_NEAR(real(exp_on_negative_values(Fixed<4>::from_raw(r)).raw, 0),
                std::exp(real(r, 4)), 2.5e-7);
  }
  // Q10.21 clamps to 0 below -32.
  EXPECT_EQ(exp_on_negative_values(Fixed<10>::from_raw(-(33 << 21))).raw, 0);
}

// Three Newton-Raphson steps: within 3.5e-9 (1/(1+x)) and 7e-9
// ((1-x)/(1+x)), a handful of Q0.31 units.
TEST(FixedPointTest, OneOverOnePlusXMatchesDivision) {
  double worst = 0;
  for (int64_t raw = 0; raw <= kInt32Max; raw += 9876543) {
    const double x = real(static_cast<int32_t>(raw), 0);
    const double got = real(one_over_one_plus_x_for_x_in_0_1(
                                Fixed<0>::from_raw(static_cast<int32_t>(raw)))
                                .raw,
                            0);
    worst = std::max(worst, std::fabs(got - 1.0 / (1.0 + x)));
  }
  EXPECT_LT(worst, 3.5e-9);
  for (int64_t raw = 0; raw <= kInt32Max; raw += 9876543) {
    const double x = real(static_cast<int32_t>(raw), 0);
    const double got = real(one_minus_x_over_one_plus_x_for_x_in_0_1(
                                Fixed<0>::from_raw(static_cast<int32_t>(raw)))
                                .raw,
                            0);
    EXPECT_NEAR(got, (1.0 - x) / (1.0 + x), 7e-9);
  }
}

// exp's error, damped by the division: 1e-7 (logistic), 2e-7 (tanh).
TEST(FixedPointTest, LogisticAndTanhMatchDouble) {
  EXPECT_EQ(logistic(Fixed<4>::zero()).raw, 1 << 30);
  EXPECT_EQ(tanh(Fixed<4>::zero()).raw, 0);
  for (int64_t raw = kInt32Min; raw <= kInt32Max; raw += 7654321) {
    const int32_t r = static_cast<int32_t>(raw);
    const double x = real(r, 4);
    const double sigmoid = real(logistic(Fixed<4>::from_raw(r)).raw, 0);
    EXPECT_NEAR(sigmoid, 1.0 / (1.0 + std::exp(-x)), 1e-7) << x;
    const double t = real(tanh(Fixed<4>::from_raw(r)).raw, 0);
    EXPECT_NEAR(t, std::tanh(x), 2e-7) << x;
    // Both are symmetric in fixed point too: f(-x) mirrors f(x) exactly.
    if (r != kInt32Min && r != 0) {
      EXPECT_EQ(tanh(Fixed<4>::from_raw(-r)).raw,
                -tanh(Fixed<4>::from_raw(r)).raw);
      EXPECT_EQ(logistic(Fixed<4>::from_raw(-r)).raw,
                kInt32Max - logistic(Fixed<4>::from_raw(r)).raw);
    }
  }
}

// 1/x as significand and shift: x = 3 in Q12.19 gives 1/3 = (2/3) * 2^-1.
TEST(FixedPointTest, GetReciprocal) {
  int bits = 0;
  const int32_t s = get_reciprocal(3 << 19, 12, &bits);
  EXPECT_EQ(bits, 1);
  EXPECT_NEAR(real(s, 0), 2.0 / 3.0, 3.5e-9);
  const int32_t one = get_reciprocal(1 << 19, 12, &bits);
  EXPECT_EQ(bits, 0);
  EXPECT_EQ(one, kInt32Max);
}

TEST(FixedPointTest, InputRadius) {
  // floor(31 * 2^26 / 2^k) and floor(15 * 2^27 / 2^k).
  EXPECT_EQ(calculate_input_radius(5, 0), 31 << 26);
  EXPECT_EQ(calculate_input_radius(5, 20), (31 << 26) >> 20);
  EXPECT_EQ(calculate_input_radius(4, 27), 15);
  EXPECT_EQ(calculate_input_radius(4, 31), 0);
}

TEST(FixedPointTest, SixteenBitPrimitives) {
  // Rounded vs truncated Q0.15 products: 0.75 * (-0.5) = -0.375 exactly;
  // 3 * 3 units = 9 / 2^15 units rounds to 0 both ways; 181^2 / 2^15 = 0.9998.
  EXPECT_EQ(saturating_rounding_doubling_high_mul_i16(24576, -16384), -12288);
  EXPECT_EQ(saturating_rounding_doubling_high_mul_i16(181, 181), 1);
  EXPECT_EQ(saturating_doubling_high_mul_i16(181, 181), 0);
  EXPECT_EQ(saturating_rounding_doubling_high_mul_i16(-181, 181), -1);
  EXPECT_EQ(saturating_doubling_high_mul_i16(-181, 181), 0);
  EXPECT_EQ(saturating_rounding_doubling_high_mul_i16(-32768, -32768), 32767);
  EXPECT_EQ(saturating_doubling_high_mul_i16(-32768, -32768), 32767);
  EXPECT_EQ(rounding_divide_by_pot_i16(6, 2), 2);
  EXPECT_EQ(rounding_divide_by_pot_i16(-6, 2), -2);
  EXPECT_EQ(rounding_divide_by_pot_i16(-32768, 15), -1);
  // The degenerate 16-bit mask of exponents >= 16.
  EXPECT_EQ(rounding_divide_by_pot_i16(0, 16), 1);
  EXPECT_EQ(rounding_divide_by_pot_i16(1000, 20), 1);
  EXPECT_EQ(rounding_divide_by_pot_i16(-1000, 20), -1);
  EXPECT_EQ(saturating_left_shift_i16(1000, 5), 32000);
  EXPECT_EQ(saturating_left_shift_i16(1000, 6), 32767);
  EXPECT_EQ(saturating_left_shift_i16(-1000, 6), -32768);
}

TEST(FixedPointTest, PrepareScalings) {
  int log2 = 0;
  EXPECT_TRUE(checked_log2(1.0f / 32768, &log2));
  EXPECT_EQ(log2, -15);
  EXPECT_FALSE(checked_log2(0.3f, &log2));
  int32_t multiplier = 0, shift = 0, radius = 0;
  // scale 1/16: 2^-4 * 2^27 = 2^23 = 0.5 * 2^24.
  ASSERT_EQ(
      fixed_point_input_scaling_s8(1.0f / 16, &multiplier, &shift, &radius),
      kTmOk);
  EXPECT_EQ(multiplier, 1 << 30);
  EXPECT_EQ(shift, 24);
  EXPECT_EQ(radius, (15 << 27) >> 24);  // 120: 120 / 16 = 7.5 saturates
  EXPECT_EQ(fixed_point_input_scaling_s8(1e-9f, &multiplier, &shift, &radius),
            kTmErrorUnsupported);
  // int16: 2^-12 is the table's own scale; 2^-11 keeps the power-of-two path
  // only where allowed (TANH); 0.001 needs a multiplier.
  ASSERT_EQ(
      sigmoid_table_input_scaling_s16(1.0f / 4096, false, &multiplier, &shift),
      kTmOk);
  EXPECT_EQ(multiplier, 0);
  EXPECT_EQ(shift, 0);
  ASSERT_EQ(
      sigmoid_table_input_scaling_s16(1.0f / 2048, true, &multiplier, &shift),
      kTmOk);
  EXPECT_EQ(multiplier, 0);
  EXPECT_EQ(shift, 1);
  ASSERT_EQ(
      sigmoid_table_input_scaling_s16(1.0f / 2048, false, &multiplier, &shift),
      kTmOk);
  // 2^-11 * 12288 = 6, doubled until above 16383.5: 6 * 4096 = 24576.
  EXPECT_EQ(multiplier, 24576);
  EXPECT_EQ(shift, 12);
  ASSERT_EQ(sigmoid_table_input_scaling_s16(0.001f, false, &multiplier, &shift),
            kTmOk);
  EXPECT_GT(multiplier, 16383);
  EXPECT_LE(multiplier, 32767);
  EXPECT_NEAR(multiplier / std::ldexp(1.0, shift), 0.001 * 12288, 1e-3);
  EXPECT_EQ(sigmoid_table_input_scaling_s16(4.0f, false, &multiplier, &shift),
            kTmErrorUnsupported);
}

}  // namespace
}  // namespace tierml
