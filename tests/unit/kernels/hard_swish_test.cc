#include "kernels/hard_swish.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

double hard_swish(double x) {
  return x * std::min(6.0, std::max(0.0, x + 3.0)) / 6.0;
}

struct Case {
  float in_scale;
  int32_t in_zero_point;
  float out_scale;
  int32_t out_zero_point;
};

std::vector<int8_t> run(const Case& c, const std::vector<int8_t>& in) {
  const int32_t n = static_cast<int32_t>(in.size());
  TensorSpec input(kTmInt8, {1, n}, c.in_scale, c.in_zero_point);
  TensorSpec output(kTmInt8, {1, n}, c.out_scale, c.out_zero_point);
  TmHardSwishParams p;
  EXPECT_EQ(tm_hard_swish_prepare(input.get(), output.get(), &p), kTmOk);
  std::vector<int8_t> out(in.size());
  tm_hard_swish_s8(&p, in.data(), out.data());
  return out;
}

// Scale 1/16 in and out: -3 and +3 are exact (-48, 48 steps). hard_swish is
// 0 at 0 and at -3 (and below), and x itself from +3 up.
TEST(HardSwishTest, Int8HandCheckedPoints) {
  const Case c = {1.0f / 16, 0, 1.0f / 16, 0};
  const auto out = run(c, {0, -48, -100, 48, 100, 16});
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 48);
  EXPECT_EQ(out[4], 100);
  // x = 1: 1 * 4 / 6 = 0.667 -> 10.67 steps.
  EXPECT_NEAR(out[5], 10.67, 1.0);
  // With zero points the same points land on the output zero point.
  const Case z = {1.0f / 16, 20, 1.0f / 32, -100};
  const auto shifted = run(z, {20, 20 - 48, 20 + 48});
  EXPECT_EQ(shifted[0], -100);
  EXPECT_EQ(shifted[1], -100);
  EXPECT_EQ(shifted[2], -100 + 96);
}

// Every int8 input for quantizations covering both signs of the reluish
// exponent and several output shifts: within 1 LSB of the double function.
TEST(HardSwishTest, Int8AllInputsMatchDoubleWithinOneLsb) {
  const Case cases[] = {{0.05f, -10, 0.04f, -90},   // reluish exponent > 0
                        {0.004f, 3, 0.002f, -120},  // reluish exponent < 0
                        {0.1f, 0, 0.0625f, -128},
                        {0.02f, -128, 0.02f, -128},
                        {0.3f, 40, 0.05f, -20}};
  std::vector<int8_t> in;
  for (int q = -128; q <= 127; ++q) in.push_back(static_cast<int8_t>(q));
  for (const Case& c : cases) {
    const auto out = run(c, in);
    for (int i = 0; i < 256; ++i) {
      const double x = c.in_scale * (in[i] - c.in_zero_point);
      const int32_t want = testing::quantize_double(
          hard_swish(x), c.out_scale, c.out_zero_point, -128, 127);
      EXPECT_LE(std::abs(out[i] - want), 1)
          << "case in scale " << c.in_scale << " q " << int{in[i]} << " x "
          << x;
    }
  }
}

TEST(HardSwishTest, Float32IsTheFormula) {
  const std::vector<float> in = {-5.0f, -3.0f, -1.5f, 0.0f, 1.0f, 3.0f, 7.5f};
  TensorSpec input(kTmFloat32, {7});
  TensorSpec output(kTmFloat32, {7});
  TmHardSwishParams p;
  ASSERT_EQ(tm_hard_swish_prepare(input.get(), output.get(), &p), kTmOk);
  std::vector<float> out(7);
  tm_hard_swish_f32(&p, in.data(), out.data());
  const std::vector<float> want = {0.0f,        0.0f, -0.375f, 0.0f,
                                   4.0f / 6.0f, 3.0f, 7.5f};
  for (size_t i = 0; i < in.size(); ++i) EXPECT_FLOAT_EQ(out[i], want[i]);
}

TEST(HardSwishTest, RejectsUnsupported) {
  TmHardSwishParams p;
  // input / output scale of 128 or more needs a left shift TFLite lacks.
  TensorSpec in(kTmInt8, {2}, 1.0f, 0);
  TensorSpec out(kTmInt8, {2}, 1.0f / 200, 0);
  EXPECT_EQ(tm_hard_swish_prepare(in.get(), out.get(), &p),
            kTmErrorUnsupported);
  TensorSpec in16(kTmInt16, {2}, 0.1f, 0);
  TensorSpec out16(kTmInt16, {2}, 0.1f, 0);
  EXPECT_EQ(tm_hard_swish_prepare(in16.get(), out16.get(), &p),
            kTmErrorUnsupported);
  TensorSpec out_shape(kTmInt8, {3}, 0.1f, 0);
  EXPECT_EQ(tm_hard_swish_prepare(in.get(), out_shape.get(), &p),
            kTmErrorBadArgument);
}

}  // namespace
}  // namespace tierml
