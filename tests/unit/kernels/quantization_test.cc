#include "kernels/quantization.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tierml {
namespace {

// The pair must reconstruct the real multiplier: m / 2^31 * 2^shift.
double reconstruct(int32_t multiplier, int shift) {
  return std::ldexp(static_cast<double>(multiplier), shift - 31);
}

TEST(QuantizeMultiplier, ReconstructsTypicalScales) {
  for (double real : {0.0004, 0.0123, 0.5, 0.75, 1.0, 3.7, 1000.0}) {
    int32_t multiplier = 0;
    int shift = 0;
    quantize_multiplier(real, &multiplier, &shift);
    EXPECT_GE(multiplier, int32_t{1} << 30) << real;
    EXPECT_NEAR(reconstruct(multiplier, shift), real, real * 1e-9) << real;
  }
}

TEST(QuantizeMultiplier, RoundsUpToTheNextPowerOfTwo) {
  // Just below 1.0 the Q31 significand rounds to 2^31: it becomes 2^30 with
  // the shift one higher, never an int32 overflow.
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(1.0 - 1e-12, &multiplier, &shift);
  EXPECT_EQ(multiplier, int32_t{1} << 30);
  EXPECT_EQ(shift, 1);
}

TEST(QuantizeMultiplier, TinyMultipliersFlushToZero) {
  int32_t multiplier = 7;
  int shift = 7;
  quantize_multiplier(std::ldexp(1.0, -40), &multiplier, &shift);
  EXPECT_EQ(multiplier, 0);
  EXPECT_EQ(shift, 0);
}

TEST(QuantizeMultiplier, HugeMultipliersSaturateAtShift31) {
  // A hostile model's scales can ask for 2^64; the invoke path must never
  // see a shift it cannot perform.
  int32_t multiplier = 0;
  int shift = 0;
  quantize_multiplier(std::ldexp(1.0, 64), &multiplier, &shift);
  EXPECT_EQ(shift, 31);
  EXPECT_EQ(multiplier, INT32_MAX);
  // And the invoke path computes with it without undefined behaviour.
  EXPECT_EQ(multiply_by_quantized_multiplier(int32_t{1}, multiplier, shift),
            INT32_MIN + 1);
}

}  // namespace
}  // namespace tierml
