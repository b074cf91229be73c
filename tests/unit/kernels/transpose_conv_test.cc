#include "kernels/transpose_conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

TmTransposeConvAttrs tc_attrs(TmPadding padding, int32_t stride,
                              TmActivation act = kTmActNone) {
  TmTransposeConvAttrs a = {};
  a.padding = padding;
  a.stride_w = a.stride_h = stride;
  a.activation = act;
  return a;
}

std::vector<int32_t> shape_of(QTensor& t) {
  const TmShape& s = t.get()->shape;
  return std::vector<int32_t>(s.dims, s.dims + s.rank);
}

std::vector<int8_t> run_s8(const TmTransposeConvAttrs& attrs, QTensor& input,
                           QTensor& filter, QTensor* bias, QTensor& output) {
  std::vector<int32_t> dims = shape_of(output);
  QTensor shape(kTmInt32, {4});
  shape.data(dims);
  const int32_t channels = filter.get()->shape.dims[0];
  std::vector<int32_t> multipliers(channels), shifts(channels);
  TmTransposeConvParams p;
  size_t scratch_bytes = 0;
  EXPECT_EQ(tm_transpose_conv_prepare(&attrs, shape.get(), filter.get(),
                                      input.get(), bias ? bias->get() : nullptr,
                                      output.get(), multipliers.data(),
                                      shifts.data(), &p, &scratch_bytes),
            kTmOk);
  EXPECT_EQ(scratch_bytes, output.elements() * sizeof(int32_t));
  std::vector<int32_t> scratch(output.elements());
  std::vector<int8_t> out(output.elements());
  tm_transpose_conv_s8(
      &p, static_cast<const int8_t*>(input.get()->data),
      static_cast<const int8_t*>(filter.get()->data),
      bias ? static_cast<const int32_t*>(bias->get()->data) : nullptr,
      out.data(), scratch.data());
  return out;
}

template <typename Bias>
std::vector<int16_t> run_s16(const TmTransposeConvAttrs& attrs, QTensor& input,
                             QTensor& filter, QTensor* bias, QTensor& output) {
  const int32_t channels = filter.get()->shape.dims[0];
  std::vector<int32_t> multipliers(channels), shifts(channels);
  TmTransposeConvParams p;
  size_t scratch_bytes = 0;
  EXPECT_EQ(tm_transpose_conv_prepare(&attrs, nullptr, filter.get(),
                                      input.get(), bias ? bias->get() : nullptr,
                                      output.get(), multipliers.data(),
                                      shifts.data(), &p, &scratch_bytes),
            kTmOk);
  EXPECT_EQ(scratch_bytes, output.elements() * sizeof(int64_t));
  std::vector<int64_t> scratch(output.elements());
  std::vector<int16_t> out(output.elements());
  const auto* x = static_cast<const int16_t*>(input.get()->data);
  const auto* w = static_cast<const int8_t*>(filter.get()->data);
  const Bias* b = bias ? static_cast<const Bias*>(bias->get()->data) : nullptr;
  if constexpr (sizeof(Bias) == 2) {
    tm_transpose_conv_s16_bias16(&p, x, w, b, out.data(), scratch.data());
  } else {
    tm_transpose_conv_s16(&p, x, w, b, out.data(), scratch.data());
  }
  return out;
}

// Stride 1, VALID: 2x2 input {1,2,3,4} (q = real + 1, zero point 1) and 2x2
// filter {1,2,3,4} give the full 3x3 convolution
//   out(y,x) = sum in(i,j) * w(y-i, x-j):
//   1*1=1      1*2+2*1=4          2*2=4
//   1*3+3*1=6  1*4+2*3+3*2+4*1=20 2*4+4*2=16
//   3*3=9      3*4+4*3=24         4*4=16
// Output zero point -3 shifts them all by -3.
TEST(TransposeConvTest, Int8Stride1HandChecked) {
  std::vector<int8_t> x = {2, 3, 4, 5};
  std::vector<int8_t> w = {1, 2, 3, 4};
  QTensor in(kTmInt8, {1, 2, 2, 1}), f(kTmInt8, {1, 2, 2, 1}),
      out(kTmInt8, {1, 3, 3, 1});
  in.quant({1.f}, 1).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, -3);
  EXPECT_EQ(run_s8(tc_attrs(kTmPaddingValid, 1), in, f, nullptr, out),
            (std::vector<int8_t>{-2, 1, 1, 3, 17, 13, 6, 21, 13}));
}

