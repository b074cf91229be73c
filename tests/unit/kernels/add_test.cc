#include "kernels/add.h"

#include <gtest/gtest.h>

#include <algorithm>
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
  attrs.pot_scale_int16 = 1;
  return attrs;
}

// s1 = s2 = 0.5, s_out = 1, zero points 0. Multipliers: inputs 0.5 / (2*0.5)
// = 0.5 -> (2^30, shift 0); output 2*0.5 / (2^20 * 1) = 2^-20 -> (2^30,
// shift -19). So q = round-half-away((q1 + q2) / 2).
TEST(AddTest, Int8HandCheckedRoundsHalfAwayFromZero) {
  TensorSpec a(kTmInt8, {4}, 0.5f), b(kTmInt8, {4}, 0.5f),
      out(kTmInt8, {4}, 1.f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.left_shift, 20);
  EXPECT_EQ(p.input1_multiplier, 1 << 30);
  EXPECT_EQ(p.input1_shift, 0);
  EXPECT_EQ(p.output_multiplier, 1 << 30);
  EXPECT_EQ(p.output_shift, -19);
  const int8_t x[4] = {3, -3, 2, 127};
  const int8_t y[4] = {4, -4, 2, 127};
  int8_t r[4];
  tm_add_s8(&p, x, y, r);
  // 3.5 -> 4, -3.5 -> -4, 2 -> 2, 127 -> 127.
  EXPECT_EQ(r[0], 4);
  EXPECT_EQ(r[1], -4);
  EXPECT_EQ(r[2], 2);
  EXPECT_EQ(r[3], 127);
}

// Output scale 0.25: 1 + 1 = 2.0 real = 8 quantized; 127*0.5*2 = 127 real =
// 508 quantized, saturated to 127; RELU6 clamps at round(6 / 0.25) = 24.
TEST(AddTest, Int8SaturatesAndAppliesFusedActivation) {
  TensorSpec a(kTmInt8, {3}, 0.5f), b(kTmInt8, {3}, 0.5f),
      out(kTmInt8, {3}, 0.25f);
  TmAddParams p;
  TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const int8_t x[3] = {2, 127, -128};
  const int8_t y[3] = {2, 127, -128};
  int8_t r[3];
  tm_add_s8(&p, x, y, r);
  EXPECT_EQ(r[0], 8);
  EXPECT_EQ(r[1], 127);
  EXPECT_EQ(r[2], -128);
  attrs = attrs_with(kTmActRelu6);
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.act_min, 0);
  EXPECT_EQ(p.act_max, 24);
  tm_add_s8(&p, x, y, r);
  EXPECT_EQ(r[0], 8);
  EXPECT_EQ(r[1], 24);
  EXPECT_EQ(r[2], 0);
}

// Extreme zero points: input1 zp -128 (q = -128 means 0.0), input2 zp 127,
// output zp -128. With all scales 1/16: (-100 + 128) / 16 + (100 - 127) / 16
// = 28/16 - 27/16 = 1/16 -> -128 + 1 = -127.
TEST(AddTest, Int8ExtremeZeroPoints) {
  TensorSpec a(kTmInt8, {2}, 0.0625f, -128), b(kTmInt8, {2}, 0.0625f, 127),
      out(kTmInt8, {2}, 0.0625f, -128);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const int8_t x[2] = {-100, 127};
  const int8_t y[2] = {100, 127};
  int8_t r[2];
  tm_add_s8(&p, x, y, r);
  EXPECT_EQ(r[0], -127);
  // 255/16 + 0 = 255/16 -> -128 + 255 saturates at 127.
  EXPECT_EQ(r[1], 127);
}

TEST(AddTest, FloatWithBroadcastAndRelu) {
  TensorSpec a(kTmFloat32, {2, 3}), b(kTmFloat32, {3}), out(kTmFloat32, {2, 3});
  const TmElementwiseAttrs attrs = attrs_with(kTmActRelu);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const float x[6] = {1, 2, 3, -4, -5, -6};
  const float y[3] = {0.5f, -2.5f, 10};
  float r[6];
  tm_add_f32(&p, x, y, r);
  const float expected[6] = {1.5f, 0, 13, 0, 0, 4};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(r[i], expected[i]) << i;
}

// The naive reference: dequantize, add in double, requantize. TFLite's
// fixed-point path rounds three times, so allow one unit.
template <typename T>
void expect_near_naive(const TensorSpec& a, const TensorSpec& b,
                       const TensorSpec& out, const std::vector<T>& x,
                       const std::vector<T>& y, const std::vector<T>& r,
                       const TmBroadcast& bc, int32_t lo, int32_t hi) {
  int checked = 0;
  broadcast_walk(bc, [&](int32_t i1, int32_t i2, int32_t o) {
    const double real = a.scale() * (x[i1] - a.zero_point()) +
                        b.scale() * (y[i2] - b.zero_point());
    const int32_t expected =
        testing::quantize_double(real, out.scale(), out.zero_point(), lo, hi);
    EXPECT_NEAR(r[o], expected, 1) << "output " << o;
    ++checked;
  });
  EXPECT_EQ(checked, out.elements());
}

