#include "kernels/fully_connected.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/quantization.h"
#include "unit/kernels/conv_test_support.h"

namespace tierml {
namespace {

using testing::QTensor;

TmFullyConnectedAttrs fc_attrs(TmActivation act = kTmActNone,
                               bool keep_num_dims = false) {
  TmFullyConnectedAttrs a = {};
  a.activation = act;
  a.keep_num_dims = keep_num_dims;
  return a;
}

std::vector<int8_t> run_s8(const TmFullyConnectedAttrs& attrs, QTensor& input,
                           QTensor& filter, QTensor* bias, QTensor& output,
                           bool fold = true) {
  const int32_t units = filter.get()->shape.dims[0];
  std::vector<int32_t> multipliers(units), shifts(units), folded(units);
  TmFullyConnectedParams p;
  EXPECT_EQ(tm_fully_connected_prepare(
                &attrs, input.get(), filter.get(), bias ? bias->get() : nullptr,
                output.get(), multipliers.data(), shifts.data(),
                fold ? folded.data() : nullptr, &p),
            kTmOk);
  std::vector<int8_t> out(output.elements());
  tm_fully_connected_s8(
      &p, static_cast<const int8_t*>(input.get()->data),
      static_cast<const int8_t*>(filter.get()->data),
      bias ? static_cast<const int32_t*>(bias->get()->data) : nullptr,
      out.data());
  return out;
}

std::vector<int16_t> run_s16(const TmFullyConnectedAttrs& attrs, QTensor& input,
                             QTensor& filter, QTensor* bias, QTensor& output) {
  const int32_t units = filter.get()->shape.dims[0];
  std::vector<int32_t> multipliers(units), shifts(units);
  TmFullyConnectedParams p;
  EXPECT_EQ(tm_fully_connected_prepare(
                &attrs, input.get(), filter.get(), bias ? bias->get() : nullptr,
                output.get(), multipliers.data(), shifts.data(), nullptr, &p),
            kTmOk);
  std::vector<int16_t> out(output.elements());
  tm_fully_connected_s16(
      &p, static_cast<const int16_t*>(input.get()->data),
      static_cast<const int8_t*>(filter.get()->data),
      bias ? static_cast<const int64_t*>(bias->get()->data) : nullptr,
      out.data());
  return out;
}

// Input {1,2,3} with zero point 1: reals {0,1,2}. Filter {{1,2,3},{4,5,6}}
// with zero point 2; bias {10, 20}; output zero point 3; multiplier 1.
// Per-tensor weights keep their zero point (TFLite's legacy path):
//   u0: 0*(1-2) + 1*(2-2) + 2*(3-2) = 2,  +10 = 12, +3 = 15
//   u1: 0*(4-2) + 1*(5-2) + 2*(6-2) = 11, +20 = 31, +3 = 34
// Per-channel weights are symmetric by definition, the zero point ignored:
//   u0: 0*1 + 1*2 + 2*3 = 8,  +10 = 18, +3 = 21
//   u1: 0*4 + 1*5 + 2*6 = 17, +20 = 37, +3 = 40
TEST(FullyConnectedTest, Int8FilterZeroPointPerTensorVersusPerChannel) {
  std::vector<int8_t> x = {1, 2, 3};
  std::vector<int8_t> w = {1, 2, 3, 4, 5, 6};
  std::vector<int32_t> b = {10, 20};
  QTensor in(kTmInt8, {1, 3}), bias(kTmInt32, {2}), out(kTmInt8, {1, 2});
  in.quant({1.f}, 1).data(x);
  bias.data(b);
  out.quant({1.f}, 3);
  QTensor per_tensor(kTmInt8, {2, 3}), per_channel(kTmInt8, {2, 3});
  per_tensor.quant({1.f}, 2).data(w);
  per_channel.quant({1.f, 1.f}, 2, 0).data(w);
  for (bool fold : {true, false}) {
    EXPECT_EQ(run_s8(fc_attrs(), in, per_tensor, &bias, out, fold),
              (std::vector<int8_t>{15, 34}));
    EXPECT_EQ(run_s8(fc_attrs(), in, per_channel, &bias, out, fold),
              (std::vector<int8_t>{21, 40}));
  }
}

// Two batches, per-channel scales {1, 0.5}, no bias, output scale 1:
//   batch 0 {2, 4}: u0 = 2+4 = 6; u1 = 2*2 + 4*(-2) = -4, * 0.5 = -2
//   batch 1 {6, 8}: u0 = 14;      u1 = 12 - 16 = -4, * 0.5 = -2
// keep_num_dims keeps the [2, 1, ...] input shape on the output.
TEST(FullyConnectedTest, Int8BatchesKeepNumDimsPerChannel) {
  std::vector<int8_t> x = {2, 4, 6, 8};
  std::vector<int8_t> w = {1, 1, 2, -2};
  QTensor f(kTmInt8, {2, 2});
  f.quant({1.f, 0.5f}, 0, 0).data(w);
  {
    QTensor in(kTmInt8, {2, 2}), out(kTmInt8, {2, 2});
    in.quant({1.f}, 0).data(x);
    out.quant({1.f}, 0);
    EXPECT_EQ(run_s8(fc_attrs(), in, f, nullptr, out),
              (std::vector<int8_t>{6, -2, 14, -2}));
  }
  {
    QTensor in(kTmInt8, {2, 1, 2}), out(kTmInt8, {2, 1, 2});
    in.quant({1.f}, 0).data(x);
    out.quant({1.f}, 0);
    EXPECT_EQ(run_s8(fc_attrs(kTmActNone, true), in, f, nullptr, out),
              (std::vector<int8_t>{6, -2, 14, -2}));
  }
}

// 1000 inputs -128 with zero point 127 (real -255), weights -128: acc =
// 1000 * 32640 = 32,640,000. Filter scale 2^-19 -> (2^30, shift -18):
// 16,320,000 / 2^18 = 62.26 -> 62; zero point -128 -> -66.
TEST(FullyConnectedTest, Int8AccumulatorLimit) {
  std::vector<int8_t> x(1000, -128), w(1000, -128);
  QTensor in(kTmInt8, {1, 1000}), f(kTmInt8, {1, 1000}), out(kTmInt8, {1, 1});
  in.quant({1.f}, 127).data(x);
  f.quant({1.f / 524288.f}, 0).data(w);
  out.quant({1.f}, -128);
  for (bool fold : {true, false}) {
    EXPECT_EQ(run_s8(fc_attrs(), in, f, nullptr, out, fold),
              (std::vector<int8_t>{-66}));
  }
}

// Raw sums {-300, -5, 5, 300} (weight 1, multiplier 1) through NONE, RELU
// (zero point -20: act_min -20) and RELU6 at scale 0.5 (act_max 12).
TEST(FullyConnectedTest, Int8SaturationAndActivations) {
  std::vector<int8_t> x = {-100, -100, -100, -5, 0, 0, 5, 0, 0, 100, 100, 100};
  std::vector<int8_t> w = {1, 1, 1};
  QTensor in(kTmInt8, {4, 3}), f(kTmInt8, {1, 3});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  {
    QTensor out(kTmInt8, {4, 1});
    out.quant({1.f}, 0);
    EXPECT_EQ(run_s8(fc_attrs(), in, f, nullptr, out),
              (std::vector<int8_t>{-128, -5, 5, 127}));
  }
  {
    QTensor out(kTmInt8, {4, 1});
    out.quant({1.f}, -20);
    EXPECT_EQ(run_s8(fc_attrs(kTmActRelu), in, f, nullptr, out),
              (std::vector<int8_t>{-20, -20, -15, 127}));
  }
  {
    QTensor out(kTmInt8, {4, 1});
    out.quant({0.5f}, 0);  // 5 / 0.5 = 10, 300 / 0.5 -> clamp at 6 / 0.5
    EXPECT_EQ(run_s8(fc_attrs(kTmActRelu6), in, f, nullptr, out),
              (std::vector<int8_t>{0, 0, 10, 12}));
  }
}

// TFLite forms the per-tensor multiplier from the float product of the
// input and filter scales (GetQuantizedConvolutionMultipler), unlike the
// per-channel set-up which multiplies in double. 0.1f * 0.3f rounds in
// float, and the Q31 multipliers differ.
TEST(FullyConnectedTest, PerTensorMultiplierUsesTheFloatProduct) {
  const float in_scale = 0.1f, w_scale = 0.3f;
  int32_t float_m, double_m;
  int float_s, double_s;
  quantize_multiplier(static_cast<double>(in_scale * w_scale), &float_m,
                      &float_s);
  quantize_multiplier(static_cast<double>(in_scale) * w_scale, &double_m,
                      &double_s);
  ASSERT_NE(float_m, double_m);  // otherwise this test shows nothing
  QTensor in(kTmInt8, {1, 1}), f(kTmInt8, {1, 1}), out(kTmInt8, {1, 1});
  in.quant({in_scale}, 0);
  f.quant({w_scale}, 0);
  out.quant({1.f}, 0);
  const TmFullyConnectedAttrs a = fc_attrs();
  int32_t m = 0, s = 0;
  TmFullyConnectedParams p;
  ASSERT_EQ(tm_fully_connected_prepare(&a, in.get(), f.get(), nullptr,
                                       out.get(), &m, &s, nullptr, &p),
            kTmOk);
  EXPECT_EQ(m, float_m);
  EXPECT_EQ(s, float_s);
}

// 16x8: 3*1000 + 4*(-2000) + 100 = -4900 (multiplier 1, 64-bit bias); the
// second batch 127*(32767 + 32767) saturates.
TEST(FullyConnectedTest, Int16HandCheckedAndSaturation) {
  std::vector<int16_t> x = {1000, -2000, 32767, 32767};
  std::vector<int8_t> w = {3, 4};
  std::vector<int64_t> b = {100};
  QTensor in(kTmInt16, {2, 2}), f(kTmInt8, {1, 2}), bias(kTmInt64, {1}),
      out(kTmInt16, {2, 1});
  in.quant({1.f}, 0).data(x);
  f.quant({1.f}, 0).data(w);
  bias.data(b);
  out.quant({1.f}, 0);
  EXPECT_EQ(run_s16(fc_attrs(), in, f, &bias, out),
            (std::vector<int16_t>{-4900, 32767}));
}

// {1, 2} . {{0.5, -1}, {2, 0.25}} + {0.25, -0.5}: 0.5 - 2 + 0.25 = -1.25,
// 2 + 0.5 - 0.5 = 2; RELU -> 0, 2.
TEST(FullyConnectedTest, Float32HandChecked) {
  std::vector<float> x = {1, 2}, w = {0.5f, -1, 2, 0.25f}, b = {0.25f, -0.5f};
  QTensor in(kTmFloat32, {1, 2}), f(kTmFloat32, {2, 2}), bias(kTmFloat32, {2}),
      out(kTmFloat32, {1, 2});
  in.data(x);
  f.data(w);
  bias.data(b);
  const TmFullyConnectedAttrs a = fc_attrs(kTmActRelu);
  TmFullyConnectedParams p;
  ASSERT_EQ(
      tm_fully_connected_prepare(&a, in.get(), f.get(), bias.get(), out.get(),
                                 nullptr, nullptr, nullptr, &p),
      kTmOk);
  std::vector<float> r(2);
  tm_fully_connected_f32(&p, x.data(), w.data(), b.data(), r.data());
  EXPECT_EQ(r, (std::vector<float>{0.f, 2.f}));
}

TEST(FullyConnectedTest, PrepareRejectsWhatItCannotRun) {
  QTensor f(kTmInt8, {2, 3});
  f.quant({1.f}, 0);
  int32_t m[2], s[2];
  TmFullyConnectedParams p;
  const TmFullyConnectedAttrs a = fc_attrs();
  {
    QTensor in(kTmInt8, {1, 4}), out(kTmInt8, {1, 2});  // 4 is not 3
    in.quant({1.f}, 0);
    out.quant({1.f}, 0);
    EXPECT_EQ(tm_fully_connected_prepare(&a, in.get(), f.get(), nullptr,
                                         out.get(), m, s, nullptr, &p),
              kTmErrorBadArgument);
  }
  {
    QTensor in(kTmInt8, {2, 1, 3}), out(kTmInt8, {2, 2});  // dims not kept
    in.quant({1.f}, 0);
    out.quant({1.f}, 0);
    const TmFullyConnectedAttrs keep = fc_attrs(kTmActNone, true);
    EXPECT_EQ(tm_fully_connected_prepare(&keep, in.get(), f.get(), nullptr,
                                         out.get(), m, s, nullptr, &p),
              kTmErrorBadArgument);
  }
  {
    QTensor in(kTmInt8, {1, 3}), out(kTmInt16, {1, 2});
    in.quant({1.f}, 0);
    out.quant({1.f}, 0);
    EXPECT_EQ(tm_fully_connected_prepare(&a, in.get(), f.get(), nullptr,
                                         out.get(), m, s, nullptr, &p),
              kTmErrorUnsupported);
  }
}

// ---- Randomized comparison with a naive implementation -------------------

TEST(FullyConnectedTest, Int8MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(8);
  testing::Coverage coverage;
  for (int iter = 0; iter < 300; ++iter) {
    const int32_t batches = testing::random_ints<int32_t>(rng, 1, 1, 4)[0];
    const int32_t depth = testing::random_ints<int32_t>(rng, 1, 1, 300)[0];
    const int32_t units = testing::random_ints<int32_t>(rng, 1, 1, 20)[0];
    const int32_t in_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    const int32_t out_zp = testing::random_ints<int32_t>(rng, 1, -128, 127)[0];
    const bool per_channel = rng() % 2;
    // Per-tensor weights may carry a zero point (legacy models).
    const int32_t w_zp =
        per_channel ? 0 : testing::random_ints<int32_t>(rng, 1, -3, 3)[0];
    auto x = testing::random_ints<int8_t>(rng, batches * depth, -128, 127);
    auto w = testing::random_ints<int8_t>(rng, units * depth, -127, 127);
    auto b = testing::random_ints<int32_t>(rng, units, -20000, 20000);
    const float in_scale = testing::random_floats(rng, 1, 0.005f, 0.1f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? units : 1, 0.001f, 0.02f);
    const float out_scale = in_scale * std::sqrt(float(depth)) *
                            testing::random_floats(rng, 1, 0.5f, 4.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt8, {batches, depth}), f(kTmInt8, {units, depth}),
        bias(kTmInt32, {units}), out(kTmInt8, {batches, units});
    in.quant({in_scale}, in_zp).data(x);
    f.quant(w_scales, w_zp, 0).data(w);
    bias.data(b);
    out.quant({out_scale}, out_zp);
    const bool with_bias = rng() % 4 != 0;
    const auto actual = run_s8(fc_attrs(act), in, f,
                               with_bias ? &bias : nullptr, out, rng() % 2);

    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, out_zp, -128, 127, &lo,
                                    &hi);
    std::vector<int32_t> expected(batches * units);
    for (int32_t bt = 0; bt < batches; ++bt) {
      for (int32_t u = 0; u < units; ++u) {
        double acc = with_bias ? b[u] : 0;
        for (int32_t d = 0; d < depth; ++d) {
          acc += double(x[bt * depth + d] - in_zp) * (w[u * depth + d] - w_zp);
        }
        const double m = double(in_scale) * w_scales[per_channel ? u : 0] /
                         double(out_scale);
        expected[bt * units + u] =
            testing::naive_requantize(acc, m, out_zp, lo, hi);
      }
    }
    coverage.add(expected, lo, hi);
    ASSERT_TRUE(testing::all_within(actual, expected, 1))
        << "iteration " << iter;
  }
  EXPECT_TRUE(coverage.enough()) << coverage.inside << " of " << coverage.total;
}

TEST(FullyConnectedTest, Int16MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(168);
  testing::Coverage coverage;
  for (int iter = 0; iter < 200; ++iter) {
    const int32_t batches = testing::random_ints<int32_t>(rng, 1, 1, 4)[0];
    const int32_t depth = testing::random_ints<int32_t>(rng, 1, 1, 300)[0];
    const int32_t units = testing::random_ints<int32_t>(rng, 1, 1, 20)[0];
    const bool per_channel = rng() % 2;
    auto x = testing::random_ints<int16_t>(rng, batches * depth, -32768, 32767);
    auto w = testing::random_ints<int8_t>(rng, units * depth, -127, 127);
    auto b = testing::random_ints<int64_t>(rng, units, -300000, 300000);
    const float in_scale = testing::random_floats(rng, 1, 1e-4f, 1e-3f)[0];
    auto w_scales =
        testing::random_floats(rng, per_channel ? units : 1, 0.001f, 0.02f);
    const float out_scale = in_scale * std::sqrt(float(depth)) *
                            testing::random_floats(rng, 1, 1.f, 8.f)[0];
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmInt16, {batches, depth}), f(kTmInt8, {units, depth}),
        bias(kTmInt64, {units}), out(kTmInt16, {batches, units});
    in.quant({in_scale}, 0).data(x);
    f.quant(w_scales, 0, 0).data(w);
    bias.data(b);
    out.quant({out_scale}, 0);
    const auto actual = run_s16(fc_attrs(act), in, f, &bias, out);

    int32_t lo, hi;
    testing::naive_activation_range(act, out_scale, 0, -32768, 32767, &lo, &hi);
    std::vector<int32_t> expected(batches * units);
    for (int32_t bt = 0; bt < batches; ++bt) {
      for (int32_t u = 0; u < units; ++u) {
        double acc = double(b[u]);
        for (int32_t d = 0; d < depth; ++d) {
          acc += double(x[bt * depth + d]) * w[u * depth + d];
        }
        const double m = double(in_scale) * w_scales[per_channel ? u : 0] /
                         double(out_scale);
        expected[bt * units + u] = testing::naive_requantize(acc, m, 0, lo, hi);
      }
    }
    coverage.add(expected, lo, hi);
    // 15-bit multiplier of the 64-bit path: see the CONV_2D test.
    ASSERT_TRUE(testing::all_within(actual, expected, 2))
        << "iteration " << iter;
  }
  EXPECT_TRUE(coverage.enough()) << coverage.inside << " of " << coverage.total;
}

