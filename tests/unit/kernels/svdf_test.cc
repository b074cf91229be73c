#include "kernels/svdf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "stateful_golden.h"

namespace {

TmTensor make(TmType type, std::vector<int32_t> dims, void* data = nullptr) {
  TmTensor t = {};
  t.type = type;
  t.shape.rank = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) t.shape.dims[i] = dims[i];
  t.data = data;
  return t;
}

void quantize(TmTensor* t, const float* scale, int32_t zero_point) {
  t->quant.count = 1;
  t->quant.scales = scale;
  t->quant.zero_point = zero_point;
}

// The hand-checked model: 2 inputs, rank 1, 2 units (= 2 filters), memory 3.
//   weights_feature = [[1, 2], [-1, 0.5]]
//   weights_time    = [[0.5, 0.25, 1], [1, -1, 2]]
//   bias            = [0.125, -0.1875]
// Feature values f(x) = [x0 + 2 x1, -x0 + 0.5 x1]; each output is
// bias + sum_j weights_time[u][j] * memory[u][j], memory oldest first.
//   x1 = [1, 1]:  memories [0 0 3]   [0 0 -0.5]    -> [3.125, -1.1875]
//   x2 = [2, 0]:  memories [0 3 2]   [0 -0.5 -2]   -> [2.875, -3.6875]
//   x3 = [0, -1]: memories [3 2 -2]  [-0.5 -2 -0.5] -> [0.125, 0.3125]
//   x4 = [1, 0]:  memories [2 -2 1]  [-2 -0.5 -1]  -> [1.625, -3.6875]
const float kFeature[] = {1.0f, 2.0f, -1.0f, 0.5f};
const float kTime[] = {0.5f, 0.25f, 1.0f, 1.0f, -1.0f, 2.0f};
const float kBias[] = {0.125f, -0.1875f};
const float kInputs[4][2] = {{1, 1}, {2, 0}, {0, -1}, {1, 0}};
const float kExpected[4][2] = {{3.125f, -1.1875f},
                               {2.875f, -3.6875f},
                               {0.125f, 0.3125f},
                               {1.625f, -3.6875f}};

TEST(Svdf, HandCheckedFloatCarriesStateAndResets) {
  std::vector<float> state(6, 0.0f), input(2), output(2);
  TmTensor in = make(kTmFloat32, {1, 2}, input.data());
  TmTensor wf = make(kTmFloat32, {2, 2}, const_cast<float*>(kFeature));
  TmTensor wt = make(kTmFloat32, {2, 3}, const_cast<float*>(kTime));
  TmTensor bias = make(kTmFloat32, {2}, const_cast<float*>(kBias));
  TmTensor st = make(kTmFloat32, {1, 6}, state.data());
  TmTensor out = make(kTmFloat32, {1, 2}, output.data());
  const TmSvdfAttrs attrs = {1, kTmActNone};
  TmSvdfParams p;
  ASSERT_EQ(
      tm_svdf_prepare(&attrs, &in, &wf, &wt, &bias, &st, &out, &p, nullptr),
      kTmOk);
  for (int t = 0; t < 4; ++t) {
    tm_svdf_f32(&p, kInputs[t], kFeature, kTime, kBias, state.data(),
                output.data());
    EXPECT_FLOAT_EQ(output[0], kExpected[t][0]) << "step " << t;
    EXPECT_FLOAT_EQ(output[1], kExpected[t][1]) << "step " << t;
  }
  // What the interpreter does on reset: the variable tensor is zeroed.
  std::fill(state.begin(), state.end(), 0.0f);
  tm_svdf_f32(&p, kInputs[0], kFeature, kTime, kBias, state.data(),
              output.data());
  EXPECT_FLOAT_EQ(output[0], kExpected[0][0]);
  EXPECT_FLOAT_EQ(output[1], kExpected[0][1]);
}

