#include "kernels/mean.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace {

TmTensor make(TmType type, std::vector<int32_t> dims) {
  TmTensor t = {};
  t.type = type;
  t.shape.rank = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) t.shape.dims[i] = dims[i];
  return t;
}

void quantize(TmTensor* t, const float* scale, int32_t zero_point) {
  t->quant.count = 1;
  t->quant.scales = scale;
  t->quant.zero_point = zero_point;
}

template <typename T>
std::vector<T> mean_int(std::vector<int32_t> in_dims,
                        std::vector<int32_t> out_dims,
                        const std::vector<int32_t>& axes,
                        const std::vector<T>& in, float in_scale, int32_t in_zp,
                        float out_scale, int32_t out_zp) {
  const TmType type = sizeof(T) == 1 ? kTmInt8 : kTmInt16;
  TmTensor input = make(type, in_dims);
  TmTensor output = make(type, out_dims);
  quantize(&input, &in_scale, in_zp);
  quantize(&output, &out_scale, out_zp);
  TmReducerAttrs attrs = {1};
  TmMeanParams p;
  size_t scratch_bytes = 0;
  EXPECT_EQ(tm_mean_prepare(&attrs, &input, axes.data(),
                            static_cast<int32_t>(axes.size()), &output, &p,
                            &scratch_bytes),
            kTmOk);
  const int32_t n = tm_shape_elements(&output.shape);
  EXPECT_EQ(scratch_bytes, sizeof(int32_t) * n);
  std::vector<int32_t> scratch(n, 12345);
  std::vector<T> out(n, 99);
  if constexpr (sizeof(T) == 1) {
    tm_mean_s8(&p, in.data(), out.data(), scratch.data());
  } else {
    tm_mean_s16(&p, in.data(), out.data(), scratch.data());
  }
  return out;
}

using I8 = std::vector<int8_t>;
using I16 = std::vector<int16_t>;

TEST(Mean, EqualQuantizationStillRequantizes) {
  // TFLM requantizes even with equal scale and zero point (multiplier 1.0 =
  // 2^30 * 2^1, with 1/2 folded in exactly). The doubling high multiply
  // rounds an exact half upward: -3.5 -> -3, 3.5 -> 4.
  EXPECT_EQ(
      mean_int<int8_t>({2, 2}, {2, 1}, {1}, I8{-3, -4, 3, 4}, 0.5f, 0, 0.5f, 0),
      (I8{-3, 4}));
  // The zero point is taken out and put back: (5 - 7 + 6 - 7) / 2 = -1.5
  // -> -1, + 7 = 6.
  EXPECT_EQ(mean_int<int8_t>({2}, {1}, {0}, I8{5, 6}, 0.5f, 7, 0.5f, 7),
            (I8{6}));
}

TEST(Mean, RequantizedHalvesFollowTflmRounding) {
  // Multiplier 1.0 = 2^30 * 2^1. Two elements: 1/2 folds into the
  // multiplier exactly (shift 0), and the doubling high multiply rounds an
  // exact half upward: -1.5 -> -1, 1.5 -> 2; then + output zero point 1.
  EXPECT_EQ(
      mean_int<int8_t>({2, 2}, {2}, {1}, I8{-1, -2, 1, 2}, 1.0f, 0, 1.0f, 1),
      (I8{0, 3}));
  // Four elements: the 1/4 lands in a rounding right shift, which rounds
  // halves away from zero: -1.5 -> -2, 1.5 -> 2.
  EXPECT_EQ(mean_int<int8_t>({2, 4}, {2, 1}, {-1},
                             I8{-1, -2, -1, -2, 1, 2, 1, 2}, 1.0f, 0, 1.0f, 1),
            (I8{-1, 3}));
}

TEST(Mean, RequantizesScaleAndSaturates) {
  // mean 100 (in zp 0, scale 1) into scale 0.5, zp 10 -> 210, saturates 127.
  EXPECT_EQ(
      mean_int<int8_t>({3}, {1}, {0}, I8{100, 100, 100}, 1.0f, 0, 0.5f, 10),
      (I8{127}));
  // (q - zp) sums to 20 over 3 elements; scale ratio 0.5 -> 3.33 exactly,
  // but TFLite rounds twice: 1/3 sits in the multiplier (20/3 = 6.67 -> 7)
  // and the 1/2 in the shift (3.5 -> 4). Plus zp -4 -> 0.
  EXPECT_EQ(
      mean_int<int8_t>({3}, {1}, {0}, I8{-15, 15, 35}, 0.25f, 5, 0.5f, -4),
      (I8{0}));
  // int16 at full range: mean of -32768 and 32767 is -0.5; scale ratio 2 ->
  // -1 (a doubling high multiply of an exact -1 is exact).
  EXPECT_EQ(
      mean_int<int16_t>({2}, {1}, {0}, I16{-32768, 32767}, 2.0f, 0, 1.0f, 0),
      (I16{-1}));
  EXPECT_EQ(mean_int<int16_t>({4}, {1}, {0}, I16{32767, 32767, 32767, 32767},
                              2.0f, 0, 1.0f, 0),
            (I16{32767}));
}

