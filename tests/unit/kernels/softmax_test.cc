#include "kernels/softmax.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "stateful_golden.h"
#include "tensor_spec.h"

namespace tierml {
namespace {

using testing::TensorSpec;

TmSoftmaxAttrs beta_of(float beta) {
  TmSoftmaxAttrs attrs = {};
  attrs.beta = beta;
  return attrs;
}

// The textbook softmax of one row, in double.
std::vector<double> naive_softmax(const std::vector<double>& x, double beta) {
  double max = x[0];
  for (double v : x) max = std::max(max, v);
  double sum = 0;
  std::vector<double> e(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    e[i] = std::exp(beta * (x[i] - max));
    sum += e[i];
  }
  for (double& v : e) v /= sum;
  return e;
}

struct Int8Case {
  float input_scale;
  int32_t input_zero_point;
  float beta;
};

std::vector<int8_t> run_s8(const Int8Case& c, const std::vector<int8_t>& in,
                           int32_t rows) {
  const int32_t depth = static_cast<int32_t>(in.size()) / rows;
  TensorSpec input(kTmInt8, {rows, depth}, c.input_scale, c.input_zero_point);
  TensorSpec output(kTmInt8, {rows, depth}, 1.0f / 256, -128);
  const TmSoftmaxAttrs attrs = beta_of(c.beta);
  TmSoftmaxParams p;
  EXPECT_EQ(tm_softmax_prepare(&attrs, input.get(), output.get(), nullptr,
                               nullptr, &p),
            kTmOk);
  std::vector<int8_t> out(in.size());
  tm_softmax_s8(&p, in.data(), out.data());
  return out;
}

// Hand-checked: two equal inputs give 1/2 = 128/256, i.e. 0 after the -128
// zero point; exp(0) = 1 in fixed point makes the reciprocal exact enough.
TEST(SoftmaxTest, Int8EqualInputsSplitEvenly) {
  const Int8Case c = {0.1f, 0, 1.0f};
  EXPECT_EQ(run_s8(c, {5, 5}, 1), (std::vector<int8_t>{0, 0}));
  // Four equal inputs: 1/4 = 64/256 -> -64.
  EXPECT_EQ(run_s8(c, {-7, -7, -7, -7}, 1),
            (std::vector<int8_t>{-64, -64, -64, -64}));
}

TEST(SoftmaxTest, Int8ExtremeRowsAreUniform) {
  const Int8Case c = {0.25f, -3, 1.0f};
  const std::vector<int8_t> low(10, -128), high(10, 127);
  // 1/10 of 256 = 25.6 -> 26 -> -102.
  EXPECT_EQ(run_s8(c, low, 1), std::vector<int8_t>(10, -102));
  EXPECT_EQ(run_s8(c, high, 1), std::vector<int8_t>(10, -102));
}

// With a huge beta the multiplier caps at 2^31 - 1 and every element below
// the maximum falls under diff_min: a one-hot 1.0 (saturating at 127).
TEST(SoftmaxTest, Int8LargeBetaIsOneHot) {
  const Int8Case c = {0.5f, 0, 1.0e6f};
  TensorSpec input(kTmInt8, {1, 4}, c.input_scale, 0);
  TensorSpec output(kTmInt8, {1, 4}, 1.0f / 256, -128);
  const TmSoftmaxAttrs attrs = beta_of(c.beta);
  TmSoftmaxParams p;
  ASSERT_EQ(tm_softmax_prepare(&attrs, input.get(), output.get(), nullptr,
                               nullptr, &p),
            kTmOk);
  EXPECT_EQ(p.input_multiplier, 2147483647);
  EXPECT_EQ(p.input_left_shift, 31);
  EXPECT_EQ(p.diff_min, 0);  // floor(31 * 2^26 / 2^31) = 0, negated
  std::vector<int8_t> out(4);
  const int8_t in[4] = {3, 100, 99, -128};
  tm_softmax_s8(&p, in, out.data());
  EXPECT_EQ(out, (std::vector<int8_t>{-128, 127, -128, -128}));
}

// Against double precision on random rows of several shapes and scales:
// at most 1 LSB (1/256) apart, probabilities summing to 1 within the
// rounding of each element, and order preserved within a row.
TEST(SoftmaxTest, Int8MatchesDoubleWithinOneLsb) {
  const Int8Case cases[] = {{0.0699627325f, 2, 1.0f},
                            {0.14469251f, 14, 1.0f},
                            {0.0146362185f, -5, 1.0f},
                            {0.5f, -128, 0.3f},
                            {0.02f, 127, 2.0f}};
  uint32_t seed = 1;
  for (const Int8Case& c : cases) {
    for (int32_t depth : {1, 2, 3, 12, 37}) {
      const int32_t rows = 5;
      const auto in =
          testing::random_values<int8_t>(rows * depth, seed++, -128, 127);
      const auto out = run_s8(c, in, rows);
      for (int32_t r = 0; r < rows; ++r) {
        std::vector<double> x(depth);
        for (int32_t i = 0; i < depth; ++i) {
          x[i] = c.input_scale * (in[r * depth + i] - c.input_zero_point);
        }
        const auto expected = naive_softmax(x, c.beta);
        double sum = 0;
        for (int32_t i = 0; i < depth; ++i) {
          const int32_t q = out[r * depth + i];
          const int32_t want =
              testing::quantize_double(expected[i], 1.0 / 256, -128, -128, 127);
          EXPECT_LE(std::abs(q - want), 1)
              << "depth " << depth << " row " << r << " element " << i;
          sum += (q + 128) / 256.0;
          for (int32_t j = 0; j < depth; ++j) {
            if (in[r * depth + j] > in[r * depth + i]) {
              EXPECT_GE(out[r * depth + j], q);
            }
          }
        }
        EXPECT_NEAR(sum, 1.0, depth * 1.0 / 256);
      }
    }
  }
}

TEST(SoftmaxTest, Int8ToInt16MatchesDoubleWithinTwoLsb) {
  const float scale = 0.0699627325f;
  const int32_t zero_point = 2;
  for (int32_t depth : {2, 5, 30}) {
    TensorSpec input(kTmInt8, {1, depth}, scale, zero_point);
    TensorSpec output(kTmInt16, {1, depth}, 1.0f / 65536, -32768);
    const TmSoftmaxAttrs attrs = beta_of(1.0f);
    TmSoftmaxParams p;
    ASSERT_EQ(tm_softmax_prepare(&attrs, input.get(), output.get(), nullptr,
                                 nullptr, &p),
              kTmOk);
    for (uint32_t seed = 0; seed < 20; ++seed) {
      const auto in = testing::random_values<int8_t>(depth, seed, -128, 127);
      std::vector<int16_t> out(depth);
      tm_softmax_s8_s16(&p, in.data(), out.data());
      std::vector<double> x(depth);
      for (int32_t i = 0; i < depth; ++i) x[i] = scale * (in[i] - zero_point);
      const auto expected = naive_softmax(x, 1.0);
      for (int32_t i = 0; i < depth; ++i) {
        const int32_t want = testing::quantize_double(expected[i], 1.0 / 65536,
                                                      -32768, -32768, 32767);
        EXPECT_LE(std::abs(out[i] - want), 2) << "element " << i;
      }
    }
  }
}

// The int16 path's tables make it coarser: within 1/1000 in real terms.
TEST(SoftmaxTest, Int16MatchesDouble) {
  for (float scale : {1.0f / 4096, 10.0f / 32768, 0.0003f}) {
    for (int32_t depth : {1, 2, 7, 40}) {
      TensorSpec input(kTmInt16, {2, depth}, scale, 0);
      TensorSpec output(kTmInt16, {2, depth}, 1.0f / 32768, 0);
      const TmSoftmaxAttrs attrs = beta_of(1.0f);
      std::vector<int16_t> exp_lut(TM_SOFTMAX_LUT_ENTRIES),
          reciprocal_lut(TM_SOFTMAX_LUT_ENTRIES);
      TmSoftmaxParams p;
      ASSERT_EQ(tm_softmax_prepare(&attrs, input.get(), output.get(),
                                   exp_lut.data(), reciprocal_lut.data(), &p),
                kTmOk);
      const auto in =
          testing::random_values<int16_t>(2 * depth, depth, -32768, 32767);
      std::vector<int16_t> out(2 * depth);
      tm_softmax_s16(&p, in.data(), out.data());
      for (int32_t r = 0; r < 2; ++r) {
        std::vector<double> x(depth);
        for (int32_t i = 0; i < depth; ++i) x[i] = scale * in[r * depth + i];
        const auto expected = naive_softmax(x, 1.0);
        for (int32_t i = 0; i < depth; ++i) {
          EXPECT_NEAR(out[r * depth + i] / 32768.0, expected[i], 1e-3)
              << "scale " << scale << " depth " << depth << " element " << i;
        }
      }
    }
  }
}

// The tables themselves: exp on [-10, 0] and 1/(1+x) on [0, 1], both in
// Q0.15 with the midpoint nudge of at most one unit.
TEST(SoftmaxTest, Int16TablesFollowTheirFunctions) {
  TensorSpec input(kTmInt16, {1, 4}, 0.001f, 0);
  TensorSpec output(kTmInt16, {1, 4}, 1.0f / 32768, 0);
  const TmSoftmaxAttrs attrs = beta_of(1.0f);
  std::vector<int16_t> exp_lut(TM_SOFTMAX_LUT_ENTRIES),
      reciprocal_lut(TM_SOFTMAX_LUT_ENTRIES);
  TmSoftmaxParams p;
  ASSERT_EQ(tm_softmax_prepare(&attrs, input.get(), output.get(),
                               exp_lut.data(), reciprocal_lut.data(), &p),
            kTmOk);
  for (int i = 0; i <= 512; ++i) {
    const double x = -10.0 + 10.0 * i / 512;
    EXPECT_NEAR(exp_lut[i], std::min(32767.0, std::exp(x) * 32768), 1.5) << i;
    const double y = static_cast<double>(i) / 512;
    EXPECT_NEAR(reciprocal_lut[i], std::min(32767.0, 32768 / (1 + y)), 1.5)
        << i;
  }
  EXPECT_EQ(exp_lut[512], 32767);
  EXPECT_EQ(reciprocal_lut[0], 32767);
  EXPECT_EQ(reciprocal_lut[512], 16384);
}

TEST(SoftmaxTest, Float32MatchesDouble) {
  const std::vector<float> in = {-1.5f, 0.0f, 2.25f, 100.0f, 99.0f, -100.0f};
  TensorSpec input(kTmFloat32, {2, 3});
  TensorSpec output(kTmFloat32, {2, 3});
  const TmSoftmaxAttrs attrs = beta_of(0.7f);
  TmSoftmaxParams p;
  ASSERT_EQ(tm_softmax_prepare(&attrs, input.get(), output.get(), nullptr,
                               nullptr, &p),
            kTmOk);
  std::vector<float> out(6);
  tm_softmax_f32(&p, in.data(), out.data());
  for (int r = 0; r < 2; ++r) {
    const auto expected = naive_softmax(
        {in[3 * r], in[3 * r + 1], in[3 * r + 2]}, static_cast<double>(0.7f));
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(out[3 * r + i], expected[i], 1e-6 * expected[i] + 1e-30);
    }
  }
}

TEST(SoftmaxTest, RejectsWhatTfliteRejects) {
  const TmSoftmaxAttrs attrs = beta_of(1.0f);
  TmSoftmaxParams p;
  TensorSpec in8(kTmInt8, {1, 4}, 0.1f, 0);
  // int8 output scale and zero point are fixed.
  TensorSpec out_bad_zp(kTmInt8, {1, 4}, 1.0f / 256, 0);
  TensorSpec out_bad_scale(kTmInt8, {1, 4}, 1.0f / 255, -128);
  EXPECT_EQ(tm_softmax_prepare(&attrs, in8.get(), out_bad_zp.get(), nullptr,
                               nullptr, &p),
            kTmErrorUnsupported);
  EXPECT_EQ(tm_softmax_prepare(&attrs, in8.get(), out_bad_scale.get(), nullptr,
                               nullptr, &p),
            kTmErrorUnsupported);
  TensorSpec out16_bad(kTmInt16, {1, 4}, 1.0f / 32768, -32768);
  EXPECT_EQ(tm_softmax_prepare(&attrs, in8.get(), out16_bad.get(), nullptr,
                               nullptr, &p),
            kTmErrorUnsupported);
  // beta * scale * 2^26 must exceed one.
  const TmSoftmaxAttrs tiny = beta_of(1e-9f);
  TensorSpec out8(kTmInt8, {1, 4}, 1.0f / 256, -128);
  EXPECT_EQ(
      tm_softmax_prepare(&tiny, in8.get(), out8.get(), nullptr, nullptr, &p),
      kTmErrorUnsupported);
  // Shapes must agree; int16 input needs table storage.
  TensorSpec out8_other(kTmInt8, {1, 5}, 1.0f / 256, -128);
  EXPECT_EQ(tm_softmax_prepare(&attrs, in8.get(), out8_other.get(), nullptr,
                               nullptr, &p),
            kTmErrorBadArgument);
  TensorSpec in16(kTmInt16, {1, 4}, 0.001f, 0);
  TensorSpec out16(kTmInt16, {1, 4}, 1.0f / 32768, 0);
  EXPECT_EQ(
      tm_softmax_prepare(&attrs, in16.get(), out16.get(), nullptr, nullptr, &p),
      kTmErrorBadArgument);
  // Mixed float/int.
  TensorSpec outf(kTmFloat32, {1, 4});
  EXPECT_EQ(
      tm_softmax_prepare(&attrs, in8.get(), outf.get(), nullptr, nullptr, &p),
      kTmErrorUnsupported);
}

// Byte for byte against what TFLM computed inside real models (input: the
// recorded output of the producing operator; output: the recorded softmax).
class SoftmaxGoldenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SoftmaxGoldenTest, MatchesTflmIntermediates) {
  testing::GoldenModel model;
  std::string error;
  if (!model.load(GetParam(), &error)) GTEST_SKIP() << error;
  int checked = 0;
  for (int32_t n = 0; n < model.view().num_operators(); ++n) {
    const OperatorView op = model.view().op(n);
    if (op.builtin_code != kTmOpSoftmax) continue;
    TmTensor input = model.tensor(op.inputs[0]);
    TmTensor output = model.tensor(op.outputs[0]);
    const std::vector<uint8_t> in_bytes = model.recorded(op.inputs[0]);
    const std::vector<uint8_t> want = model.recorded(op.outputs[0]);
    ASSERT_FALSE(in_bytes.empty()) << "no recorded input for node " << n;
    ASSERT_FALSE(want.empty()) << "no recorded output for node " << n;
    std::vector<int16_t> exp_lut(TM_SOFTMAX_LUT_ENTRIES),
        reciprocal_lut(TM_SOFTMAX_LUT_ENTRIES);
    TmSoftmaxParams p;
    ASSERT_EQ(tm_softmax_prepare(&op.attrs.u.softmax, &input, &output,
                                 exp_lut.data(), reciprocal_lut.data(), &p),
              kTmOk);
    std::vector<uint8_t> got(want.size());
    if (input.type == kTmFloat32) {
      std::vector<float> in(in_bytes.size() / 4), out(want.size() / 4),
          ref(want.size() / 4);
      std::memcpy(in.data(), in_bytes.data(), in_bytes.size());
      std::memcpy(ref.data(), want.data(), want.size());
      tm_softmax_f32(&p, in.data(), out.data());
      for (size_t i = 0; i < out.size(); ++i) {
        EXPECT_NEAR(out[i], ref[i], 1e-5 * std::fabs(ref[i]) + 1e-30)
            << GetParam() << " node " << n << " element " << i;
      }
      ++checked;
      continue;
    }
    const int8_t* in8 = reinterpret_cast<const int8_t*>(in_bytes.data());
    if (input.type == kTmInt8 && output.type == kTmInt8) {
      tm_softmax_s8(&p, in8, reinterpret_cast<int8_t*>(got.data()));
    } else if (input.type == kTmInt8) {
      std::vector<int16_t> out(want.size() / 2);
      tm_softmax_s8_s16(&p, in8, out.data());
      std::memcpy(got.data(), out.data(), got.size());
    } else {
      std::vector<int16_t> in(in_bytes.size() / 2), out(want.size() / 2);
      std::memcpy(in.data(), in_bytes.data(), in_bytes.size());
      tm_softmax_s16(&p, in.data(), out.data());
      std::memcpy(got.data(), out.data(), got.size());
    }
    EXPECT_EQ(got, want) << GetParam() << " node " << n;
    ++checked;
  }
  EXPECT_GT(checked, 0) << GetParam() << " has no SOFTMAX";
}

INSTANTIATE_TEST_SUITE_P(
    Models, SoftmaxGoldenTest,
    ::testing::Values("tiny_kws_ref_model", "tflm_keyword_scrambled",
                      "tflm_keyword_scrambled_8bit",
                      "tflm_micro_speech_quantized",
                      "tflm_xtensa_micro_speech_lstm", "tiny_vww_96_int8",
                      "tiny_pretrainedResnet_quant", "tiny_pretrainedResnet",
                      "tiny_vww_96_float"));

}  // namespace
}  // namespace tierml