TEST(Svdf, FloatAppliesFusedRelu) {
  std::vector<float> state(6, 0.0f), output(2);
  TmTensor in = make(kTmFloat32, {1, 2});
  TmTensor wf = make(kTmFloat32, {2, 2});
  TmTensor wt = make(kTmFloat32, {2, 3});
  TmTensor st = make(kTmFloat32, {1, 6});
  TmTensor out = make(kTmFloat32, {1, 2});
  const TmSvdfAttrs attrs = {1, kTmActRelu};
  TmSvdfParams p;
  ASSERT_EQ(
      tm_svdf_prepare(&attrs, &in, &wf, &wt, nullptr, &st, &out, &p, nullptr),
      kTmOk);
  tm_svdf_f32(&p, kInputs[0], kFeature, kTime, nullptr, state.data(),
              output.data());
  EXPECT_FLOAT_EQ(output[0], 3.0f);  // no bias this time
  EXPECT_FLOAT_EQ(output[1], 0.0f);  // -1 clamped by the relu
}

// The same model quantized so that both rescales are exactly 1: input scale
// 0.5, feature 0.25, state 0.125, time 0.25, output 1/32. The integer kernel
// must then give exactly expected / (1/32).
template <typename T>
void run_hand_checked_integer(TmType state_type, int32_t state_zero_point) {
  const float input_scale = 0.5f, feature_scale = 0.25f, state_scale = 0.125f,
              time_scale = 0.25f, output_scale = 1.0f / 32,
              bias_scale = state_scale * time_scale;
  const int32_t input_zp = 3;
  std::vector<int8_t> feature = {4, 8, -4, 2};
  std::vector<T> time = {2, 1, 4, 4, -4, 8};
  std::vector<int32_t> bias = {4, -6};
  std::vector<T> state(6, static_cast<T>(state_zero_point));
  std::vector<int8_t> input(2), output(2);
  TmTensor in = make(kTmInt8, {1, 2});
  TmTensor wf = make(kTmInt8, {2, 2});
  TmTensor wt = make(state_type, {2, 3});
  TmTensor b = make(kTmInt32, {2});
  TmTensor st = make(state_type, {1, 6});
  TmTensor out = make(kTmInt8, {1, 2});
  quantize(&in, &input_scale, input_zp);
  quantize(&wf, &feature_scale, 0);
  quantize(&wt, &time_scale, 0);
  quantize(&b, &bias_scale, 0);
  quantize(&st, &state_scale, state_zero_point);
  quantize(&out, &output_scale, 0);
  const TmSvdfAttrs attrs = {1, kTmActRelu};
  TmSvdfParams p;
  const char* why = nullptr;
  ASSERT_EQ(tm_svdf_prepare(&attrs, &in, &wf, &wt, &b, &st, &out, &p, &why),
            kTmOk)
      << why;
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 2; ++i) {
      input[i] = static_cast<int8_t>(kInputs[t][i] / input_scale + input_zp);
    }
    if constexpr (sizeof(T) == 2) {
      tm_svdf_s8_s16(&p, input.data(), feature.data(), time.data(), bias.data(),
                     state.data(), output.data());
    } else {
      tm_svdf_s8_s8(&p, input.data(), feature.data(), time.data(), bias.data(),
                    state.data(), output.data());
    }
    // The integer path clamps to int8 only (TFLM ignores the relu there).
    EXPECT_EQ(output[0], static_cast<int8_t>(kExpected[t][0] / output_scale))
        << "step " << t;
    EXPECT_EQ(output[1], static_cast<int8_t>(kExpected[t][1] / output_scale))
        << "step " << t;
  }
  // The newest memory slots hold f(x4) = [1, -1] in state units (x8).
  EXPECT_EQ(state[2], 8 + state_zero_point);
  EXPECT_EQ(state[5], -8 + state_zero_point);
}

TEST(Svdf, HandCheckedInt8WithInt16State) {
  run_hand_checked_integer<int16_t>(kTmInt16, 0);
}

TEST(Svdf, HandCheckedInt8WithInt8StateAndZeroPoint) {
  run_hand_checked_integer<int8_t>(kTmInt8, -5);
}

