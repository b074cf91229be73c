#include "kernels/conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

TmConvAttrs conv_attrs(TmPadding padding, int32_t stride, int32_t dilation,
                       TmActivation act = kTmActNone) {
  TmConvAttrs a = {};
  a.padding = padding;
  a.stride_w = a.stride_h = stride;
  a.dilation_w = a.dilation_h = dilation;
  a.activation = act;
  return a;
}

// Prepares and runs the int8 kernel; fold selects whether prepare may fold
// the input offset into the bias.
std::vector<int8_t> run_s8(const TmConvAttrs& attrs, QTensor& input,
                           QTensor& filter, QTensor* bias, QTensor& output,
                           bool fold = true) {
  const int32_t channels = filter.get()->shape.dims[0];
  std::vector<int32_t> multipliers(channels), shifts(channels),
      folded(channels);
  TmConvParams p;
  EXPECT_EQ(tm_conv_prepare(&attrs, input.get(), filter.get(),
                            bias ? bias->get() : nullptr, output.get(),
                            multipliers.data(), shifts.data(),
                            fold ? folded.data() : nullptr, &p),
            kTmOk);
  EXPECT_EQ(p.folded_bias != nullptr, fold);
  std::vector<int8_t> out(output.elements());
  tm_conv_s8(&p, static_cast<const int8_t*>(input.get()->data),
             static_cast<const int8_t*>(filter.get()->data),
             bias ? static_cast<const int32_t*>(bias->get()->data) : nullptr,
             out.data());
  return out;
}

template <typename Bias>
std::vector<int16_t> run_s16(const TmConvAttrs& attrs, QTensor& input,
                             QTensor& filter, QTensor* bias, QTensor& output) {
  const int32_t channels = filter.get()->shape.dims[0];
  std::vector<int32_t> multipliers(channels), shifts(channels);
  TmConvParams p;
  EXPECT_EQ(tm_conv_prepare(&attrs, input.get(), filter.get(),
                            bias ? bias->get() : nullptr, output.get(),
                            multipliers.data(), shifts.data(), nullptr, &p),
            kTmOk);
  std::vector<int16_t> out(output.elements());
  const auto* in = static_cast<const int16_t*>(input.get()->data);
  const auto* w = static_cast<const int8_t*>(filter.get()->data);
  const Bias* b = bias ? static_cast<const Bias*>(bias->get()->data) : nullptr;
  if constexpr (sizeof(Bias) == 8) {
    tm_conv_s16(&p, in, w, b, out.data());
  } else {
    tm_conv_s16_acc32(&p, in, w, b, out.data());
  }
  return out;
}

// Scales all 1: the multiplier 1.0 is (2^30, shift 1), an exact identity,
// so outputs are the raw sums. Each output is w . window + bias:
//   (0,0): 1*1 + 2*2 + 3*4 + 4*5 = 37, +10 = 47
//   (0,1): 1*2 + 2*3 + 3*5 + 4*6 = 47, +10 = 57
//   (1,0): 1*4 + 2*5 + 3*7 + 4*8 = 67, +10 = 77
//   (1,1): 1*5 + 2*6 + 3*8 + 4*9 = 77, +10 = 87
TEST(ConvTest, Int8HandCheckedValid) {
  std::vector<int8_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<int8_t> w = {1, 2, 3, 4};
  std::vector<int32_t> b = {10};
  QTensor in(kTmInt8, {1, 3, 3, 1}), f(kTmInt8, {1, 2, 2, 1}),
      bias(kTmInt32, {1}), out(kTmInt8, {1, 2, 2, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  bias.data(b);
  out.quant({1.f}, 0);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(conv_attrs(kTmPaddingValid, 1, 1), in, f, &bias, out, fold),
        (std::vector<int8_t>{47, 57, 77, 87}));
  }
}

