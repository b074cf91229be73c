#include "kernels/depthwise_conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

TmDepthwiseConvAttrs dw_attrs(TmPadding padding, int32_t stride,
                              int32_t dilation, int32_t multiplier,
                              TmActivation act = kTmActNone) {
  TmDepthwiseConvAttrs a = {};
  a.padding = padding;
  a.stride_w = a.stride_h = stride;
  a.dilation_w = a.dilation_h = dilation;
  a.depth_multiplier = multiplier;
  a.activation = act;
  return a;
}

std::vector<int8_t> run_s8(const TmDepthwiseConvAttrs& attrs, QTensor& input,
                           QTensor& filter, QTensor* bias, QTensor& output,
                           bool fold = true) {
  const int32_t channels = filter.get()->shape.dims[3];
  std::vector<int32_t> multipliers(channels), shifts(channels),
      folded(channels);
  TmDepthwiseConvParams p;
  EXPECT_EQ(tm_depthwise_conv_prepare(
                &attrs, input.get(), filter.get(), bias ? bias->get() : nullptr,
                output.get(), multipliers.data(), shifts.data(),
                fold ? folded.data() : nullptr, &p),
            kTmOk);
  std::vector<int8_t> out(output.elements());
  tm_depthwise_conv_s8(
      &p, static_cast<const int8_t*>(input.get()->data),
      static_cast<const int8_t*>(filter.get()->data),
      bias ? static_cast<const int32_t*>(bias->get()->data) : nullptr,
      out.data());
  return out;
}

std::vector<int16_t> run_s16(const TmDepthwiseConvAttrs& attrs, QTensor& input,
                             QTensor& filter, QTensor* bias, QTensor& output) {
  const int32_t channels = filter.get()->shape.dims[3];
  std::vector<int32_t> multipliers(channels), shifts(channels);
  TmDepthwiseConvParams p;
  EXPECT_EQ(tm_depthwise_conv_prepare(
                &attrs, input.get(), filter.get(), bias ? bias->get() : nullptr,
                output.get(), multipliers.data(), shifts.data(), nullptr, &p),
            kTmOk);
  std::vector<int16_t> out(output.elements());
  tm_depthwise_conv_s16(
      &p, static_cast<const int16_t*>(input.get()->data),
      static_cast<const int8_t*>(filter.get()->data),
      bias ? static_cast<const int64_t*>(bias->get()->data) : nullptr,
      out.data());
  return out;
}

// Two pixels p0 = {1, 2}, p1 = {3, 4} (2 channels), 1x2 filter, depth
// multiplier 2: output channel ic*2 + m. Taps w[fx][oc]: {1,2,3,4},
// {5,6,7,8}. Multiplier 1 (identity):
//   oc0 (ic0): 1*1 + 3*5 = 16, +1 = 17
//   oc1 (ic0): 1*2 + 3*6 = 20, +2 = 22
//   oc2 (ic1): 2*3 + 4*7 = 34, +3 = 37
//   oc3 (ic1): 2*4 + 4*8 = 40, +4 = 44
TEST(DepthwiseConvTest, Int8DepthMultiplier2HandChecked) {
  std::vector<int8_t> x = {1, 2, 3, 4};
  std::vector<int8_t> w = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<int32_t> b = {1, 2, 3, 4};
  QTensor in(kTmInt8, {1, 1, 2, 2}), f(kTmInt8, {1, 1, 2, 4}),
      bias(kTmInt32, {4}), out(kTmInt8, {1, 1, 1, 4});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  bias.data(b);
  out.quant({1.f}, 0);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(dw_attrs(kTmPaddingValid, 1, 1, 2), in, f, &bias, out, fold),
        (std::vector<int8_t>{17, 22, 37, 44}));
  }
}

// 3x3 input q = v + 10 for v = 1..9 with zero point 10, 3x3 ones, SAME,
// stride 2: out 2x2, total padding (2-1)*2 + 3 - 3 = 2, one before. Each
// window keeps a 2x2 block of reals:
//   (0,0): 1+2+4+5 = 12   (0,1): 2+3+5+6 = 16
//   (1,0): 4+5+7+8 = 24   (1,1): 5+6+8+9 = 28
// Padded taps read as q = 0 would subtract 10 each.
TEST(DepthwiseConvTest, Int8SameStride2BordersSkipPadding) {
  std::vector<int8_t> x(9);
  for (int i = 0; i < 9; ++i) x[i] = static_cast<int8_t>(i + 11);
  std::vector<int8_t> w(9, 1);
  QTensor in(kTmInt8, {1, 3, 3, 1}), f(kTmInt8, {1, 3, 3, 1}),
      out(kTmInt8, {1, 2, 2, 1});
  in.quant({1.f}, 10).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, 0);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(dw_attrs(kTmPaddingSame, 2, 1, 1), in, f, nullptr, out, fold),
        (std::vector<int8_t>{12, 16, 24, 28}));
  }
}