// TFLM clamps the new state value to int8 and only then adds the zero point,
// storing without saturation: 127 + 10 wraps to -119. Kept for bit-exactness.
TEST(Svdf, Int8StateZeroPointAddedAfterClampAsTflm) {
  const float one = 1.0f;
  std::vector<int8_t> feature = {127}, input = {127}, output(1);
  std::vector<int8_t> time = {0}, state = {10};
  TmTensor in = make(kTmInt8, {1, 1});
  TmTensor wf = make(kTmInt8, {1, 1});
  TmTensor wt = make(kTmInt8, {1, 1});
  TmTensor st = make(kTmInt8, {1, 1});
  TmTensor out = make(kTmInt8, {1, 1});
  for (TmTensor* t : {&in, &wf, &wt, &out}) quantize(t, &one, 0);
  quantize(&st, &one, 10);
  const TmSvdfAttrs attrs = {1, kTmActNone};
  TmSvdfParams p;
  ASSERT_EQ(
      tm_svdf_prepare(&attrs, &in, &wf, &wt, nullptr, &st, &out, &p, nullptr),
      kTmOk);
  tm_svdf_s8_s8(&p, input.data(), feature.data(), time.data(), nullptr,
                state.data(), output.data());
  EXPECT_EQ(state[0], static_cast<int8_t>(-119));
}

// Independent float SVDF on the dequantized model, several invokes, against
// the int8/int16 kernel. Tolerance: half an output step for the final
// rounding plus the state's rounding (half a state step per memory slot)
// carried through |weights_time|, plus one step for the input-side rounding.
TEST(Svdf, Int8MatchesNaiveFloatWithinQuantizationError) {
  const int batches = 2, inputs = 5, rank = 2, units = 3, memory = 4;
  const int filters = rank * units;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> i8(-128, 127), i16(-3000, 3000);
  std::vector<int8_t> feature(filters * inputs);
  std::vector<int16_t> time(filters * memory);
  std::vector<int32_t> bias(units);
  for (auto& v : feature) v = static_cast<int8_t>(i8(rng));
  for (auto& v : time) v = static_cast<int16_t>(i16(rng));
  for (auto& v : bias) v = i16(rng) * 10;
  const float input_scale = 0.02f, feature_scale = 0.01f, state_scale = 0.004f,
              time_scale = 0.0005f, output_scale = 0.01f,
              bias_scale = state_scale * time_scale;
  const int32_t input_zp = -7, output_zp = 5;
  TmTensor in = make(kTmInt8, {batches, inputs});
  TmTensor wf = make(kTmInt8, {filters, inputs});
  TmTensor wt = make(kTmInt16, {filters, memory});
  TmTensor b = make(kTmInt32, {units});
  TmTensor st = make(kTmInt16, {batches, filters * memory});
  TmTensor out = make(kTmInt8, {batches, units});
  quantize(&in, &input_scale, input_zp);
  quantize(&wf, &feature_scale, 0);
  quantize(&wt, &time_scale, 0);
  quantize(&b, &bias_scale, 0);
  quantize(&st, &state_scale, 0);
  quantize(&out, &output_scale, output_zp);
  const TmSvdfAttrs attrs = {rank, kTmActNone};
  TmSvdfParams p;
  ASSERT_EQ(tm_svdf_prepare(&attrs, &in, &wf, &wt, &b, &st, &out, &p, nullptr),
            kTmOk);

  std::vector<int16_t> state(batches * filters * memory, 0);
  std::vector<double> ref_state(state.size(), 0.0);
  double time_abs_max = 0;
  for (int u = 0; u < units; ++u) {
    double sum = 0;
    for (int r = 0; r < rank; ++r) {
      for (int j = 0; j < memory; ++j) {
        sum += std::abs(time[(u * rank + r) * memory + j] * time_scale);
      }
    }
    time_abs_max = std::max(time_abs_max, sum);
  }
  const double tolerance =
      0.5 + 1.0 + time_abs_max * 0.5 * state_scale / output_scale;
  for (int step = 0; step < 6; ++step) {
    std::vector<int8_t> input(batches * inputs), output(batches * units);
    for (auto& v : input) v = static_cast<int8_t>(i8(rng));
    tm_svdf_s8_s16(&p, input.data(), feature.data(), time.data(), bias.data(),
                   state.data(), output.data());
    // Reference: shift each filter's memory, append the new projection.
    for (int bt = 0; bt < batches; ++bt) {
      for (int f = 0; f < filters; ++f) {
        double* mem = &ref_state[(bt * filters + f) * memory];
        for (int j = 0; j + 1 < memory; ++j) mem[j] = mem[j + 1];
        double dot = 0;
        for (int c = 0; c < inputs; ++c) {
          dot += feature[f * inputs + c] * feature_scale *
                 (input[bt * inputs + c] - input_zp) * input_scale;
        }
        mem[memory - 1] = dot;
      }
      for (int u = 0; u < units; ++u) {
        double acc = bias[u] * bias_scale;
        for (int r = 0; r < rank; ++r) {
          const int f = u * rank + r;
          for (int j = 0; j < memory; ++j) {
            acc += time[f * memory + j] * time_scale *
                   ref_state[(bt * filters + f) * memory + j];
          }
        }
        const double expected =
            std::min(127.0, std::max(-128.0, acc / output_scale + output_zp));
        EXPECT_NEAR(output[bt * units + u], expected, tolerance)
            << "step " << step << " batch " << bt << " unit " << u;
      }
    }
  }
}

