#include "kernels/relu.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

// s_in 0.5 (zp 2) -> s_out 0.25 (zp -10): multiplier 2 -> (2^30, shift 2).
// q = -10 + 2 * (x - 2), clamped below at the output zero point -10.
TEST(ReluTest, Int8RequantizesAndClampsAtOutputZero) {
  TensorSpec in(kTmInt8, {5}, 0.5f, 2), out(kTmInt8, {5}, 0.25f, -10);
  TmReluParams p;
  ASSERT_EQ(tm_relu_prepare(in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.act_min, -10);
  EXPECT_EQ(p.act_max, 127);
  const int8_t x[5] = {6, 2, -5, 127, -128};
  int8_t r[5];
  tm_relu_s8(&p, x, r);
  EXPECT_EQ(r[0], -2);   // -10 + 8
  EXPECT_EQ(r[1], -10);  // exactly zero
  EXPECT_EQ(r[2], -10);  // negative -> zero
  EXPECT_EQ(r[3], 127);  // -10 + 250 saturates
  EXPECT_EQ(r[4], -10);
}

// s_in = 3 * s_out: 0.1 * (x - 0) / (1/30) rounds e.g. 1 -> 3.
TEST(ReluTest, Int16ZeroPointsZero) {
  TensorSpec in(kTmInt16, {4}, 0.1f), out(kTmInt16, {4}, 0.1f / 3);
  TmReluParams p;
  ASSERT_EQ(tm_relu_prepare(in.get(), out.get(), &p), kTmOk);
  const int16_t x[4] = {1, -1, 10000, 12000};
  int16_t r[4];
  tm_relu_s16(&p, x, r);
  EXPECT_EQ(r[0], 3);
  EXPECT_EQ(r[1], 0);
  EXPECT_EQ(r[2], 30000);
  EXPECT_EQ(r[3], 32767);  // 36000 saturates
  TensorSpec shifted(kTmInt16, {4}, 0.1f, 5);
  EXPECT_EQ(tm_relu_prepare(shifted.get(), out.get(), &p), kTmErrorUnsupported);
}

TEST(ReluTest, Int8RandomAgreesWithDouble) {
  TensorSpec in(kTmInt8, {300}, 0.037f, -17), out(kTmInt8, {300}, 0.021f, -128);
  TmReluParams p;
  ASSERT_EQ(tm_relu_prepare(in.get(), out.get(), &p), kTmOk);
  const auto x = testing::random_values<int8_t>(300, 61, -128, 127);
  std::vector<int8_t> r(300);
  tm_relu_s8(&p, x.data(), r.data());
  for (int i = 0; i < 300; ++i) {
    const double real = std::max(0.0, 0.037f * static_cast<double>(x[i] + 17));
    EXPECT_NEAR(r[i], testing::quantize_double(real, 0.021f, -128, -128, 127),
                1)
        << i;
  }
}

// TFLM's RELU6 clamps raw input values between the input's quantized 0 and
// 6 without requantizing: scale 0.1, zp -20 -> [-20, -20 + 60 = 40].
TEST(Relu6Test, Int8ClampsRawValuesAtQuantizedZeroAndSix) {
  TensorSpec in(kTmInt8, {4}, 0.1f, -20), out(kTmInt8, {4}, 0.1f, -20);
  TmReluParams p;
  ASSERT_EQ(tm_relu6_prepare(in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.act_min, -20);
  EXPECT_EQ(p.act_max, 40);
  const int8_t x[4] = {-50, 0, 50, 127};
  int8_t r[4];
  tm_relu6_s8(&p, x, r);
  EXPECT_EQ(r[0], -20);
  EXPECT_EQ(r[1], 0);
  EXPECT_EQ(r[2], 40);
  EXPECT_EQ(r[3], 40);
}

// Scale 0.01 puts 6.0 at 600, above int8's range: the upper bound saturates
// at 127 (and so never clamps).
TEST(Relu6Test, SixBeyondTypeRangeSaturates) {
  TensorSpec in(kTmInt8, {2}, 0.01f), out(kTmInt8, {2}, 0.01f);
  TmReluParams p;
  ASSERT_EQ(tm_relu6_prepare(in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.act_max, 127);
  TensorSpec in16(kTmInt16, {2}, 0.001f), out16(kTmInt16, {2}, 0.001f);
  ASSERT_EQ(tm_relu6_prepare(in16.get(), out16.get(), &p), kTmOk);
  EXPECT_EQ(p.act_max, 6000);
  const int16_t x[2] = {-7, 7000};
  int16_t r[2];
  tm_relu6_s16(&p, x, r);
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(r[1], 6000);
}

TEST(ReluTest, FloatReluAndRelu6InPlace) {
  TensorSpec in(kTmFloat32, {5}), out(kTmFloat32, {5});
  TmReluParams p;
  ASSERT_EQ(tm_relu_prepare(in.get(), out.get(), &p), kTmOk);
  float x[5] = {-1.5f, 0.f, 2.5f, 6.5f, -0.f};
  tm_relu_f32(&p, x, x);
  EXPECT_EQ(x[0], 0.f);
  EXPECT_EQ(x[2], 2.5f);
  EXPECT_EQ(x[3], 6.5f);
  ASSERT_EQ(tm_relu6_prepare(in.get(), out.get(), &p), kTmOk);
  tm_relu6_f32(&p, x, x);
  EXPECT_EQ(x[2], 2.5f);
  EXPECT_EQ(x[3], 6.0f);
}

TEST(ReluTest, Int8InPlaceMatchesSeparateOutput) {
  TensorSpec in(kTmInt8, {64}, 0.05f, 10), out(kTmInt8, {64}, 0.03f, -5);
  TmReluParams p;
  ASSERT_EQ(tm_relu_prepare(in.get(), out.get(), &p), kTmOk);
  auto x = testing::random_values<int8_t>(64, 62, -128, 127);
  std::vector<int8_t> separate(64);
  tm_relu_s8(&p, x.data(), separate.data());
  tm_relu_s8(&p, x.data(), x.data());
  EXPECT_EQ(x, separate);
}

}  // namespace
}  // namespace tierml