// As the CONV_2D case: v = 5y + x on 5x5, taps {1,2,3,4} dilated by 2 give
// 10 v + 82; output scale 2 halves it: 5 v + 41.
TEST(DepthwiseConvTest, Int8Dilation2) {
  std::vector<int8_t> x(25);
  for (int i = 0; i < 25; ++i) x[i] = static_cast<int8_t>(i);
  std::vector<int8_t> w = {1, 2, 3, 4};
  QTensor in(kTmInt8, {1, 5, 5, 1}), f(kTmInt8, {1, 2, 2, 1}),
      out(kTmInt8, {1, 3, 3, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({2.f}, 0);
  EXPECT_EQ(run_s8(dw_attrs(kTmPaddingValid, 1, 2, 1), in, f, nullptr, out),
            (std::vector<int8_t>{41, 46, 51, 66, 71, 76, 91, 96, 101}));
}

// Per-channel scales {1, 0.25} along dimension 3, input {8, 8}, weights
// {3, 3}: 24 and 24 * 0.25 = 6. Output zero point -128 with RELU keeps
// act_min at -128: 24 - 128 = -104, 6 - 128 = -122.
TEST(DepthwiseConvTest, Int8PerChannelScales) {
  std::vector<int8_t> x = {8, 8};
  std::vector<int8_t> w = {3, 3};
  QTensor in(kTmInt8, {1, 1, 1, 2}), f(kTmInt8, {1, 1, 1, 2}),
      out(kTmInt8, {1, 1, 1, 2});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f, 0.25f}, 0, 3).data(w);
  out.quant({1.f}, -128);
  EXPECT_EQ(run_s8(dw_attrs(kTmPaddingValid, 1, 1, 1, kTmActRelu), in, f,
                   nullptr, out),
            (std::vector<int8_t>{-104, -122}));
}

// Input -128 with zero point 127 (real -255), weights -128, 3x3 taps per
// channel: acc = 9 * 32640 = 293,760. Filter scale 2^-12 -> (2^30, shift
// -11): 146,880 / 2^11 = 71.71875 -> 72; zero point -128 -> -56.
TEST(DepthwiseConvTest, Int8AccumulatorLimit) {
  std::vector<int8_t> x(3 * 3 * 64, -128);
  std::vector<int8_t> w(3 * 3 * 64, -128);
  QTensor in(kTmInt8, {1, 3, 3, 64}), f(kTmInt8, {1, 3, 3, 64}),
      out(kTmInt8, {1, 1, 1, 64});
  in.quant({1.f}, 127).data(x);
  f.quant({1.f / 4096.f}, 0).data(w);
  out.quant({1.f}, -128);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(dw_attrs(kTmPaddingValid, 1, 1, 1), in, f, nullptr, out, fold),
        std::vector<int8_t>(64, -56));
  }
}

// 16x8: channel 0: 1000*3 + 7 = 3007; channel 1: 32767 * 100 saturates.
TEST(DepthwiseConvTest, Int16HandCheckedAndSaturation) {
  std::vector<int16_t> x = {1000, 32767};
  std::vector<int8_t> w = {3, 100};
  std::vector<int64_t> b = {7, 0};
  QTensor in(kTmInt16, {1, 1, 1, 2}), f(kTmInt8, {1, 1, 1, 2}),
      bias(kTmInt64, {2}), out(kTmInt16, {1, 1, 1, 2});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  bias.data(b);
  out.quant({1.f}, 0);
  EXPECT_EQ(run_s16(dw_attrs(kTmPaddingValid, 1, 1, 1), in, f, &bias, out),
            (std::vector<int16_t>{3007, 32767}));
}