TEST(Svdf, PrepareRejectsBadModels) {
  TmTensor in = make(kTmFloat32, {1, 4});
  TmTensor wf = make(kTmFloat32, {6, 4});
  TmTensor wt = make(kTmFloat32, {6, 3});
  TmTensor st = make(kTmFloat32, {1, 18});
  TmTensor out = make(kTmFloat32, {1, 3});
  TmSvdfParams p;
  const char* why = nullptr;
  TmSvdfAttrs attrs = {4, kTmActNone};  // 6 filters are not a multiple of 4
  EXPECT_EQ(
      tm_svdf_prepare(&attrs, &in, &wf, &wt, nullptr, &st, &out, &p, &why),
      kTmErrorBadArgument);
  EXPECT_NE(std::string(why).find("rank"), std::string::npos);
  attrs.rank = 2;
  EXPECT_EQ(
      tm_svdf_prepare(&attrs, &in, &wf, &wt, nullptr, &st, &out, &p, &why),
      kTmOk);
  TmTensor short_state = make(kTmFloat32, {1, 17});
  EXPECT_EQ(tm_svdf_prepare(&attrs, &in, &wf, &wt, nullptr, &short_state, &out,
                            &p, &why),
            kTmErrorBadArgument);
  TmTensor int_state = make(kTmInt16, {1, 18});
  EXPECT_EQ(tm_svdf_prepare(&attrs, &in, &wf, &wt, nullptr, &int_state, &out,
                            &p, &why),
            kTmErrorUnsupported);
  TmTensor uint8_input = make(kTmUInt8, {1, 4});
  EXPECT_EQ(tm_svdf_prepare(&attrs, &uint8_input, &wf, &wt, nullptr, &st, &out,
                            &p, &why),
            kTmErrorUnsupported);
}