// Input zero point 1 (reals 0..8), output zero point -5, filter scale 0.5 so
// the multiplier is 0.5 = (2^30, shift 0). Channel 0 uses w = {1,2,3,4},
// channel 1 its negation:
//   sums 27, 37, 57, 67 (e.g. (0,0): 0*1 + 1*2 + 3*3 + 4*4 = 27)
//   times 0.5: 13.5, 18.5, 28.5, 33.5 -> 14, 19, 29, 34; -5 -> 9, 14, 24, 29
//   negated: -13.5, ... TFLite's doubling high multiply nudges ties upward
//   ((-27 * 2^30 + 1 - 2^30) / 2^31 truncates to -13), so -13, -18, -28, -33;
//   -5 -> -18, -23, -33, -38.
TEST(ConvTest, Int8ZeroPointsAndTieRounding) {
  std::vector<int8_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<int8_t> w = {1, 2, 3, 4, -1, -2, -3, -4};
  QTensor in(kTmInt8, {1, 3, 3, 1}), f(kTmInt8, {2, 2, 2, 1}),
      out(kTmInt8, {1, 2, 2, 2});
  in.quant({1.f}, 1).data(x);
  f.quant({0.5f}, 0).data(w);
  out.quant({1.f}, -5);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(conv_attrs(kTmPaddingValid, 1, 1), in, f, nullptr, out, fold),
        (std::vector<int8_t>{9, -18, 14, -23, 24, -33, 29, -38}));
  }
}

// 4x4 input v = 1..16 row-major, 3x3 ones, SAME, stride 2: out 2x2, total
// padding (2-1)*2 + 3 - 4 = 1, all of it after the input (TFLite puts the odd
// element at the end). So window (0,0) is rows/cols 0..2, (0,1) cols 2..3:
//   (0,0): 1+2+3 + 5+6+7 + 9+10+11 = 54
//   (0,1): 3+4 + 7+8 + 11+12 = 45
//   (1,0): 9+10+11 + 13+14+15 = 72
//   (1,1): 11+12 + 15+16 = 54
TEST(ConvTest, Int8SameStride2PadsAtTheEnd) {
  std::vector<int8_t> x(16);
  for (int i = 0; i < 16; ++i) x[i] = static_cast<int8_t>(i + 1);
  std::vector<int8_t> w(9, 1);
  QTensor in(kTmInt8, {1, 4, 4, 1}), f(kTmInt8, {1, 3, 3, 1}),
      out(kTmInt8, {1, 2, 2, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, 0);
  EXPECT_EQ(run_s8(conv_attrs(kTmPaddingSame, 2, 1), in, f, nullptr, out),
            (std::vector<int8_t>{54, 45, 72, 54}));
}

// Every input is q = 11 with zero point 10 (real 1). 3x3 ones, SAME, stride
// 1 on a 3x3 input: each output counts its in-image taps (corners 4, edges
// 6, centre 9). Padded taps must be skipped, not read as q = 0 (which would
// add (0 - 10) each).
TEST(ConvTest, Int8PaddingIsTheZeroPointNotZero) {
  std::vector<int8_t> x(9, 11);
  std::vector<int8_t> w(9, 1);
  QTensor in(kTmInt8, {1, 3, 3, 1}), f(kTmInt8, {1, 3, 3, 1}),
      out(kTmInt8, {1, 3, 3, 1});
  in.quant({1.f}, 10).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, 0);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(conv_attrs(kTmPaddingSame, 1, 1), in, f, nullptr, out, fold),
        (std::vector<int8_t>{4, 6, 4, 6, 9, 6, 4, 6, 4}));
  }
}