TEST(DepthwiseConvTest, PrepareRejectsWhatItCannotRun) {
  QTensor in(kTmInt8, {1, 3, 3, 2}), out(kTmInt8, {1, 1, 1, 3});
  in.quant({1.f}, 0);
  out.quant({1.f}, 0);
  std::vector<int32_t> m(3), s(3);
  TmDepthwiseConvParams p;
  const TmDepthwiseConvAttrs a = dw_attrs(kTmPaddingValid, 1, 1, 1);
  QTensor f(kTmInt8, {1, 3, 3, 3});  // 3 outputs from 2 inputs
  f.quant({1.f}, 0);
  EXPECT_EQ(tm_depthwise_conv_prepare(&a, in.get(), f.get(), nullptr, out.get(),
                                      m.data(), s.data(), nullptr, &p),
            kTmErrorBadArgument);
  QTensor in16(kTmInt16, {1, 3, 3, 2}), out16(kTmInt16, {1, 1, 1, 2}),
      f16(kTmInt8, {1, 3, 3, 2}), bias32(kTmInt32, {2});
  in16.quant({1.f}, 0);
  out16.quant({1.f}, 0);
  f16.quant({1.f}, 0);
  EXPECT_EQ(
      tm_depthwise_conv_prepare(&a, in16.get(), f16.get(), bias32.get(),
                                out16.get(), m.data(), s.data(), nullptr, &p),
      kTmErrorUnsupported);  // TFLM's 16x8 depthwise takes int64 bias
}

// ---- Randomized comparison with a naive implementation -------------------

struct Geometry {
  int32_t n, h, w, cin, mult, kh, kw, stride_h, stride_w, dil_h, dil_w;
  TmPadding padding;
  int32_t oh, ow, pad_h, pad_w;
  int32_t cout() const { return cin * mult; }
};

Geometry random_geometry(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  for (;;) {
    Geometry g = {};
    g.n = pick(1, 2);
    g.h = pick(1, 9);
    g.w = pick(1, 9);
    static const int kChannels[] = {1, 2, 3, 5, 8};
    g.cin = kChannels[pick(0, 4)];
    g.mult = pick(1, 3);
    g.kh = pick(1, 4);
    g.kw = pick(1, 4);
    g.stride_h = pick(1, 3);
    g.stride_w = pick(1, 3);
    g.dil_h = pick(1, 2);
    g.dil_w = pick(1, 2);
    g.padding = pick(0, 1) ? kTmPaddingSame : kTmPaddingValid;
    auto axis = [&](int32_t in, int32_t k, int32_t s, int32_t d, int32_t* out,
                    int32_t* pad) {
      const int32_t eff = (k - 1) * d + 1;
      *out =
          g.padding == kTmPaddingSame ? (in + s - 1) / s : (in - eff + s) / s;
      *pad = std::max(0, (*out - 1) * s + eff - in) / 2;
    };
    axis(g.h, g.kh, g.stride_h, g.dil_h, &g.oh, &g.pad_h);
    axis(g.w, g.kw, g.stride_w, g.dil_w, &g.ow, &g.pad_w);
    if (g.oh > 0 && g.ow > 0) return g;
  }
}

// Per output element, walks every tap and tests it against the image
// bounds (the kernel clips whole ranges instead).
void naive_depthwise(const Geometry& g, const std::vector<double>& x,
                     const std::vector<double>& w, std::vector<double>* acc,
                     std::vector<double>* magnitude) {
  const int32_t cout = g.cout();
  acc->assign(static_cast<size_t>(g.n) * g.oh * g.ow * cout, 0.0);
  magnitude->assign(acc->size(), 0.0);
  for (size_t o = 0; o < acc->size(); ++o) {
    const int oc = o % cout;
    const int ox = (o / cout) % g.ow;
    const int oy = (o / cout / g.ow) % g.oh;
    const int b = o / cout / g.ow / g.oh;
    for (int ky = 0; ky < g.kh; ++ky) {
      for (int kx = 0; kx < g.kw; ++kx) {
        const int y = oy * g.stride_h - g.pad_h + ky * g.dil_h;
        const int xx = ox * g.stride_w - g.pad_w + kx * g.dil_w;
        if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) continue;
        const double term =
            x[((b * g.h + y) * g.w + xx) * g.cin + oc / g.mult] *
            w[(ky * g.kw + kx) * cout + oc];
        (*acc)[o] += term;
        (*magnitude)[o] += std::fabs(term);
      }
    }
  }
}

TmDepthwiseConvAttrs attrs_of(const Geometry& g, TmActivation act) {
  TmDepthwiseConvAttrs a = {};
  a.padding = g.padding;
  a.stride_h = g.stride_h;
  a.stride_w = g.stride_w;
  a.dilation_h = g.dil_h;
  a.dilation_w = g.dil_w;
  a.depth_multiplier = g.mult;
  a.activation = act;
  return a;
}