// Every SVDF of TFLM's keyword models, first invoke after init (zero state),
// fed with the recorded output of the layer before it.
void check_golden_svdf_layers(const std::string& model_name) {
  tierml::testing::GoldenModel model;
  std::string error;
  if (!model.load(model_name, &error)) GTEST_SKIP() << error;
  const tierml::ModelView& view = model.view();
  int checked = 0;
  for (int32_t i = 0; i < view.num_operators(); ++i) {
    const tierml::OperatorView op = view.op(i);
    if (op.builtin_code != kTmOpSvdf) continue;
    TmTensor t[5];
    for (int k = 0; k < 5; ++k) t[k] = model.tensor(op.inputs[k]);
    TmTensor out = model.tensor(op.outputs[0]);
    TmSvdfParams p;
    const char* why = "";
    ASSERT_EQ(tm_svdf_prepare(&op.attrs.u.svdf, &t[0], &t[1], &t[2], &t[3],
                              &t[4], &out, &p, &why),
              kTmOk)
        << "op " << i << ": " << why;
    std::vector<uint8_t> input = model.recorded(op.inputs[0]);
    const std::vector<uint8_t> expected = model.recorded(op.outputs[0]);
    ASSERT_EQ(input.size(),
              static_cast<size_t>(tm_shape_elements(&t[0].shape)));
    ASSERT_EQ(expected.size(),
              static_cast<size_t>(tm_shape_elements(&out.shape)));
    std::vector<uint8_t> state(tm_shape_elements(&t[4].shape) *
                               tm_type_size(t[4].type));
    // A fresh variable tensor holds the zero point, as TFLM initializes it.
    if (t[4].type == kTmInt8) {
      std::fill(state.begin(), state.end(),
                static_cast<uint8_t>(t[4].quant.zero_point));
    }
    std::vector<int8_t> output(expected.size());
    const auto* in8 = reinterpret_cast<const int8_t*>(input.data());
    if (t[2].type == kTmInt16) {
      tm_svdf_s8_s16(&p, in8, static_cast<const int8_t*>(t[1].data),
                     static_cast<const int16_t*>(t[2].data),
                     static_cast<const int32_t*>(t[3].data),
                     reinterpret_cast<int16_t*>(state.data()), output.data());
    } else {
      tm_svdf_s8_s8(&p, in8, static_cast<const int8_t*>(t[1].data),
                    static_cast<const int8_t*>(t[2].data),
                    static_cast<const int32_t*>(t[3].data),
                    reinterpret_cast<int8_t*>(state.data()), output.data());
    }
    EXPECT_EQ(0, std::memcmp(output.data(), expected.data(), expected.size()))
        << model_name << " op " << i << " differs from TFLM";
    ++checked;
  }
  EXPECT_EQ(checked, 7) << model_name;
}

TEST(SvdfGolden, KeywordScrambledInt16StateBitExact) {
  check_golden_svdf_layers("tflm_keyword_scrambled");
}

TEST(SvdfGolden, KeywordScrambled8BitStateBitExact) {
  check_golden_svdf_layers("tflm_keyword_scrambled_8bit");
}

// The operator glue in the interpreter: first invoke reproduces TFLM's
// SVDF output, a second invoke without reset sees the carried state, and
// reset (state back to zero) reproduces the first invoke.
TEST(SvdfInterpreter, StateCarriesOverAndResetClearsIt) {
  tierml::testing::GoldenModel model;
  std::string error;
  if (!model.load("tflm_keyword_scrambled", &error)) GTEST_SKIP() << error;
  tierml::testing::GoldenInterpreter run;
  ASSERT_TRUE(run.init(model, &error)) << error;
  const tierml::OperatorView svdf = model.view().op(1);
  ASSERT_EQ(svdf.builtin_code, kTmOpSvdf);
  const int32_t out = svdf.outputs[0], state = svdf.inputs[4];
  const std::vector<uint8_t> input = model.file("in_5.bin");
  const std::vector<uint8_t> expected = model.recorded(out);
  ASSERT_TRUE(run.run(input)) << run.interpreter.last_error();
  EXPECT_EQ(run.bytes(out), expected);
  EXPECT_EQ(run.bytes(model.view().outputs()[0]), model.file("out_5.bin"));
  ASSERT_TRUE(run.run(input));
  EXPECT_NE(run.bytes(out), expected) << "the second invoke ignored state";
  ASSERT_EQ(run.interpreter.reset(), kTmOk);
  const std::vector<uint8_t> cleared = run.bytes(state);
  EXPECT_EQ(cleared, std::vector<uint8_t>(cleared.size(), 0));
  ASSERT_TRUE(run.run(input));
  EXPECT_EQ(run.bytes(out), expected);
}

}  // namespace
