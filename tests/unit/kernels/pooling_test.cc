#include "kernels/pooling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "model/reader.h"
#include "unit/kernels/golden_feed.h"
#include "unit/kernels/seanet_single_op.h"
#include "unit/kernels/tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

TmPoolAttrs pool_attrs(TmPadding padding, int32_t filter_h, int32_t filter_w,
                       int32_t stride_h, int32_t stride_w,
                       TmActivation activation = kTmActNone) {
  TmPoolAttrs a = {};
  a.padding = padding;
  a.filter_h = filter_h;
  a.filter_w = filter_w;
  a.stride_h = stride_h;
  a.stride_w = stride_w;
  a.activation = activation;
  return a;
}

// 3x3 input, 2x2 filter, stride 2, SAME: output 2x2, total padding
// (2-1)*2 + 2 - 3 = 1 which goes to the bottom/right. Windows hold 4, 2, 2
// and 1 elements:
//   1 2 3     (1+2+4+5)/4 = 3    (3+6)/2 = 4.5 -> 5
//   4 5 6     (7+8)/2 = 7.5 -> 8  9
//   7 8 9
// Negated input rounds the halves away from zero too: -3, -5, -8, -9.
TEST(AveragePoolTest, Int8SamePaddingCountsOnlyRealElements) {
  TensorSpec in(kTmInt8, {1, 3, 3, 1}, 0.1f), out(kTmInt8, {1, 2, 2, 1}, 0.1f);
  const TmPoolAttrs attrs = pool_attrs(kTmPaddingSame, 2, 2, 2, 2);
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.pad_h, 0);
  EXPECT_EQ(p.pad_w, 0);
  int8_t x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  int8_t r[4];
  tm_average_pool_s8(&p, x, r);
  EXPECT_EQ(r[0], 3);
  EXPECT_EQ(r[1], 5);
  EXPECT_EQ(r[2], 8);
  EXPECT_EQ(r[3], 9);
  for (auto& v : x) v = static_cast<int8_t>(-v);
  tm_average_pool_s8(&p, x, r);
  EXPECT_EQ(r[0], -3);
  EXPECT_EQ(r[1], -5);
  EXPECT_EQ(r[2], -8);
  EXPECT_EQ(r[3], -9);
}

// 4x4 input, 3x3 filter, stride 1, SAME: padding 1 on each side. The
// top-left window covers rows/cols 0..1 (4 values), the top edge 6 values.
TEST(AveragePoolTest, PaddingAtBordersTwoChannels) {
  TensorSpec in(kTmInt16, {1, 4, 4, 2}, 0.01f),
      out(kTmInt16, {1, 4, 4, 2}, 0.01f);
  const TmPoolAttrs attrs = pool_attrs(kTmPaddingSame, 3, 3, 1, 1);
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  EXPECT_EQ(p.pad_h, 1);
  EXPECT_EQ(p.pad_w, 1);
  std::vector<int16_t> x(32);
  for (int i = 0; i < 16; ++i) {
    x[2 * i] = static_cast<int16_t>(i * 1000);       // channel 0: 1000 * index
    x[2 * i + 1] = static_cast<int16_t>(-i * 1000);  // channel 1: negated
  }
  std::vector<int16_t> r(32);
  tm_average_pool_s16(&p, x.data(), r.data());
  // (0 + 1 + 4 + 5) * 1000 / 4 = 2500.
  EXPECT_EQ(r[0], 2500);
  EXPECT_EQ(r[1], -2500);
  // Output (0,1): rows 0..1, cols 0..2: (0+1+2+4+5+6)*1000/6 = 3000.
  EXPECT_EQ(r[2], 3000);
  // Centre (1,1): rows 0..2, cols 0..2: (0+1+2+4+5+6+8+9+10)*1000/9 = 5000.
  EXPECT_EQ(r[2 * 5], 5000);
  // Bottom-right (3,3): rows 2..3, cols 2..3: (10+11+14+15)*1000/4 = 12500.
  EXPECT_EQ(r[30], 12500);
  EXPECT_EQ(r[31], -12500);
}

// VALID, odd shapes: 5x7 input, 2x3 filter, strides 2x2 -> 2x3 output.
TEST(PoolTest, ValidOddShapesAgainstNaive) {
  TensorSpec in(kTmInt8, {2, 5, 7, 3}, 0.1f, -5),
      out(kTmInt8, {2, 2, 3, 3}, 0.1f, -5);
  const TmPoolAttrs attrs = pool_attrs(kTmPaddingValid, 2, 3, 2, 2);
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  const auto x = testing::random_values<int8_t>(in.elements(), 21, -128, 127);
  std::vector<int8_t> avg(out.elements()), mx(out.elements());
  tm_average_pool_s8(&p, x.data(), avg.data());
  tm_max_pool_s8(&p, x.data(), mx.data());
  int o = 0;
  for (int b = 0; b < 2; ++b)
    for (int oy = 0; oy < 2; ++oy)
      for (int ox = 0; ox < 3; ++ox)
        for (int c = 0; c < 3; ++c, ++o) {
          double sum = 0;
          int m = -128;
          for (int fy = 0; fy < 2; ++fy)
            for (int fx = 0; fx < 3; ++fx) {
              const int v =
                  x[((b * 5 + oy * 2 + fy) * 7 + ox * 2 + fx) * 3 + c];
              sum += v;
              m = v > m ? v : m;
            }
          // Rounding of the mean is exact here: half away from zero.
          EXPECT_EQ(avg[o], static_cast<int>(std::round(sum / 6))) << o;
          EXPECT_EQ(mx[o], m) << o;
        }
}

