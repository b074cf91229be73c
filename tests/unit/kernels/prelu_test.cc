#include "kernels/prelu.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

// Input scale 0.5 zp 0, alpha scale 1/64 zp 0 per channel {16, 32} (0.25,
// 0.5), output scale 0.5: identity multiplier 1, alpha multiplier 1/64.
// Channel 0: -8 -> -8 * 16 / 64 = -2; channel 1: -8 -> -4; -3 * 16 / 64 =
// -0.75 -> -1; -3 * 32 / 64 = -1.5 -> -2.
TEST(PreluTest, Int8PerChannelAlphaHandChecked) {
  TensorSpec in(kTmInt8, {1, 2, 2}, 0.5f), alpha(kTmInt8, {2}, 1.0f / 64),
      out(kTmInt8, {1, 2, 2}, 0.5f);
  TmPreluParams p;
  ASSERT_EQ(tm_prelu_prepare(in.get(), alpha.get(), out.get(), &p), kTmOk);
  const int8_t x[4] = {-8, -8, -3, -3};
  const int8_t a[2] = {16, 32};
  int8_t r[4];
  tm_prelu_s8(&p, x, a, r);
  EXPECT_EQ(r[0], -2);
  EXPECT_EQ(r[1], -4);
  EXPECT_EQ(r[2], -1);
  EXPECT_EQ(r[3], -2);
  const int8_t pos[4] = {0, 5, 100, 127};
  tm_prelu_s8(&p, pos, a, r);
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(r[1], 5);
  EXPECT_EQ(r[2], 100);
  EXPECT_EQ(r[3], 127);
}

TEST(PreluTest, Int8RandomBroadcastAgreesWithDoubleAndRunsInPlace) {
  TensorSpec in(kTmInt8, {2, 3, 4, 5}, 0.04f, -7),
      alpha(kTmInt8, {1, 1, 5}, 0.003f, 9),
      out(kTmInt8, {2, 3, 4, 5}, 0.05f, 3);
  TmPreluParams p;
  ASSERT_EQ(tm_prelu_prepare(in.get(), alpha.get(), out.get(), &p), kTmOk);
  auto x = testing::random_values<int8_t>(in.elements(), 81, -128, 127);
  const auto a = testing::random_values<int8_t>(5, 82, -128, 127);
  std::vector<int8_t> r(out.elements());
  tm_prelu_s8(&p, x.data(), a.data(), r.data());
  for (int32_t i = 0; i < out.elements(); ++i) {
    const double v = 0.04f * static_cast<double>(x[i] + 7);
    const double real = v >= 0 ? v : v * 0.003f * (a[i % 5] - 9);
    EXPECT_NEAR(r[i], testing::quantize_double(real, 0.05f, 3, -128, 127), 1)
        << i;
  }
  tm_prelu_s8(&p, x.data(), a.data(), x.data());
  EXPECT_EQ(x, r);
}

TEST(PreluTest, Float) {
  TensorSpec in(kTmFloat32, {2, 2}), alpha(kTmFloat32, {2}),
      out(kTmFloat32, {2, 2});
  TmPreluParams p;
  ASSERT_EQ(tm_prelu_prepare(in.get(), alpha.get(), out.get(), &p), kTmOk);
  const float x[4] = {-1, -2, 3, -4};
  const float a[2] = {0.5f, -1.f};
  float r[4];
  tm_prelu_f32(&p, x, a, r);
  EXPECT_FLOAT_EQ(r[0], -0.5f);
  EXPECT_FLOAT_EQ(r[1], 2.f);
  EXPECT_FLOAT_EQ(r[2], 3.f);
  EXPECT_FLOAT_EQ(r[3], 4.f);
}

TEST(PreluTest, RejectsAlphaLargerThanInputAndMixedTypes) {
  TensorSpec in(kTmInt8, {4}, 0.1f), alpha(kTmInt8, {3, 4}, 0.1f),
      out(kTmInt8, {3, 4}, 0.1f), f(kTmFloat32, {4});
  TmPreluParams p;
  EXPECT_EQ(tm_prelu_prepare(in.get(), alpha.get(), out.get(), &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_prelu_prepare(in.get(), f.get(), in.get(), &p),
            kTmErrorBadArgument);
}

}  // namespace
}  // namespace tierml