// Stride 2, SAME, 3x3 ones, 2x2 input {1,2,3,4} -> 4x4. Padding is computed
// as for a convolution of the 4x4 output: total (2-1)*2 + 3 - 4 = 1, none
// before. Input (i,j) adds itself to rows 2i..2i+2, cols 2j..2j+2 (row or
// column 4 falls outside):
//   1 1 3 2
//   1 1 3 2
//   4 4 10 6
//   3 3 7 4
TEST(TransposeConvTest, Int8Stride2SameHandChecked) {
  std::vector<int8_t> x = {1, 2, 3, 4};
  std::vector<int8_t> w(9, 1);
  QTensor in(kTmInt8, {1, 2, 2, 1}), f(kTmInt8, {1, 3, 3, 1}),
      out(kTmInt8, {1, 4, 4, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, 0);
  EXPECT_EQ(
      run_s8(tc_attrs(kTmPaddingSame, 2), in, f, nullptr, out),
      (std::vector<int8_t>{1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4}));
}

// Two output channels with per-channel scales {1, 0.5}, weights {1} and
// {-2}, input {10, 100}, bias {5, 0}: channel 0: 15, 105; channel 1: -20 *
// 0.5 = -10 -> RELU 0, -200 * 0.5 = -100 -> 0. Saturation: 100 * 1 + 5 =
// 105 stays; a third input 127 gives 132 -> 127.
TEST(TransposeConvTest, Int8PerChannelBiasActivationSaturation) {
  std::vector<int8_t> x = {10, 100, 127};
  std::vector<int8_t> w = {1, -2};
  std::vector<int32_t> b = {5, 0};
  QTensor in(kTmInt8, {1, 1, 3, 1}), f(kTmInt8, {2, 1, 1, 1}),
      bias(kTmInt32, {2}), out(kTmInt8, {1, 1, 3, 2});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f, 0.5f}, 0, 0).data(w);
  bias.data(b);
  out.quant({1.f}, 0);
  EXPECT_EQ(run_s8(tc_attrs(kTmPaddingValid, 1, kTmActRelu), in, f, &bias, out),
            (std::vector<int8_t>{15, 0, 105, 0, 127, 0}));
}