// 5x5 input v = 5y + x, 2x2 filter {1,2,3,4} dilated by 2 (spans 3x3),
// VALID: out(y,x) = v(y,x) + 2 v(y,x+2) + 3 v(y+2,x) + 4 v(y+2,x+2)
//                 = 10 v(y,x) + 2*2 + 3*10 + 4*12 = 10 v(y,x) + 82.
// Output scale 2 halves it (all even, exact): 5 v + 41.
TEST(ConvTest, Int8Dilation2) {
  std::vector<int8_t> x(25);
  for (int i = 0; i < 25; ++i) x[i] = static_cast<int8_t>(i);
  std::vector<int8_t> w = {1, 2, 3, 4};
  QTensor in(kTmInt8, {1, 5, 5, 1}), f(kTmInt8, {1, 2, 2, 1}),
      out(kTmInt8, {1, 3, 3, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({2.f}, 0);
  EXPECT_EQ(run_s8(conv_attrs(kTmPaddingValid, 1, 2), in, f, nullptr, out),
            (std::vector<int8_t>{41, 46, 51, 66, 71, 76, 91, 96, 101}));
}

// 1x1 conv over two pixels of 3 channels {1,2,3}, {4,5,6}. Channel 0: ones,
// scale 1 -> 6, 15. Channel 1: {4,0,0}, scale 0.25 -> 4*0.25 = 1, 16*0.25 = 4.
TEST(ConvTest, Int8PerChannelScales) {
  std::vector<int8_t> x = {1, 2, 3, 4, 5, 6};
  std::vector<int8_t> w = {1, 1, 1, 4, 0, 0};
  QTensor in(kTmInt8, {1, 1, 2, 3}), f(kTmInt8, {2, 1, 1, 3}),
      out(kTmInt8, {1, 1, 2, 2});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f, 0.25f}, 0, 0).data(w);
  out.quant({1.f}, 0);
  EXPECT_EQ(run_s8(conv_attrs(kTmPaddingValid, 1, 1), in, f, nullptr, out),
            (std::vector<int8_t>{6, 1, 15, 4}));
}

// One per-tensor scale and the same scale repeated per channel must give the
// same bytes.
TEST(ConvTest, Int8PerTensorEqualsRepeatedPerChannel) {
  std::mt19937 rng(7);
  auto x = testing::random_ints<int8_t>(rng, 1 * 6 * 5 * 3, -128, 127);
  auto w = testing::random_ints<int8_t>(rng, 4 * 3 * 3 * 3, -127, 127);
  auto b = testing::random_ints<int32_t>(rng, 4, -5000, 5000);
  QTensor in(kTmInt8, {1, 6, 5, 3}), bias(kTmInt32, {4}),
      out(kTmInt8, {1, 3, 3, 4});
  QTensor f1(kTmInt8, {4, 3, 3, 3}), f2(kTmInt8, {4, 3, 3, 3});
  in.quant({0.05f}, -3).data(x);
  bias.data(b);
  out.quant({0.7f}, 4);
  f1.quant({0.011f}, 0).data(w);
  f2.quant({0.011f, 0.011f, 0.011f, 0.011f}, 0, 0).data(w);
  const TmConvAttrs a = conv_attrs(kTmPaddingSame, 2, 1);
  EXPECT_EQ(run_s8(a, in, f1, &bias, out), run_s8(a, in, f2, &bias, out));
}

// Input -128 with zero point 127 (real -255), weights -128, 3x3x64 taps:
// acc = 576 * (-128) * (-255) = 18,800,640. Filter scale 2^-17 gives the
// multiplier (2^30, shift -16): high mul halves to 9,400,320, the rounding
// shift by 16 gives 143.4375 -> 143; output zero point -128 -> 15.
TEST(ConvTest, Int8AccumulatorLimit) {
  std::vector<int8_t> x(3 * 3 * 64, -128);
  std::vector<int8_t> w(3 * 3 * 64, -128);
  QTensor in(kTmInt8, {1, 3, 3, 64}), f(kTmInt8, {1, 3, 3, 64}),
      out(kTmInt8, {1, 1, 1, 1});
  in.quant({1.f}, 127).data(x);
  f.quant({1.f / 131072.f}, 0).data(w);
  out.quant({1.f}, -128);
  for (bool fold : {true, false}) {
    EXPECT_EQ(
        run_s8(conv_attrs(kTmPaddingValid, 1, 1), in, f, nullptr, out, fold),
        (std::vector<int8_t>{15}));
  }
}

