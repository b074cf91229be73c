#include "kernels/sub.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "unit/kernels/golden_feed.h"
#include "unit/kernels/seanet_single_op.h"
#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

TmElementwiseAttrs attrs_with(TmActivation activation) {
  TmElementwiseAttrs attrs = {};
  attrs.activation = activation;
  return attrs;
}

// Same multipliers as ADD's hand check (s1 = s2 = 0.5, s_out = 1): the
// output is round-half-away((q1 - q2) / 2).
TEST(SubTest, Int8HandChecked) {
  TensorSpec a(kTmInt8, {4}, 0.5f), b(kTmInt8, {4}, 0.5f),
      out(kTmInt8, {4}, 1.f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmSubParams p;
  ASSERT_EQ(tm_sub_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const int8_t x[4] = {3, -3, 127, -128};
  const int8_t y[4] = {-4, 4, -128, 127};
  int8_t r[4];
  tm_sub_s8(&p, x, y, r);
  EXPECT_EQ(r[0], 4);     // 3.5
  EXPECT_EQ(r[1], -4);    // -3.5
  EXPECT_EQ(r[2], 127);   // 127.5 saturates
  EXPECT_EQ(r[3], -128);  // -127.5 -> -128
}

// Zero points: input1 zp 10, input2 zp -20, output zp 5, scales 1/4 each,
// output scale 1/2. (30 - 10)/4 - (-20 + 20)/4 = 5 real -> 10 + 5 = 15.
// RELU keeps 15 and clamps a negative result at the output zero point 5.
TEST(SubTest, Int8ZeroPointsAndRelu) {
  TensorSpec a(kTmInt8, {2}, 0.25f, 10), b(kTmInt8, {2}, 0.25f, -20),
      out(kTmInt8, {2}, 0.5f, 5);
  const TmElementwiseAttrs attrs = attrs_with(kTmActRelu);
  TmSubParams p;
  ASSERT_EQ(tm_sub_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const int8_t x[2] = {30, 0};
  const int8_t y[2] = {-20, 40};
  int8_t r[2];
  tm_sub_s8(&p, x, y, r);
  EXPECT_EQ(r[0], 15);
  EXPECT_EQ(r[1], 5);
}

TEST(SubTest, FloatBroadcastBothWays) {
  TensorSpec a(kTmFloat32, {2, 1}), b(kTmFloat32, {1, 3}),
      out(kTmFloat32, {2, 3});
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmSubParams p;
  ASSERT_EQ(tm_sub_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const float x[2] = {10, 20};
  const float y[3] = {1, 2, 3};
  float r[6];
  tm_sub_f32(&p, x, y, r);
  const float expected[6] = {9, 8, 7, 19, 18, 17};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(r[i], expected[i]) << i;
}

TEST(SubTest, Int16RandomBroadcastAgreesWithDoubleWithinOneUnit) {
  // seanet_sub0's pattern: [64] against [1, 2, 12, 64], here smaller.
  TensorSpec a(kTmInt16, {1, 2, 3, 8}, 0.00097f), b(kTmInt16, {8}, 8.7e-6f),
      out(kTmInt16, {1, 2, 3, 8}, 0.00059f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmSubParams p;
  ASSERT_EQ(tm_sub_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const auto x =
      testing::random_values<int16_t>(a.elements(), 7, -32768, 32767);
  const auto y =
      testing::random_values<int16_t>(b.elements(), 8, -32768, 32767);
  std::vector<int16_t> r(out.elements());
  tm_sub_s16(&p, x.data(), y.data(), r.data());
  for (int32_t i = 0; i < out.elements(); ++i) {
    const double real = a.scale() * x[i] - b.scale() * y[i % 8];
    EXPECT_NEAR(
        r[i], testing::quantize_double(real, out.scale(), 0, -32768, 32767), 1)
        << i;
  }
}

TEST(SubTest, OutputMayAliasFirstInput) {
  TensorSpec a(kTmInt16, {3, 4}, 0.001f), b(kTmInt16, {4}, 0.003f),
      out(kTmInt16, {3, 4}, 0.002f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmSubParams p;
  ASSERT_EQ(tm_sub_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  auto x = testing::random_values<int16_t>(12, 9, -32768, 32767);
  const auto y = testing::random_values<int16_t>(4, 10, -32768, 32767);
  std::vector<int16_t> separate(12);
  tm_sub_s16(&p, x.data(), y.data(), separate.data());
  tm_sub_s16(&p, x.data(), y.data(), x.data());
  EXPECT_EQ(x, separate);
}

// TFLM's output for the seanet SUB models: int16 with a broadcast [C]
// second operand, general (non power-of-two) scheme.
TEST(SubGoldenTest, SeanetSubModelsMatchTflmByteForByte) {
  std::string error;
  const auto models = testing::load_seanet("seanet_sub", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "no seanet_sub models under " << testing::golden_dir();
  }
  EXPECT_EQ(error, "");
  EXPECT_EQ(models.size(), 4u);
  for (const auto& m : models) {
    const TmTensor a = m.input(0), b = m.input(1), out = m.output(0);
    TmSubParams p;
    ASSERT_EQ(tm_sub_prepare(&m.op().attrs.u.elementwise, &a, &b, &out, &p),
              kTmOk)
        << m.name;
    ASSERT_FALSE(m.pairs.empty()) << m.name;
    for (const auto& pair : m.pairs) {
      const uint8_t* x =
          testing::golden_input(m.graph, m.op().inputs[0], pair.input);
      const uint8_t* y =
          testing::golden_input(m.graph, m.op().inputs[1], pair.input);
      ASSERT_NE(x, nullptr);
      ASSERT_NE(y, nullptr);
      const auto xs =
          testing::from_bytes<int16_t>(x, tm_shape_elements(&a.shape));
      const auto ys =
          testing::from_bytes<int16_t>(y, tm_shape_elements(&b.shape));
      std::vector<int16_t> r(tm_shape_elements(&out.shape));
      tm_sub_s16(&p, xs.data(), ys.data(), r.data());
      ASSERT_EQ(pair.output.size(), r.size() * 2);
      EXPECT_EQ(std::memcmp(r.data(), pair.output.data(), pair.output.size()),
                0)
          << m.name << " " << pair.name;
    }
  }
}

}  // namespace
}  // namespace tierml