// 16x8, the stride-1 example scaled: input {100,200,300,400}, filter
// {1,2,3,4}, bias 7, as an int64 and as an int16 bias (TFLM widens it):
// 100 * {1,4,4,6,20,16,9,24,16} + 7.
TEST(TransposeConvTest, Int16BothBiasWidths) {
  std::vector<int16_t> x = {100, 200, 300, 400};
  std::vector<int8_t> w = {1, 2, 3, 4};
  std::vector<int64_t> b64 = {7};
  std::vector<int16_t> b16 = {7};
  QTensor in(kTmInt16, {1, 2, 2, 1}), f(kTmInt8, {1, 2, 2, 1}),
      bias64(kTmInt64, {1}), bias16(kTmInt16, {1}), out(kTmInt16, {1, 3, 3, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  bias64.data(b64);
  bias16.data(b16);
  out.quant({1.f}, 0);
  const std::vector<int16_t> expected = {107,  407, 407,  607, 2007,
                                         1607, 907, 2407, 1607};
  const TmTransposeConvAttrs a = tc_attrs(kTmPaddingValid, 1);
  EXPECT_EQ(run_s16<int64_t>(a, in, f, &bias64, out), expected);
  EXPECT_EQ(run_s16<int16_t>(a, in, f, &bias16, out), expected);
}

TEST(TransposeConvTest, PrepareChecksTheOutputShapeTensor) {
  QTensor in(kTmInt8, {1, 2, 2, 1}), f(kTmInt8, {1, 2, 2, 1}),
      out(kTmInt8, {1, 3, 3, 1});
  in.quant({1.f}, 0);
  f.quant({1.f}, 0);
  out.quant({1.f}, 0);
  std::vector<int32_t> wrong = {1, 4, 4, 1};
  QTensor shape(kTmInt32, {4});
  shape.data(wrong);
  int32_t m, s;
  size_t scratch = 0;
  TmTransposeConvParams p;
  const TmTransposeConvAttrs a = tc_attrs(kTmPaddingValid, 1);
  EXPECT_EQ(tm_transpose_conv_prepare(&a, shape.get(), f.get(), in.get(),
                                      nullptr, out.get(), &m, &s, &p, &scratch),
            kTmErrorBadArgument);
  QTensor f2(kTmInt8, {1, 2, 2, 3});  // filter depth must be the input's
  f2.quant({1.f}, 0);
  EXPECT_EQ(tm_transpose_conv_prepare(&a, nullptr, f2.get(), in.get(), nullptr,
                                      out.get(), &m, &s, &p, &scratch),
            kTmErrorBadArgument);
}

// ---- Randomized comparison with a naive implementation -------------------

struct Geometry {
  int32_t n, h, w, cin, cout, kh, kw, stride_h, stride_w;
  TmPadding padding;
  int32_t oh, ow, pad_h, pad_w;
};

Geometry random_geometry(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  Geometry g = {};
  g.n = pick(1, 2);
  g.h = pick(1, 6);
  g.w = pick(1, 6);
  g.cin = pick(1, 5);
  g.cout = pick(1, 5);
  g.kh = pick(1, 4);
  g.kw = pick(1, 4);
  g.stride_h = pick(1, 3);
  g.stride_w = pick(1, 3);
  g.padding = pick(0, 1) ? kTmPaddingSame : kTmPaddingValid;
  // The usual output extents: in * stride (SAME) or (in - 1) * stride + k.
  auto axis = [&](int32_t in, int32_t k, int32_t s, int32_t* out,
                  int32_t* pad) {
    *out = g.padding == kTmPaddingSame ? in * s : (in - 1) * s + k;
    const int32_t conv_out =
        g.padding == kTmPaddingSame ? (*out + s - 1) / s : (*out - k + s) / s;
    *pad = std::max(0, (conv_out - 1) * s + k - *out) / 2;
  };
  axis(g.h, g.kh, g.stride_h, &g.oh, &g.pad_h);
  axis(g.w, g.kw, g.stride_w, &g.ow, &g.pad_w);
  return g;
}

// Gathers each output from the inputs that reach it (the kernel scatters).
void naive_transpose_conv(const Geometry& g, const std::vector<double>& x,
                          const std::vector<double>& w,
                          std::vector<double>* acc,
                          std::vector<double>* magnitude) {
  acc->assign(static_cast<size_t>(g.n) * g.oh * g.ow * g.cout, 0.0);
  magnitude->assign(acc->size(), 0.0);
  for (int b = 0; b < g.n; ++b)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox)
        for (int oc = 0; oc < g.cout; ++oc) {
          double sum = 0, mag = 0;
          for (int iy = 0; iy < g.h; ++iy)
            for (int ix = 0; ix < g.w; ++ix) {
              const int ky = oy + g.pad_h - iy * g.stride_h;
              const int kx = ox + g.pad_w - ix * g.stride_w;
              if (ky < 0 || ky >= g.kh || kx < 0 || kx >= g.kw) continue;
              for (int ic = 0; ic < g.cin; ++ic) {
                const double term =
                    x[((b * g.h + iy) * g.w + ix) * g.cin + ic] *
                    w[((oc * g.kh + ky) * g.kw + kx) * g.cin + ic];
                sum += term;
                mag += std::fabs(term);
              }
            }
          const size_t o = ((b * g.oh + oy) * g.ow + ox) * g.cout + oc;
          (*acc)[o] = sum;
          (*magnitude)[o] = mag;
        }
}

TEST(TransposeConvTest, Int8MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(67);
  testing::Coverage coverage;
  for (int iter = 0; iter < 300; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t in_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    const int32_t out_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    auto x =
        testing::random_ints<int8_t>(rng, g.n * g.h * g.w * g.cin, -128, 127);
    auto w = testing::random_ints<int8_t>(rng, g.cout * g.kh * g.kw * g.cin,
                                          -127, 127);
    auto b = testing::random_ints<int32_t>(rng, g.cout, -20000, 20000);
    const bool per_channel = rng() % 2;
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? g.cout : 1, 0.001f, 0.02f);
    const float out_scale = in_scale * std::sqrt(float(g.cin * 2)) *
                            testing::random_floats(rng, 1, 0.5f, 4.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt8, {g.n, g.h, g.w, g.cin}),
        f(kTmInt8, {g.cout, g.kh, g.kw, g.cin}), bias(kTmInt32, {g.cout}),
        out(kTmInt8, {g.n, g.oh, g.ow, g.cout});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, 0, 0).data(w);
    bias.data(b);
    out.quant({out_scale}, out_zp);
    TmTransposeConvAttrs a = tc_attrs(g.padding, 1, act);
    a.stride_h = g.stride_h;
    a.stride_w = g.stride_w;
    const auto actual = run_s8(a, in, f, &bias, out);

    std::vector<double> xr(x.size()), wr(w.begin(), w.end()), acc, mag;
    for (size_t i = 0; i < x.size(); ++i) xr[i] = x[i] - in_zp;
    naive_transpose_conv(g, xr, wr, &acc, &mag);
    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, out_zp, -128, 127, &lo,
                                    &hi);
    std::vector<int32_t> expected(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const int oc = static_cast<int>(i % g.cout);
      const double m =
          double(in_scale) * w_scales[per_channel ? oc : 0] / double(out_scale);
      expected[i] =
          testing::naive_requantize(acc[i] + b[oc], m, out_zp, lo, hi);
    }
    coverage.add(expected, lo, hi);
    ASSERT_TRUE(testing::all_within(actual, expected, 1))
        << "iteration " << iter;
  }
  EXPECT_TRUE(coverage.enough()) << coverage.inside << " of " << coverage.total;
}