TEST(DepthwiseConvTest, Int8MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(99);
  testing::Coverage coverage;
  for (int iter = 0; iter < 300; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t cout = g.cout();
    const int32_t in_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    const int32_t out_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    auto x =
        testing::random_ints<int8_t>(rng, g.n * g.h * g.w * g.cin, -128, 127);
    auto w = testing::random_ints<int8_t>(rng, g.kh * g.kw * cout, -127, 127);
    auto b = testing::random_ints<int32_t>(rng, cout, -20000, 20000);
    const bool per_channel = rng() % 2;
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? cout : 1, 0.001f, 0.02f);
    const float out_scale = in_scale * std::sqrt(float(g.kh * g.kw)) *
                            testing::random_floats(rng, 1, 0.5f, 4.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt8, {g.n, g.h, g.w, g.cin}),
        f(kTmInt8, {1, g.kh, g.kw, cout}), bias(kTmInt32, {cout}),
        out(kTmInt8, {g.n, g.oh, g.ow, cout});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, 0, 3).data(w);
    bias.data(b);
    out.quant({out_scale}, out_zp);
    const auto actual =
        run_s8(attrs_of(g, act), in, f, &bias, out, rng() % 2 == 0);

    std::vector<double> xr(x.size()), wr(w.begin(), w.end()), acc, mag;
    for (size_t i = 0; i < x.size(); ++i) xr[i] = x[i] - in_zp;
    naive_depthwise(g, xr, wr, &acc, &mag);
    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, out_zp, -128, 127, &lo,
                                    &hi);
    std::vector<int32_t> expected(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const int oc = static_cast<int>(i % cout);
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

TEST(DepthwiseConvTest, Int16MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(161);
  testing::Coverage coverage;
  for (int iter = 0; iter < 200; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t cout = g.cout();
    auto x = testing::random_ints<int16_t>(rng, g.n * g.h * g.w * g.cin, -32768,
                                           32767);
    auto w = testing::random_ints<int8_t>(rng, g.kh * g.kw * cout, -127, 127);
    auto b = testing::random_ints<int64_t>(rng, cout, -1000000, 1000000);
    const float in_scale = testing::random_floats(rng, 1, 1e-4f, 1e-3f)[0];
    auto w_scales = testing::random_floats(rng, cout, 0.001f, 0.02f);
    const float out_scale = in_scale * std::sqrt(float(g.kh * g.kw)) *
                            testing::random_floats(rng, 1, 1.f, 8.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt16, {g.n, g.h, g.w, g.cin}),
        f(kTmInt8, {1, g.kh, g.kw, cout}), bias(kTmInt64, {cout}),
        out(kTmInt16, {g.n, g.oh, g.ow, cout});
    in.quant({in_scale}, 0).data(x);
    f.quant(w_scales, 0, 3).data(w);
    bias.data(b);
    out.quant({out_scale}, 0);
    const auto actual = run_s16(attrs_of(g, act), in, f, &bias, out);

    std::vector<double> xr(x.begin(), x.end()), wr(w.begin(), w.end()), acc,
        mag;
    naive_depthwise(g, xr, wr, &acc, &mag);
    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, 0, -32768, 32767, &lo, &hi);
    std::vector<int32_t> expected(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const int oc = static_cast<int>(i % cout);
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

TEST(DepthwiseConvTest, Float32MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(323);
  for (int iter = 0; iter < 200; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t cout = g.cout();
    auto x = testing::random_floats(rng, g.n * g.h * g.w * g.cin, -2.f, 2.f);
    auto w = testing::random_floats(rng, g.kh * g.kw * cout, -1.f, 1.f);
    auto b = testing::random_floats(rng, cout, -1.f, 1.f);
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmFloat32, {g.n, g.h, g.w, g.cin}),
        f(kTmFloat32, {1, g.kh, g.kw, cout}), bias(kTmFloat32, {cout}),
        out(kTmFloat32, {g.n, g.oh, g.ow, cout});
    in.data(x);
    f.data(w);
    bias.data(b);
    const TmDepthwiseConvAttrs a = attrs_of(g, act);
    TmDepthwiseConvParams p;
    ASSERT_EQ(
        tm_depthwise_conv_prepare(&a, in.get(), f.get(), bias.get(), out.get(),
                                  nullptr, nullptr, nullptr, &p),
        kTmOk);
    std::vector<float> actual(out.elements());
    tm_depthwise_conv_f32(&p, x.data(), w.data(), b.data(), actual.data());

    std::vector<double> xr(x.begin(), x.end()), wr(w.begin(), w.end()), acc,
        mag;
    naive_depthwise(g, xr, wr, &acc, &mag);
    double lo, hi;
    testing::naive_activation_range_float(act, &lo, &hi);
    for (size_t i = 0; i < acc.size(); ++i) {
      acc[i] = std::min(hi, std::max(lo, acc[i] + b[i % cout]));
      mag[i] += std::fabs(b[i % cout]);
    }
    ASSERT_TRUE(testing::floats_close(actual, acc, mag, 1e-5))
        << "iteration " << iter;
  }
}

}  // namespace
}  // namespace tierml