TEST(Mean, Int8Over4dHeightAndWidthKeepDims) {
  // 1x2x2x2, mean over H and W per channel (no special 4-D path in TFLM's
  // integer MEAN); channel 0: 1,3,5,7 -> 4; channel 1: -1,-2,-3,-4 -> -2.5,
  // and with 1/4 in the rounding shift the half goes away from zero: -3.
  EXPECT_EQ(mean_int<int8_t>({1, 2, 2, 2}, {1, 1, 1, 2}, {1, 2},
                             I8{1, -1, 3, -2, 5, -3, 7, -4}, 0.1f, 0, 0.1f, 0),
            (I8{4, -3}));
  // Output zero point 1 and the axes in the other order: 5 and -2.
  EXPECT_EQ(mean_int<int8_t>({1, 2, 2, 2}, {1, 1, 1, 2}, {2, 1},
                             I8{1, -1, 3, -2, 5, -3, 7, -4}, 0.1f, 0, 0.1f, 1),
            (I8{5, -2}));
}

// Float against a direct double-precision average, for several axis sets
// (negative, duplicated, non-adjacent, all) with and without keep_dims.
TEST(Mean, FloatMatchesDirectAverage) {
  const std::vector<int32_t> dims = {2, 3, 4, 5};
  std::vector<float> in(120);
  for (size_t i = 0; i < in.size(); ++i) {
    in[i] = std::sin(static_cast<float>(i)) * 10.0f;
  }
  const std::vector<std::vector<int32_t>> axis_sets = {
      {1, 2}, {-1}, {0, 2}, {3, -1, 3}, {0, 1, 2, 3}, {}};
  for (const auto& axes : axis_sets) {
    bool reduced[4] = {};
    for (int32_t a : axes) reduced[a < 0 ? a + 4 : a] = true;
    std::vector<int32_t> out_dims;
    for (int d = 0; d < 4; ++d) {
      if (!reduced[d]) out_dims.push_back(dims[d]);
    }
    TmTensor input = make(kTmFloat32, dims);
    TmTensor output = make(kTmFloat32, out_dims);
    TmReducerAttrs attrs = {0};
    TmMeanParams p;
    size_t scratch = 1;
    ASSERT_EQ(tm_mean_prepare(&attrs, &input, axes.data(),
                              static_cast<int32_t>(axes.size()), &output, &p,
                              &scratch),
              kTmOk);
    EXPECT_EQ(scratch, 0u);
    std::vector<float> out(tm_shape_elements(&output.shape));
    tm_mean_f32(&p, in.data(), out.data());
    // Direct: for each output position, average the matching inputs.
    std::vector<double> sum(out.size(), 0.0);
    std::vector<int> count(out.size(), 0);
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 4; ++c)
          for (int d = 0; d < 5; ++d) {
            const int idx[4] = {a, b, c, d};
            size_t o = 0;
            for (int k = 0; k < 4; ++k) {
              if (!reduced[k]) o = o * dims[k] + idx[k];
            }
            sum[o] += in[((a * 3 + b) * 4 + c) * 5 + d];
            ++count[o];
          }
    for (size_t o = 0; o < out.size(); ++o) {
      const double expected = sum[o] / count[o];
      EXPECT_NEAR(out[o], expected, 1e-5 * (1.0 + std::fabs(expected)))
          << "axes set of " << axes.size() << " at " << o;
    }
  }
}

TEST(Mean, RejectsBadAxesShapesAndTypes) {
  const float scale = 1.0f;
  TmTensor input = make(kTmInt8, {2, 3});
  TmTensor output = make(kTmInt8, {2});
  quantize(&input, &scale, 0);
  quantize(&output, &scale, 0);
  TmReducerAttrs attrs = {0};
  TmMeanParams p;
  size_t scratch;
  const int32_t too_big[] = {2}, too_small[] = {-3}, wrong[] = {0};
  EXPECT_EQ(tm_mean_prepare(&attrs, &input, too_big, 1, &output, &p, &scratch),
            kTmErrorBadArgument);
  EXPECT_EQ(
      tm_mean_prepare(&attrs, &input, too_small, 1, &output, &p, &scratch),
      kTmErrorBadArgument);
  EXPECT_EQ(tm_mean_prepare(&attrs, &input, wrong, 1, &output, &p, &scratch),
            kTmErrorBadArgument);
  TmTensor int32_in = make(kTmInt32, {2, 3});
  TmTensor int32_out = make(kTmInt32, {2});
  const int32_t last[] = {1};
  EXPECT_EQ(
      tm_mean_prepare(&attrs, &int32_in, last, 1, &int32_out, &p, &scratch),
      kTmErrorUnsupported);
  TmTensor unquantized = make(kTmInt8, {2});
  EXPECT_EQ(
      tm_mean_prepare(&attrs, &input, last, 1, &unquantized, &p, &scratch),
      kTmErrorUnsupported);
}

}  // namespace