TEST(TransposeConvTest, Int16MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(616);
  testing::Coverage coverage;
  for (int iter = 0; iter < 200; ++iter) {
    const Geometry g = random_geometry(rng);
    auto x = testing::random_ints<int16_t>(rng, g.n * g.h * g.w * g.cin, -32768,
                                           32767);
    auto w = testing::random_ints<int8_t>(rng, g.cout * g.kh * g.kw * g.cin,
                                          -127, 127);
    auto b = testing::random_ints<int64_t>(rng, g.cout, -300000, 300000);
    const float in_scale = testing::random_floats(rng, 1, 1e-4f, 1e-3f)[0];
    auto w_scales = testing::random_floats(rng, g.cout, 0.001f, 0.02f);
    const float out_scale = in_scale * std::sqrt(float(g.cin * 2)) *
                            testing::random_floats(rng, 1, 1.f, 8.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt16, {g.n, g.h, g.w, g.cin}),
        f(kTmInt8, {g.cout, g.kh, g.kw, g.cin}), bias(kTmInt64, {g.cout}),
        out(kTmInt16, {g.n, g.oh, g.ow, g.cout});
    in.quant({in_scale}, 0).data(x);
    f.quant(w_scales, 0, 0).data(w);
    bias.data(b);
    out.quant({out_scale}, 0);
    TmTransposeConvAttrs a = tc_attrs(g.padding, 1, act);
    a.stride_h = g.stride_h;
    a.stride_w = g.stride_w;
    const auto actual = run_s16<int64_t>(a, in, f, &bias, out);

    std::vector<double> xr(x.begin(), x.end()), wr(w.begin(), w.end()), acc,
        mag;
    naive_transpose_conv(g, xr, wr, &acc, &mag);
    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, 0, -32768, 32767, &lo, &hi);
    std::vector<int32_t> expected(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const int oc = static_cast<int>(i % g.cout);
      const double m = double(in_scale) * w_scales[oc] / double(out_scale);
      expected[i] = testing::naive_requantize(acc[i] + b[oc], m, 0, lo, hi);
    }
    coverage.add(expected, lo, hi);
    // 15-bit multiplier of the 64-bit path: see the CONV_2D test.
    ASSERT_TRUE(testing::all_within(actual, expected, 2))
        << "iteration " << iter;
  }
  EXPECT_TRUE(coverage.enough()) << coverage.inside << " of " << coverage.total;
}

TEST(TransposeConvTest, Float32MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(673);
  for (int iter = 0; iter < 200; ++iter) {
    const Geometry g = random_geometry(rng);
    auto x = testing::random_floats(rng, g.n * g.h * g.w * g.cin, -2.f, 2.f);
    auto w =
        testing::random_floats(rng, g.cout * g.kh * g.kw * g.cin, -1.f, 1.f);
    auto b = testing::random_floats(rng, g.cout, -1.f, 1.f);
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmFloat32, {g.n, g.h, g.w, g.cin}),
        f(kTmFloat32, {g.cout, g.kh, g.kw, g.cin}), bias(kTmFloat32, {g.cout}),
        out(kTmFloat32, {g.n, g.oh, g.ow, g.cout});
    in.data(x);
    f.data(w);
    bias.data(b);
    TmTransposeConvAttrs a = tc_attrs(g.padding, 1, act);
    a.stride_h = g.stride_h;
    a.stride_w = g.stride_w;
    TmTransposeConvParams p;
    size_t scratch_bytes = 1;
    ASSERT_EQ(tm_transpose_conv_prepare(&a, nullptr, f.get(), in.get(),
                                        bias.get(), out.get(), nullptr, nullptr,
                                        &p, &scratch_bytes),
              kTmOk);
    EXPECT_EQ(scratch_bytes, 0u);
    std::vector<float> actual(out.elements());
    tm_transpose_conv_f32(&p, x.data(), w.data(), b.data(), actual.data());

    std::vector<double> xr(x.begin(), x.end()), wr(w.begin(), w.end()), acc,
        mag;
    naive_transpose_conv(g, xr, wr, &acc, &mag);
    double lo, hi;
    testing::naive_activation_range_float(act, &lo, &hi);
    for (size_t i = 0; i < acc.size(); ++i) {
      acc[i] = std::min(hi, std::max(lo, acc[i] + b[i % g.cout]));
      mag[i] += std::fabs(b[i % g.cout]);
    }
    ASSERT_TRUE(testing::floats_close(actual, acc, mag, 1e-5))
        << "iteration " << iter;
  }
}

}  // namespace
}  // namespace tierml