// RELU on an int8 output with zero point -20 clamps at -20; RELU6 with scale
// 0.1 also clamps at -20 + round(6 / 0.1) = 40.
TEST(MaxPoolTest, Int8FusedActivationClampsAtQuantizedZeroAndSix) {
  TensorSpec in(kTmInt8, {1, 2, 2, 1}, 0.1f, -20),
      out(kTmInt8, {1, 1, 1, 1}, 0.1f, -20);
  TmPoolAttrs attrs = pool_attrs(kTmPaddingValid, 2, 2, 2, 2, kTmActRelu);
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  const int8_t low[4] = {-128, -100, -50, -21};
  const int8_t high[4] = {-128, 127, 0, 3};
  int8_t r;
  tm_max_pool_s8(&p, low, &r);
  EXPECT_EQ(r, -20);
  tm_max_pool_s8(&p, high, &r);
  EXPECT_EQ(r, 127);
  attrs.activation = kTmActRelu6;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  tm_max_pool_s8(&p, high, &r);
  EXPECT_EQ(r, 40);
  const int8_t all_min[4] = {-128, -128, -128, -128};
  attrs.activation = kTmActNone;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  tm_max_pool_s8(&p, all_min, &r);
  EXPECT_EQ(r, -128);
}

TEST(PoolTest, FloatAverageAndMax) {
  TensorSpec in(kTmFloat32, {1, 2, 3, 1}), out(kTmFloat32, {1, 1, 2, 1});
  const TmPoolAttrs attrs = pool_attrs(kTmPaddingSame, 2, 2, 2, 2, kTmActRelu6);
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  // Windows: {1, 2, 4, 5} and {3, 6} (right column only, padding trailing).
  const float x[6] = {1, 2, 3, 4, 5.5f, 16};
  float r[2];
  tm_average_pool_f32(&p, x, r);
  EXPECT_FLOAT_EQ(r[0], 3.125f);
  EXPECT_FLOAT_EQ(r[1], 6.0f);  // 9.5 clamped by RELU6
  tm_max_pool_f32(&p, x, r);
  EXPECT_FLOAT_EQ(r[0], 5.5f);
  EXPECT_FLOAT_EQ(r[1], 6.0f);
}

TEST(PoolTest, Int16MaxPoolSaturatedValues) {
  TensorSpec in(kTmInt16, {1, 1, 4, 1}, 0.5f),
      out(kTmInt16, {1, 1, 2, 1}, 0.5f);
  const TmPoolAttrs attrs = pool_attrs(kTmPaddingValid, 1, 2, 1, 2);
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p), kTmOk);
  const int16_t x[4] = {-32768, -32768, 32767, -1};
  int16_t r[2];
  tm_max_pool_s16(&p, x, r);
  EXPECT_EQ(r[0], -32768);
  EXPECT_EQ(r[1], 32767);
  tm_average_pool_s16(&p, x, r);
  EXPECT_EQ(r[0], -32768);
  EXPECT_EQ(r[1], 16383);  // 32766 / 2
}

TEST(PoolTest, RejectsWrongOutputShape) {
  TensorSpec in(kTmInt8, {1, 5, 5, 2}, 0.1f), out(kTmInt8, {1, 2, 2, 2}, 0.1f);
  const TmPoolAttrs attrs = pool_attrs(kTmPaddingSame, 2, 2, 2, 2);
  TmPoolParams p;
  // SAME gives ceil(5 / 2) = 3, not 2.
  EXPECT_EQ(tm_pool_prepare(&attrs, in.get(), out.get(), &p),
            kTmErrorBadArgument);
  const TmPoolAttrs zero_stride = pool_attrs(kTmPaddingSame, 2, 2, 0, 2);
  EXPECT_EQ(tm_pool_prepare(&zero_stride, in.get(), out.get(), &p),
            kTmErrorBadArgument);
}

// tiny_kws_ref_model's AVERAGE_POOL_2D (op 9) on TFLM's own intermediate
// tensors: its input is op 8's output for in_5.bin.
TEST(PoolGoldenTest, TinyKwsAveragePoolMatchesTflmIntermediate) {
  const auto dir = testing::golden_dir() / "tiny_kws_ref_model";
  if (!std::filesystem::exists(dir / "model.tflite")) {
    GTEST_SKIP() << "tiny_kws_ref_model absent under " << testing::golden_dir();
  }
  auto graph = model::read_model_file((dir / "model.tflite").string());
  ASSERT_TRUE(graph.has_value()) << graph.status().message();
  const testing::SeanetModel m{
      "tiny_kws_ref_model", std::move(graph.value()), {}};
  const model::Operator& op = m.graph.operators.at(9);
  ASSERT_EQ(op.builtin_code, kTmOpAveragePool2d);
  const TmTensor in = m.view(op.inputs.at(0)), out = m.view(op.outputs.at(0));
  TmPoolParams p;
  ASSERT_EQ(tm_pool_prepare(&op.attrs.u.pool, &in, &out, &p), kTmOk);
  const auto x = testing::read_bytes(dir / "intermediates" / "op008_t30.bin");
  const auto expected =
      testing::read_bytes(dir / "intermediates" / "op009_t31.bin");
  ASSERT_EQ(x.size(), static_cast<size_t>(tm_shape_elements(&in.shape)));
  ASSERT_EQ(expected.size(),
            static_cast<size_t>(tm_shape_elements(&out.shape)));
  std::vector<int8_t> r(expected.size());
  tm_average_pool_s8(&p, reinterpret_cast<const int8_t*>(x.data()), r.data());
  EXPECT_EQ(std::memcmp(r.data(), expected.data(), expected.size()), 0);
}

}  // namespace
}  // namespace tierml