// 1x1 conv with weight 2 over {-128, -1, 0, 1, 127}: raw 2x = {-256, -2, 0,
// 2, 254}. NONE saturates to [-128, 127]; RELU at zero point 10 clamps below
// at 10; RELU6 at scale 1 clamps to [0, 6]; RELU_N1_TO_1 to [-1, 1].
TEST(ConvTest, Int8SaturationAndFusedActivations) {
  std::vector<int8_t> x = {-128, -1, 0, 1, 127};
  std::vector<int8_t> w = {2};
  QTensor in(kTmInt8, {1, 1, 5, 1}), f(kTmInt8, {1, 1, 1, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  struct Case {
    TmActivation act;
    int32_t zero_point;
    std::vector<int8_t> expected;
  } cases[] = {
      {kTmActNone, 0, {-128, -2, 0, 2, 127}},
      {kTmActRelu, 10, {10, 10, 10, 12, 127}},
      {kTmActRelu6, 0, {0, 0, 0, 2, 6}},
      {kTmActReluN1To1, 0, {-1, -1, 0, 1, 1}},
  };
  for (const Case& c : cases) {
    QTensor out(kTmInt8, {1, 1, 5, 1});
    out.quant({1.f}, c.zero_point);
    EXPECT_EQ(
        run_s8(conv_attrs(kTmPaddingValid, 1, 1, c.act), in, f, nullptr, out),
        c.expected)
        << "activation " << c.act;
  }
}

// Input channels {1,2,3,4}, filter depth 2: two groups. Output channel 0
// (group 0) reads channels 0..1 -> 1+2 = 3; channel 1 reads 2..3 -> 7.
TEST(ConvTest, Int8GroupedConvolution) {
  std::vector<int8_t> x = {1, 2, 3, 4};
  std::vector<int8_t> w = {1, 1, 1, 1};
  QTensor in(kTmInt8, {1, 1, 1, 4}), f(kTmInt8, {2, 1, 1, 2}),
      out(kTmInt8, {1, 1, 1, 2});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  out.quant({1.f}, 0);
  EXPECT_EQ(run_s8(conv_attrs(kTmPaddingValid, 1, 1), in, f, nullptr, out),
            (std::vector<int8_t>{3, 7}));
}

// 16x8 with 64-bit bias, multiplier 1: 3*1000 + 3*(-2000) + 100 = -2900.
// Second pixel: 3*32767*2 + 100 = 196,702 saturates to 32767.
TEST(ConvTest, Int16HandCheckedAndSaturation) {
  std::vector<int16_t> x = {1000, -2000, 32767, 32767};
  std::vector<int8_t> w = {3, 3};
  std::vector<int64_t> b = {100};
  QTensor in(kTmInt16, {1, 1, 2, 2}), f(kTmInt8, {1, 1, 1, 2}),
      bias(kTmInt64, {1}), out(kTmInt16, {1, 1, 2, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  bias.data(b);
  out.quant({1.f}, 0);
  EXPECT_EQ(
      run_s16<int64_t>(conv_attrs(kTmPaddingValid, 1, 1), in, f, &bias, out),
      (std::vector<int16_t>{-2900, 32767}));
}

// TFLite Micro accumulates 16x8 in 64 bits, with the multiplier cut to 15
// bits, only for a 64-bit bias; with a 32-bit bias it uses the 32-bit path.
// Filter scale 0.5 + 2^-16 gives the Q31 multiplier 2^30 + 2^15 (shift 0).
// acc = 32766:
//   32-bit: 32766 * (0.5 + 2^-16) = 16383.49997 -> 16383
//   64-bit: multiplier (2^30 + 2^15 + 2^15) >> 16 = 16385 (Q15),
//           (32766 * 16385 + 2^14) >> 15 = 536,887,294 >> 15 = 16384
TEST(ConvTest, Int16BiasWidthSelectsTheAccumulator) {
  std::vector<int16_t> x = {32766};
  std::vector<int8_t> w = {1};
  std::vector<int64_t> b64 = {0};
  std::vector<int32_t> b32 = {0};
  QTensor in(kTmInt16, {1, 1, 1, 1}), f(kTmInt8, {1, 1, 1, 1}),
      bias64(kTmInt64, {1}), bias32(kTmInt32, {1}), out(kTmInt16, {1, 1, 1, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({0.5f + 1.f / 65536.f}, 0).data(w);
  bias64.data(b64);
  bias32.data(b32);
  out.quant({1.f}, 0);
  const TmConvAttrs a = conv_attrs(kTmPaddingValid, 1, 1);
  EXPECT_EQ(run_s16<int64_t>(a, in, f, &bias64, out),
            (std::vector<int16_t>{16384}));
  EXPECT_EQ(run_s16<int32_t>(a, in, f, &bias32, out),
            (std::vector<int16_t>{16383}));
}

// Float: 3x3 input 1..9, 2x2 filter {1, 0, 0, -1} SAME stride 1 (padding
// after the input): out(y,x) = v(y,x) - v(y+1,x+1) where inside, bias 0.5,
// then RELU. Interior outputs are -4 + 0.5 -> 0; the last column/row keep
// only v(y,x): 3.5, 6.5, 7.5, 8.5, 9.5.
TEST(ConvTest, Float32HandChecked) {
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> w = {1, 0, 0, -1};
  std::vector<float> b = {0.5f};
  QTensor in(kTmFloat32, {1, 3, 3, 1}), f(kTmFloat32, {1, 2, 2, 1}),
      bias(kTmFloat32, {1}), out(kTmFloat32, {1, 3, 3, 1});
  in.data(x);
  f.data(w);
  bias.data(b);
  const TmConvAttrs a = conv_attrs(kTmPaddingSame, 1, 1, kTmActRelu);
  TmConvParams p;
  ASSERT_EQ(tm_conv_prepare(&a, in.get(), f.get(), bias.get(), out.get(),
                            nullptr, nullptr, nullptr, &p),
            kTmOk);
  std::vector<float> r(9);
  tm_conv_f32(&p, x.data(), w.data(), b.data(), r.data());
  EXPECT_EQ(r, (std::vector<float>{0, 0, 3.5f, 0, 0, 6.5f, 7.5f, 8.5f, 9.5f}));
}

TEST(ConvTest, PrepareRejectsWhatItCannotRun) {
  std::vector<int8_t> w(9, 1);
  QTensor in(kTmInt8, {1, 4, 4, 1}), f(kTmInt8, {1, 3, 3, 1});
  in.quant({1.f}, 0);
  f.quant({1.f}, 0).data(w);
  std::vector<int32_t> m(2), s(2);
  TmConvParams p;
  {
    QTensor wrong(kTmInt8, {1, 3, 3, 1});  // SAME stride 1 gives 4x4
    wrong.quant({1.f}, 0);
    const TmConvAttrs a = conv_attrs(kTmPaddingSame, 1, 1);
    EXPECT_EQ(tm_conv_prepare(&a, in.get(), f.get(), nullptr, wrong.get(),
                              m.data(), s.data(), nullptr, &p),
              kTmErrorBadArgument);
  }
  QTensor out(kTmInt8, {1, 2, 2, 1});
  out.quant({1.f}, 0);
  {
    const TmConvAttrs a = conv_attrs(kTmPaddingValid, 1, 1, kTmActTanh);
    EXPECT_EQ(tm_conv_prepare(&a, in.get(), f.get(), nullptr, out.get(),
                              m.data(), s.data(), nullptr, &p),
              kTmErrorUnsupported);
  }
  const TmConvAttrs a = conv_attrs(kTmPaddingValid, 1, 1);
  {
    QTensor bias64(kTmInt64, {1});  // int8 takes an int32 bias
    EXPECT_EQ(tm_conv_prepare(&a, in.get(), f.get(), bias64.get(), out.get(),
                              m.data(), s.data(), nullptr, &p),
              kTmErrorUnsupported);
  }
  {
    QTensor f2(kTmInt8, {1, 3, 3, 1});  // 2 scales for 1 channel
    f2.quant({1.f, 2.f}, 0, 0);
    EXPECT_EQ(tm_conv_prepare(&a, in.get(), f2.get(), nullptr, out.get(),
                              m.data(), s.data(), nullptr, &p),
              kTmErrorBadArgument);
  }
  {
    QTensor f3(kTmInt8, {1, 3, 3, 3});  // 3 filter channels do not divide 1
    f3.quant({1.f}, 0);
    EXPECT_EQ(tm_conv_prepare(&a, in.get(), f3.get(), nullptr, out.get(),
                              m.data(), s.data(), nullptr, &p),
              kTmErrorBadArgument);
  }
}

// ---- Randomized comparison with a naive implementation -------------------

struct Geometry {
  int32_t n, h, w, cin, cout, groups, kh, kw, stride_h, stride_w, dil_h, dil_w;
  TmPadding padding;
  int32_t oh, ow, pad_h, pad_w;
};

// TFLite's output extent and leading padding, written out independently.
bool finish_geometry(Geometry& g) {
  auto axis = [&](int32_t in, int32_t k, int32_t s, int32_t d, int32_t* out,
                  int32_t* pad) {
    const int32_t eff = (k - 1) * d + 1;
    *out = g.padding == kTmPaddingSame ? (in + s - 1) / s : (in - eff + s) / s;
    const int32_t total = std::max(0, (*out - 1) * s + eff - in);
    *pad = total / 2;
  };
  axis(g.h, g.kh, g.stride_h, g.dil_h, &g.oh, &g.pad_h);
  axis(g.w, g.kw, g.stride_w, g.dil_w, &g.ow, &g.pad_w);
  return g.oh > 0 && g.ow > 0;
}

Geometry random_geometry(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  for (;;) {
    Geometry g = {};
    g.n = pick(1, 2);
    g.h = pick(1, 9);
    g.w = pick(1, 9);
    static const int kChannels[] = {1, 2, 3, 4, 5, 8};
    g.cin = kChannels[pick(0, 5)];
    g.groups = (g.cin % 2 == 0 && pick(0, 3) == 0) ? 2 : 1;
    g.cout = g.groups * pick(1, 3);
    g.kh = pick(1, 4);
    g.kw = pick(1, 4);
    g.stride_h = pick(1, 3);
    g.stride_w = pick(1, 3);
    g.dil_h = pick(1, 2);
    g.dil_w = pick(1, 2);
    g.padding = pick(0, 1) ? kTmPaddingSame : kTmPaddingValid;
    if (finish_geometry(g)) return g;
  }
}

// Sums over a zero-padded copy of the (already offset) input: a structure
// unlike the kernel's clipped windows. Returns the exact sums, and the sum of
// absolute terms (for float tolerances).
void naive_conv(const Geometry& g, const std::vector<double>& x,
                const std::vector<double>& w, std::vector<double>* acc,
                std::vector<double>* magnitude) {
  const int32_t ph = g.pad_h + g.h + (g.kh - 1) * g.dil_h + g.stride_h * g.oh;
  const int32_t pw = g.pad_w + g.w + (g.kw - 1) * g.dil_w + g.stride_w * g.ow;
  std::vector<double> padded(static_cast<size_t>(g.n) * ph * pw * g.cin, 0.0);
  for (int b = 0; b < g.n; ++b)
    for (int y = 0; y < g.h; ++y)
      for (int xx = 0; xx < g.w; ++xx)
        for (int c = 0; c < g.cin; ++c)
          padded[((b * ph + y + g.pad_h) * pw + xx + g.pad_w) * g.cin + c] =
              x[((b * g.h + y) * g.w + xx) * g.cin + c];
  const int32_t fdepth = g.cin / g.groups;
  acc->assign(static_cast<size_t>(g.n) * g.oh * g.ow * g.cout, 0.0);
  magnitude->assign(acc->size(), 0.0);
  for (int b = 0; b < g.n; ++b)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox)
        for (int oc = 0; oc < g.cout; ++oc) {
          const int group = oc / (g.cout / g.groups);
          double sum = 0, mag = 0;
          for (int ky = 0; ky < g.kh; ++ky)
            for (int kx = 0; kx < g.kw; ++kx)
              for (int c = 0; c < fdepth; ++c) {
                const int y = oy * g.stride_h + ky * g.dil_h;
                const int xx = ox * g.stride_w + kx * g.dil_w;
                const double term =
                    padded[((b * ph + y) * pw + xx) * g.cin + group * fdepth +
                           c] *
                    w[((oc * g.kh + ky) * g.kw + kx) * fdepth + c];
                sum += term;
                mag += std::fabs(term);
              }
          const size_t o = ((b * g.oh + oy) * g.ow + ox) * g.cout + oc;
          (*acc)[o] = sum;
          (*magnitude)[o] = mag;
        }
}

TmConvAttrs attrs_of(const Geometry& g, TmActivation act) {
  TmConvAttrs a = {};
  a.padding = g.padding;
  a.stride_h = g.stride_h;
  a.stride_w = g.stride_w;
  a.dilation_h = g.dil_h;
  a.dilation_w = g.dil_w;
  a.activation = act;
  return a;
}

TEST(ConvTest, Int8MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(2024);
  testing::Coverage coverage;
  for (int iter = 0; iter < 300; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t fdepth = g.cin / g.groups;
    const int32_t in_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    const int32_t out_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    auto x =
        testing::random_ints<int8_t>(rng, g.n * g.h * g.w * g.cin, -128, 127);
    auto w = testing::random_ints<int8_t>(rng, g.cout * g.kh * g.kw * fdepth,
                                          -127, 127);
    auto b = testing::random_ints<int32_t>(rng, g.cout, -20000, 20000);
    const bool per_channel = rng() % 2;
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? g.cout : 1, 0.001f, 0.02f);
    // Sums spread about 7300 * sqrt(taps) raw units (with weight scales near
    // 0.01); aim the typical output at a few dozen steps.
    const float out_scale = in_scale * std::sqrt(float(g.kh * g.kw * fdepth)) *
                            testing::random_floats(rng, 1, 0.5f, 4.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt8, {g.n, g.h, g.w, g.cin}),
        f(kTmInt8, {g.cout, g.kh, g.kw, fdepth}), bias(kTmInt32, {g.cout}),
        out(kTmInt8, {g.n, g.oh, g.ow, g.cout});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, 0, 0).data(w);
    bias.data(b);
    out.quant({out_scale}, out_zp);
    const bool with_bias = rng() % 4 != 0;
    const TmConvAttrs a = attrs_of(g, act);
    const auto actual =
        run_s8(a, in, f, with_bias ? &bias : nullptr, out, rng() % 2);

    std::vector<double> xr(x.size()), wr(w.begin(), w.end()), acc, mag;
    for (size_t i = 0; i < x.size(); ++i) xr[i] = x[i] - in_zp;
    naive_conv(g, xr, wr, &acc, &mag);
    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, out_zp, -128, 127, &lo,
                                    &hi);
    std::vector<int32_t> expected(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const int oc = static_cast<int>(i % g.cout);
      const double m =
          double(in_scale) * w_scales[per_channel ? oc : 0] / double(out_scale);
      expected[i] = testing::naive_requantize(acc[i] + (with_bias ? b[oc] : 0),
                                              m, out_zp, lo, hi);
    }
    coverage.add(expected, lo, hi);
    ASSERT_TRUE(testing::all_within(actual, expected, 1))
        << "iteration " << iter << " in " << g.h << "x" << g.w << "x" << g.cin
        << " k " << g.kh << "x" << g.kw << " s " << g.stride_h << "x"
        << g.stride_w << " d " << g.dil_h << "x" << g.dil_w << " groups "
        << g.groups << " pad " << g.padding;
  }
  EXPECT_TRUE(coverage.enough()) << coverage.inside << " of " << coverage.total;
}

TEST(ConvTest, Int16MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(16);
  testing::Coverage coverage;
  for (int iter = 0; iter < 200; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t fdepth = g.cin / g.groups;
    auto x = testing::random_ints<int16_t>(rng, g.n * g.h * g.w * g.cin, -32768,
                                           32767);
    auto w = testing::random_ints<int8_t>(rng, g.cout * g.kh * g.kw * fdepth,
                                          -127, 127);
    auto b64 = testing::random_ints<int64_t>(rng, g.cout, -3000000, 3000000);
    std::vector<int32_t> b32(b64.begin(), b64.end());
    const float in_scale = testing::random_floats(rng, 1, 1e-4f, 1e-3f)[0];
    auto w_scales = testing::random_floats(rng, g.cout, 0.001f, 0.02f);
    // Sums spread about 1.4e6 * sqrt(taps) raw units; aim the typical
    // output at a few thousand steps.
    const float out_scale = in_scale * std::sqrt(float(g.kh * g.kw * fdepth)) *
                            testing::random_floats(rng, 1, 1.f, 8.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt16, {g.n, g.h, g.w, g.cin}),
        f(kTmInt8, {g.cout, g.kh, g.kw, fdepth}), bias64(kTmInt64, {g.cout}),
        bias32(kTmInt32, {g.cout}), out(kTmInt16, {g.n, g.oh, g.ow, g.cout});
    in.quant({in_scale}, 0).data(x);
    f.quant(w_scales, 0, 0).data(w);
    bias64.data(b64);
    bias32.data(b32);
    out.quant({out_scale}, 0);
    const TmConvAttrs a = attrs_of(g, act);

    std::vector<double> xr(x.begin(), x.end()), wr(w.begin(), w.end()), acc,
        mag;
    naive_conv(g, xr, wr, &acc, &mag);
    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, 0, -32768, 32767, &lo, &hi);
    std::vector<int32_t> expected(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const int oc = static_cast<int>(i % g.cout);
      const double m = double(in_scale) * w_scales[oc] / double(out_scale);
      expected[i] = testing::naive_requantize(acc[i] + b64[oc], m, 0, lo, hi);
    }
    coverage.add(expected, lo, hi);
    // The 64-bit path cuts the multiplier to 15 bits: 2^-15 relative error
    // on outputs up to 2^15 adds at most one step to the rounding step.
    ASSERT_TRUE(testing::all_within(run_s16<int64_t>(a, in, f, &bias64, out),
                                    expected, 2))
        << "int64 bias, iteration " << iter;
    ASSERT_TRUE(testing::all_within(run_s16<int32_t>(a, in, f, &bias32, out),
                                    expected, 1))
        << "int32 bias, iteration " << iter;
  }
  EXPECT_TRUE(coverage.enough()) << coverage.inside << " of " << coverage.total;
}

TEST(ConvTest, Float32MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(32);
  for (int iter = 0; iter < 200; ++iter) {
    const Geometry g = random_geometry(rng);
    const int32_t fdepth = g.cin / g.groups;
    auto x = testing::random_floats(rng, g.n * g.h * g.w * g.cin, -2.f, 2.f);
    auto w =
        testing::random_floats(rng, g.cout * g.kh * g.kw * fdepth, -1.f, 1.f);
    auto b = testing::random_floats(rng, g.cout, -1.f, 1.f);
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmFloat32, {g.n, g.h, g.w, g.cin}),
        f(kTmFloat32, {g.cout, g.kh, g.kw, fdepth}), bias(kTmFloat32, {g.cout}),
        out(kTmFloat32, {g.n, g.oh, g.ow, g.cout});
    in.data(x);
    f.data(w);
    bias.data(b);
    const TmConvAttrs a = attrs_of(g, act);
    TmConvParams p;
    ASSERT_EQ(tm_conv_prepare(&a, in.get(), f.get(), bias.get(), out.get(),
                              nullptr, nullptr, nullptr, &p),
              kTmOk);
    std::vector<float> actual(out.elements());
    tm_conv_f32(&p, x.data(), w.data(), b.data(), actual.data());

    std::vector<double> xr(x.begin(), x.end()), wr(w.begin(), w.end()), acc,
        mag;
    naive_conv(g, xr, wr, &acc, &mag);
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
