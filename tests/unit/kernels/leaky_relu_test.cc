#include "kernels/leaky_relu.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "unit/kernels/seanet_single_op.h"
#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

TmLeakyReluAttrs alpha_of(float alpha) {
  TmLeakyReluAttrs a = {};
  a.alpha = alpha;
  return a;
}

// Scales equal (0.5), alpha 0.25: identity multiplier 1 -> (2^30, 1), alpha
// multiplier 0.25 -> (2^30, -1). Negative inputs: -10 * 0.25 = -2.5 -> -3,
// -6 * 0.25 = -1.5 -> -2 (half away from zero).
TEST(LeakyReluTest, Int8HandChecked) {
  TensorSpec in(kTmInt8, {5}, 0.5f), out(kTmInt8, {5}, 0.5f);
  const TmLeakyReluAttrs attrs = alpha_of(0.25f);
  TmLeakyReluParams p;
  ASSERT_EQ(tm_leaky_relu_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.identity_multiplier, 1 << 30);
  EXPECT_EQ(p.identity_shift, 1);
  EXPECT_EQ(p.alpha_multiplier, 1 << 30);
  EXPECT_EQ(p.alpha_shift, -1);
  const int8_t x[5] = {10, -10, -6, 127, -128};
  int8_t r[5];
  tm_leaky_relu_s8(&p, x, r);
  EXPECT_EQ(r[0], 10);
  EXPECT_EQ(r[1], -3);
  EXPECT_EQ(r[2], -2);
  EXPECT_EQ(r[3], 127);
  EXPECT_EQ(r[4], -32);
}

// Input zp 20, output scale half the input's (identity multiplier 2, alpha
// multiplier 0.5 * 2 = 1). Output zp -100: 30 -> -100 + 2 * 10 = -80,
// 127 -> -100 + 2 * 107 = 114, 0 -> -100 - 20 = -120. Output zp 0: 127 ->
// 214 and -128 -> -148 saturate.
TEST(LeakyReluTest, Int8ZeroPointsAndSaturation) {
  TensorSpec in(kTmInt8, {4}, 0.2f, 20), out(kTmInt8, {4}, 0.1f, -100),
      out0(kTmInt8, {4}, 0.1f, 0);
  const TmLeakyReluAttrs attrs = alpha_of(0.5f);
  TmLeakyReluParams p;
  ASSERT_EQ(tm_leaky_relu_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  const int8_t x[4] = {30, 127, 0, -128};
  int8_t r[4];
  tm_leaky_relu_s8(&p, x, r);
  EXPECT_EQ(r[0], -80);
  EXPECT_EQ(r[1], 114);
  EXPECT_EQ(r[2], -120);
  EXPECT_EQ(r[3], -128);  // -100 - 148 saturates
  ASSERT_EQ(tm_leaky_relu_prepare(&attrs, in.get(), out0.get(), &p), kTmOk);
  tm_leaky_relu_s8(&p, x, r);
  EXPECT_EQ(r[1], 127);
  EXPECT_EQ(r[3], -128);
}

TEST(LeakyReluTest, Int16RandomAgreesWithDoubleAndRunsInPlace) {
  TensorSpec in(kTmInt16, {257}, 0.0017f), out(kTmInt16, {257}, 0.0013f);
  const TmLeakyReluAttrs attrs = alpha_of(0.2f);
  TmLeakyReluParams p;
  ASSERT_EQ(tm_leaky_relu_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  auto x = testing::random_values<int16_t>(257, 71, -32768, 32767);
  std::vector<int16_t> r(257);
  tm_leaky_relu_s16(&p, x.data(), r.data());
  for (int i = 0; i < 257; ++i) {
    const double v = 0.0017f * static_cast<double>(x[i]);
    const double real = v >= 0 ? v : v * 0.2f;
    EXPECT_NEAR(r[i], testing::quantize_double(real, 0.0013f, 0, -32768, 32767),
                1)
        << i;
  }
  tm_leaky_relu_s16(&p, x.data(), x.data());
  EXPECT_EQ(x, r);
}

TEST(LeakyReluTest, Float) {
  TensorSpec in(kTmFloat32, {3}), out(kTmFloat32, {3});
  const TmLeakyReluAttrs attrs = alpha_of(0.1f);
  TmLeakyReluParams p;
  ASSERT_EQ(tm_leaky_relu_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  const float x[3] = {2.f, -3.f, 0.f};
  float r[3];
  tm_leaky_relu_f32(&p, x, r);
  EXPECT_FLOAT_EQ(r[0], 2.f);
  EXPECT_FLOAT_EQ(r[1], -3.f * 0.1f);
  EXPECT_FLOAT_EQ(r[2], 0.f);
}

// TFLM's output for the sixteen int16 seanet LEAKY_RELU models.
TEST(LeakyReluGoldenTest, SeanetModelsMatchTflmByteForByte) {
  std::string error;
  const auto models = testing::load_seanet("seanet_leaky_relu", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "no seanet_leaky_relu models under "
                 << testing::golden_dir();
  }
  EXPECT_EQ(error, "");
  EXPECT_EQ(models.size(), 16u);
  for (const auto& m : models) {
    const TmTensor in = m.input(0), out = m.output(0);
    ASSERT_EQ(in.type, kTmInt16) << m.name;
    TmLeakyReluParams p;
    ASSERT_EQ(tm_leaky_relu_prepare(&m.op().attrs.u.leaky_relu, &in, &out, &p),
              kTmOk)
        << m.name;
    ASSERT_FALSE(m.pairs.empty()) << m.name;
    for (const auto& pair : m.pairs) {
      const int32_t n = tm_shape_elements(&in.shape);
      ASSERT_EQ(pair.input.size(), n * 2u);
      ASSERT_EQ(pair.output.size(), n * 2u);
      const auto x = testing::from_bytes<int16_t>(pair.input.data(), n);
      std::vector<int16_t> r(n);
      tm_leaky_relu_s16(&p, x.data(), r.data());
      EXPECT_EQ(std::memcmp(r.data(), pair.output.data(), pair.output.size()),
                0)
          << m.name << " " << pair.name;
    }
  }
}

}  // namespace
}  // namespace tierml
