#include "kernels/mul.h"

#include <gtest/gtest.h>

#include <vector>

#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

TmElementwiseAttrs attrs_with(TmActivation activation) {
  TmElementwiseAttrs attrs = {};
  attrs.activation = activation;
  return attrs;
}

// s1 = 0.5, s2 = 0.25, s_out = 0.125: multiplier 1.0 -> (2^30, shift 1), so
// q = (q1 - z1) * (q2 - z2) + z_out exactly, then saturated.
TEST(MulTest, Int8HandChecked) {
  TensorSpec a(kTmInt8, {4}, 0.5f, 1), b(kTmInt8, {4}, 0.25f, -2),
      out(kTmInt8, {4}, 0.125f, 3);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmMulParams p;
  ASSERT_EQ(tm_mul_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.output_multiplier, 1 << 30);
  EXPECT_EQ(p.output_shift, 1);
  const int8_t x[4] = {4, -2, 20, 20};
  const int8_t y[4] = {1, 0, 20, -20};
  int8_t r[4];
  tm_mul_s8(&p, x, y, r);
  EXPECT_EQ(r[0], 3 * 3 + 3);   // 12
  EXPECT_EQ(r[1], -3 * 2 + 3);  // -3
  EXPECT_EQ(r[2], 127);         // 19 * 22 + 3 saturates
  EXPECT_EQ(r[3], -128);        // 19 * -18 + 3 saturates
}

// s_out = 1: real = 0.125 * (q1 - z1)(q2 - z2); 0.125 * 3 * 3 = 1.125 -> 1;
// 0.125 * 3 * 4 = 1.5 -> 2 (half away from zero); -1.5 -> -2.
TEST(MulTest, Int8RoundsHalfAwayFromZero) {
  TensorSpec a(kTmInt8, {3}, 0.5f), b(kTmInt8, {3}, 0.25f),
      out(kTmInt8, {3}, 1.0f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmMulParams p;
  ASSERT_EQ(tm_mul_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const int8_t x[3] = {3, 3, -3};
  const int8_t y[3] = {3, 4, 4};
  int8_t r[3];
  tm_mul_s8(&p, x, y, r);
  EXPECT_EQ(r[0], 1);
  EXPECT_EQ(r[1], 2);
  EXPECT_EQ(r[2], -2);
}

TEST(MulTest, Int16RequiresZeroZeroPoints) {
  TensorSpec a(kTmInt16, {2}, 0.5f, 1), b(kTmInt16, {2}, 0.5f),
      out(kTmInt16, {2}, 0.5f);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmMulParams p;
  EXPECT_EQ(tm_mul_prepare(&attrs, a.get(), b.get(), out.get(), &p),
            kTmErrorUnsupported);
}

template <typename T>
void random_against_double(const TensorSpec& a, const TensorSpec& b,
                           const TensorSpec& out, int32_t lo, int32_t hi,
                           TmActivation activation) {
  const TmElementwiseAttrs attrs = attrs_with(activation);
  TmMulParams p;
  ASSERT_EQ(tm_mul_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const auto x = testing::random_values<T>(a.elements(), 11, lo, hi);
  const auto y = testing::random_values<T>(b.elements(), 12, lo, hi);
  std::vector<T> r(out.elements());
  if constexpr (sizeof(T) == 1) {
    tm_mul_s8(&p, x.data(), y.data(), r.data());
  } else {
    tm_mul_s16(&p, x.data(), y.data(), r.data());
  }
  int checked = 0;
  broadcast_walk(p.broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    const double real = a.scale() * (x[i1] - a.zero_point()) * b.scale() *
                        (y[i2] - b.zero_point());
    const int32_t expected = testing::quantize_double(
        real, out.scale(), out.zero_point(), p.act_min, p.act_max);
    EXPECT_NEAR(r[o], expected, 1) << o;
    ++checked;
  });
  EXPECT_EQ(checked, out.elements());
}

TEST(MulTest, Int8RandomBroadcastAgreesWithDouble) {
  TensorSpec a(kTmInt8, {1, 3, 1, 4, 5}, 0.02f, -3),
      b(kTmInt8, {2, 1, 6, 1, 1}, 0.05f, 100),
      out(kTmInt8, {2, 3, 6, 4, 5}, 0.09f, -128);
  random_against_double<int8_t>(a, b, out, -128, 127, kTmActRelu);
}

TEST(MulTest, Int16RandomAgreesWithDouble) {
  TensorSpec a(kTmInt16, {4, 7}, 0.0003f), b(kTmInt16, {4, 7}, 0.0002f),
      out(kTmInt16, {4, 7}, 0.002f);
  random_against_double<int16_t>(a, b, out, -32768, 32767, kTmActNone);
}

TEST(MulTest, FloatScalarBroadcastWithRelu6) {
  TensorSpec a(kTmFloat32, {2, 2}), b(kTmFloat32, {}), out(kTmFloat32, {2, 2});
  const TmElementwiseAttrs attrs = attrs_with(kTmActRelu6);
  TmMulParams p;
  ASSERT_EQ(tm_mul_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const float x[4] = {1, -1, 2.5f, 4};
  const float y[1] = {2};
  float r[4];
  tm_mul_f32(&p, x, y, r);
  EXPECT_FLOAT_EQ(r[0], 2);
  EXPECT_FLOAT_EQ(r[1], 0);
  EXPECT_FLOAT_EQ(r[2], 5);
  EXPECT_FLOAT_EQ(r[3], 6);
}

TEST(MulTest, OutputMayAliasSecondInput) {
  TensorSpec a(kTmInt8, {5}, 0.1f, 2), b(kTmInt8, {3, 5}, 0.2f, -1),
      out(kTmInt8, {3, 5}, 0.3f, 4);
  const TmElementwiseAttrs attrs = attrs_with(kTmActNone);
  TmMulParams p;
  ASSERT_EQ(tm_mul_prepare(&attrs, a.get(), b.get(), out.get(), &p), kTmOk);
  const auto x = testing::random_values<int8_t>(5, 13, -128, 127);
  auto y = testing::random_values<int8_t>(15, 14, -128, 127);
  std::vector<int8_t> separate(15);
  tm_mul_s8(&p, x.data(), y.data(), separate.data());
  tm_mul_s8(&p, x.data(), y.data(), y.data());
  EXPECT_EQ(y, separate);
}

}  // namespace
}  // namespace tierml