TEST(AddTest, Int8RandomAgreesWithDoubleWithinOneUnit) {
  TensorSpec a(kTmInt8, {2, 3, 5, 7}, 0.031f, -7),
      b(kTmInt8, {2, 1, 5, 1}, 0.047f, 12),
      out(kTmInt8, {2, 3, 5, 7}, 0.06f, 3);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const auto x = testing::random_values<int8_t>(a.elements(), 1, -128, 127);
  const auto y = testing::random_values<int8_t>(b.elements(), 2, -128, 127);
  std::vector<int8_t> r(out.elements());
  tm_add_s8(&p, x.data(), y.data(), r.data());
  expect_near_naive(a, b, out, x, y, r, p.broadcast, -128, 127);
}

TEST(AddTest, Int16RandomAgreesWithDoubleWithinOneUnit) {
  TensorSpec a(kTmInt16, {3, 1, 4}, 0.00031f), b(kTmInt16, {5, 1}, 0.00077f),
      out(kTmInt16, {3, 5, 4}, 0.0009f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.left_shift, 15);
  const auto x =
      testing::random_values<int16_t>(a.elements(), 3, -32768, 32767);
  const auto y =
      testing::random_values<int16_t>(b.elements(), 4, -32768, 32767);
  std::vector<int16_t> r(out.elements());
  tm_add_s16(&p, x.data(), y.data(), r.data());
  expect_near_naive(a, b, out, x, y, r, p.broadcast, -32768, 32767);
}

TEST(AddTest, OutputMayAliasFirstInput) {
  TensorSpec a(kTmInt8, {2, 4}, 0.05f, 3), b(kTmInt8, {4}, 0.02f, -9),
      out(kTmInt8, {2, 4}, 0.07f, 1);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  auto x = testing::random_values<int8_t>(8, 5, -128, 127);
  const auto y = testing::random_values<int8_t>(4, 6, -128, 127);
  std::vector<int8_t> separate(8);
  tm_add_s8(&p, x.data(), y.data(), separate.data());
  tm_add_s8(&p, x.data(), y.data(), x.data());
  EXPECT_EQ(x, separate);
}

TEST(AddTest, RejectsBadShapesTypesAndActivations) {
  TensorSpec a(kTmInt8, {2, 3}, 0.1f), b(kTmInt8, {2}, 0.1f),
      out(kTmInt8, {2, 3}, 0.1f), f(kTmFloat32, {2, 3});
  TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmAddParams p;
  EXPECT_EQ(tm_add_prepare(&attrs, a.get(), b.get(), out.get(), &p),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_add_prepare(&attrs, a.get(), f.get(), out.get(), &p),
            kTmErrorBadArgument);
  attrs.activation = kTmActTanh;
  EXPECT_EQ(tm_add_prepare(&attrs, a.get(), a.get(), out.get(), &p),
            kTmErrorUnsupported);
}

// TFLM's own output for the seanet ADD models (int16, non-power-of-two
// scales: TFLM's general scheme) and the int8 simple_add model.
template <typename T>
void run_add_golden(const testing::SeanetModel& m,
                    void (*add)(const TmAddParams*, const T*, const T*, T*)) {
  const TmTensor a = m.input(0), b = m.input(1), out = m.output(0);
  TmAddParams p;
  ASSERT_EQ(tm_add_prepare(&m.op().attrs.u.elementwise, &a, &b, &out, &p),
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
    const int32_t n = tm_shape_elements(&out.shape);
    const auto xs = testing::from_bytes<T>(x, tm_shape_elements(&a.shape));
    const auto ys = testing::from_bytes<T>(y, tm_shape_elements(&b.shape));
    std::vector<T> r(n);
    add(&p, xs.data(), ys.data(), r.data());
    ASSERT_EQ(pair.output.size(), n * sizeof(T));
    EXPECT_EQ(std::memcmp(r.data(), pair.output.data(), pair.output.size()), 0)
        << m.name << " " << pair.name;
  }
}

TEST(AddGoldenTest, SeanetAddModelsMatchTflmByteForByte) {
  std::string error;
  const auto models = testing::load_seanet("seanet_add", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "no seanet_add models under " << testing::golden_dir();
  }
  EXPECT_EQ(error, "");
  for (const auto& m : models) run_add_golden<int16_t>(m, tm_add_s16);
  EXPECT_EQ(models.size(), 12u);
}

TEST(AddGoldenTest, SimpleAddModelMatchesTflmByteForByte) {
  std::string error;
  const auto models = testing::load_seanet("tflm_simple_add_model", &error);
  if (models.empty() && error.empty()) {
    GTEST_SKIP() << "tflm_simple_add_model absent under "
                 << testing::golden_dir();
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(models.size(), 1u);
  run_add_golden<int8_t>(models[0], tm_add_s8);
}

}  // namespace
}  // namespace tierml