TEST(FullyConnectedTest, Float32MatchesNaiveOracleOnRandomCases) {
  std::mt19937 rng(328);
  for (int iter = 0; iter < 200; ++iter) {
    const int32_t batches = testing::random_ints<int32_t>(rng, 1, 1, 4)[0];
    const int32_t depth = testing::random_ints<int32_t>(rng, 1, 1, 300)[0];
    const int32_t units = testing::random_ints<int32_t>(rng, 1, 1, 20)[0];
    auto x = testing::random_floats(rng, batches * depth, -2.f, 2.f);
    auto w = testing::random_floats(rng, units * depth, -1.f, 1.f);
    auto b = testing::random_floats(rng, units, -1.f, 1.f);
    const TmActivation act = testing::random_activation(rng);
    QTensor in(kTmFloat32, {batches, depth}), f(kTmFloat32, {units, depth}),
        bias(kTmFloat32, {units}), out(kTmFloat32, {batches, units});
    in.data(x);
    f.data(w);
    bias.data(b);
    const TmFullyConnectedAttrs a = fc_attrs(act);
    TmFullyConnectedParams p;
    ASSERT_EQ(
        tm_fully_connected_prepare(&a, in.get(), f.get(), bias.get(), out.get(),
                                   nullptr, nullptr, nullptr, &p),
        kTmOk);
    std::vector<float> actual(out.elements());
    tm_fully_connected_f32(&p, x.data(), w.data(), b.data(), actual.data());
    double lo, hi;
    testing::naive_activation_range_float(act, &lo, &hi);
    std::vector<double> expected(batches * units), mag(batches * units);
    for (int32_t bt = 0; bt < batches; ++bt) {
      for (int32_t u = 0; u < units; ++u) {
        double acc = b[u], m = std::fabs(b[u]);
        for (int32_t d = 0; d < depth; ++d) {
          const double term = double(x[bt * depth + d]) * w[u * depth + d];
          acc += term;
          m += std::fabs(term);
        }
        expected[bt * units + u] = std::min(hi, std::max(lo, acc));
        mag[bt * units + u] = m;
      }
    }
    ASSERT_TRUE(testing::floats_close(actual, expected, mag, 1e-5))
        << "iteration " << iter;
  }
}

}  // namespace
}  // namespace tierml
