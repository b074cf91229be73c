#include "kernels/logistic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<int8_t> all_int8() {
  std::vector<int8_t> v;
  for (int q = -128; q <= 127; ++q) v.push_back(static_cast<int8_t>(q));
  return v;
}

// Every int8 input for several input quantizations: within 1 LSB (1/256) of
// the double logistic, non-decreasing, 1/2 exactly at the zero point.
TEST(LogisticTest, Int8AllInputsMatchDoubleWithinOneLsb) {
  struct Case {
    float scale;
    int32_t zero_point;
  } cases[] = {
      {1.0f / 16, 0}, {0.1f, -128}, {0.0373f, 17}, {0.5f, 127}, {0.003f, -5}};
  const std::vector<int8_t> in = all_int8();
  for (const Case& c : cases) {
    TensorSpec input(kTmInt8, {256}, c.scale, c.zero_point);
    TensorSpec output(kTmInt8, {256}, 1.0f / 256, -128);
    TmLogisticParams p;
    ASSERT_EQ(tm_logistic_prepare(input.get(), output.get(), &p), kTmOk);
    std::vector<int8_t> out(256);
    tm_logistic_s8(&p, in.data(), out.data());
    for (int i = 0; i < 256; ++i) {
      const double x = c.scale * (in[i] - c.zero_point);
      const int32_t want =
          testing::quantize_double(sigmoid(x), 1.0 / 256, -128, -128, 127);
      EXPECT_LE(std::abs(out[i] - want), 1)
          << "scale " << c.scale << " zero point " << c.zero_point << " q "
          << int{in[i]};
      if (i > 0) {
        EXPECT_GE(out[i], out[i - 1]);
      }
      if (in[i] == c.zero_point) {
        EXPECT_EQ(out[i], 0);
      }
    }
  }
}

// Scale 1/16: the radius is floor(15 * 2^27 / 2^24) = 120 steps (7.5), where
// the logistic is within 1/256 of 0 or 1.
TEST(LogisticTest, Int8SaturatesBeyondTheRadius) {
  TensorSpec input(kTmInt8, {4}, 1.0f / 16, -10);
  TensorSpec output(kTmInt8, {4}, 1.0f / 256, -128);
  TmLogisticParams p;
  ASSERT_EQ(tm_logistic_prepare(input.get(), output.get(), &p), kTmOk);
  EXPECT_EQ(p.input_range_radius, 120);
  const int8_t in[4] = {110, 127, -128, -10};
  int8_t out[4];
  tm_logistic_s8(&p, in, out);
  EXPECT_EQ(out[0], 127);
  EXPECT_EQ(out[1], 127);
  EXPECT_EQ(out[2], -128);  // -118 steps: sigmoid(-7.375) * 256 = 0.16
  EXPECT_EQ(out[3], 0);
}

// int16: Q3.12-style inputs through the interpolated table: within 3 units
// of Q0.15 of the double logistic, and 1 - f(-x) mirrors f(x) to one unit.
TEST(LogisticTest, Int16MatchesDouble) {
  for (float scale : {1.0f / 4096, 1.0f / 32768, 0.001f, 1.0f / 1024}) {
    TensorSpec input(kTmInt16, {1, 2048}, scale, 0);
    TensorSpec output(kTmInt16, {1, 2048}, 1.0f / 32768, 0);
    TmLogisticParams p;
    ASSERT_EQ(tm_logistic_prepare(input.get(), output.get(), &p), kTmOk);
    std::vector<int16_t> in(2048), mirrored(2048);
    for (int i = 0; i < 2048; ++i) {
      in[i] = static_cast<int16_t>(i * 32 - 32768 + (i % 7));
      mirrored[i] = static_cast<int16_t>(in[i] == -32768 ? 32767 : -in[i]);
    }
    std::vector<int16_t> out(2048), out_mirrored(2048);
    tm_logistic_s16(&p, in.data(), out.data());
    tm_logistic_s16(&p, mirrored.data(), out_mirrored.data());
    for (int i = 0; i < 2048; ++i) {
      const double want = std::min(
          32767.0, sigmoid(static_cast<double>(scale) * in[i]) * 32768);
      EXPECT_NEAR(out[i], want, 3.0) << "scale " << scale << " q " << in[i];
      if (in[i] != -32768) {
        EXPECT_NEAR(out[i] + out_mirrored[i], 32768, 1) << in[i];
      }
    }
  }
}

// TFLite's float logistic takes exp(x) below -9 (relative error e^x, at most
// 1.3e-4) and 1 above 16.619; elsewhere it is the formula in float.
TEST(LogisticTest, Float32FollowsTflitesCutoffs) {
  const std::vector<float> in = {-100.0f, -9.5f, -9.0f, -1.0f, 0.0f,
                                 0.25f,   5.0f,  16.6f, 16.7f, 80.0f};
  TensorSpec input(kTmFloat32, {10});
  TensorSpec output(kTmFloat32, {10});
  TmLogisticParams p;
  ASSERT_EQ(tm_logistic_prepare(input.get(), output.get(), &p), kTmOk);
  std::vector<float> out(10);
  tm_logistic_f32(&p, in.data(), out.data());
  for (size_t i = 0; i < in.size(); ++i) {
    const double x = in[i];
    const double tflite = x < -9.0     ? std::exp(x)
                          : x > 16.619 ? 1.0
                                       : sigmoid(x);
    EXPECT_NEAR(out[i], tflite, 1e-6 * tflite + 1e-40) << x;
    EXPECT_NEAR(out[i], sigmoid(x), 1.3e-4 * sigmoid(x) + 1e-44)
        << x;  // denormals
  }
  EXPECT_EQ(out[4], 0.5f);
  EXPECT_EQ(out[8], 1.0f);
}

TEST(LogisticTest, RejectsWhatTfliteRejects) {
  TmLogisticParams p;
  TensorSpec in8(kTmInt8, {3}, 0.1f, 0);
  TensorSpec out_zp(kTmInt8, {3}, 1.0f / 256, 0);
  TensorSpec out_scale(kTmInt8, {3}, 1.0f / 128, -128);
  EXPECT_EQ(tm_logistic_prepare(in8.get(), out_zp.get(), &p),
            kTmErrorUnsupported);
  EXPECT_EQ(tm_logistic_prepare(in8.get(), out_scale.get(), &p),
            kTmErrorUnsupported);
  TensorSpec in16_zp(kTmInt16, {3}, 1.0f / 4096, 3);
  TensorSpec out16(kTmInt16, {3}, 1.0f / 32768, 0);
  TensorSpec out16_scale(kTmInt16, {3}, 1.0f / 30000, 0);
  TensorSpec in16(kTmInt16, {3}, 1.0f / 4096, 0);
  EXPECT_EQ(tm_logistic_prepare(in16_zp.get(), out16.get(), &p),
            kTmErrorUnsupported);
  EXPECT_EQ(tm_logistic_prepare(in16.get(), out16_scale.get(), &p),
            kTmErrorUnsupported);
  TensorSpec out8_shape(kTmInt8, {4}, 1.0f / 256, -128);
  EXPECT_EQ(tm_logistic_prepare(in8.get(), out8_shape.get(), &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_logistic_prepare(in8.get(), out16.get(), &p),
            kTmErrorUnsupported);
}

}  // namespace
}  // namespace tierml
