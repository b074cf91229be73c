#include "kernels/lstm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/sigmoid_tanh_s16.h"
#include "stateful_golden.h"

namespace {

TmTensor make(TmType type, std::vector<int32_t> dims, const void* data) {
  TmTensor t = {};
  t.type = type;
  t.shape.rank = static_cast<int32_t>(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) t.shape.dims[i] = dims[i];
  t.data = const_cast<void*>(data);
  return t;
}

void quantize(TmTensor* t, const float* scale, int32_t zero_point) {
  t->quant.count = 1;
  t->quant.scales = scale;
  t->quant.zero_point = zero_point;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// ---- the int16 activations ----

TEST(LstmActivations, Int16SigmoidAndTanhHandChecked) {
  // Q3.12 inputs: 0, +-1.0 (4096), the extremes.
  const int16_t in[] = {0, 4096, -4096, 32767, -32768};
  int16_t sig[5], th[5];
  tierml::sigmoid_s16(0, 0, 5, in, sig);
  tierml::tanh_s16(0, 0, 5, in, th);
  EXPECT_EQ(sig[0], 16384);  // 0.5 in Q0.15
  EXPECT_EQ(th[0], 0);
  // x = 1: 3 * 4096 lands exactly on table entry 24 for sigmoid (step 2^9)
  // and 48 for tanh (step 2^8): sigmoid(1) = 47911 / 2^16 -> 23956 after the
  // rounding shift; tanh(1) = 2 * 57724 / 2^16 - 1 -> 24956.
  EXPECT_EQ(sig[1], 23956);
  EXPECT_EQ(sig[2], 32768 - 23956);  // sigmoid(-x) = 1 - sigmoid(x)
  EXPECT_EQ(th[1], 24956);
  EXPECT_EQ(th[2], -24956);
  // 7.99 is inside the sigmoid table (sigmoid = 0.99966), outside tanh's.
  EXPECT_EQ(sig[3], 32757);
  EXPECT_EQ(sig[4], 11);
  EXPECT_EQ(th[3], 32767);
  EXPECT_EQ(th[4], -32767);
}

TEST(LstmActivations, Int16SweepStaysCloseToTheFunctions) {
  for (int x = -32768; x <= 32767; x += 7) {
    const int16_t in = static_cast<int16_t>(x);
    int16_t s, t;
    tierml::sigmoid_s16(0, 0, 1, &in, &s);
    tierml::tanh_s16(0, 0, 1, &in, &t);
    EXPECT_NEAR(s, sigmoid(x / 4096.0) * 32768, 8) << x;
    EXPECT_NEAR(t, std::tanh(x / 4096.0) * 32768, 8) << x;
  }
}

// ---- a small LSTM and an independent float reference ----

struct Dims {
  int batches, steps, inputs, states;
  bool time_major;
};

// Weights in real units, gate order input, forget, cell, output.
struct RealLstm {
  Dims d;
  std::vector<float> w_in[4], w_rec[4], bias[4];
  float cell_clip = 0.0f;

  static RealLstm random(const Dims& d, uint32_t seed) {
    RealLstm m;
    m.d = d;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-0.6f, 0.6f);
    for (int g = 0; g < 4; ++g) {
      m.w_in[g].resize(d.states * d.inputs);
      m.w_rec[g].resize(d.states * d.states);
      m.bias[g].resize(d.states);
      for (auto& v : m.w_in[g]) v = u(rng);
      for (auto& v : m.w_rec[g]) v = u(rng);
      for (auto& v : m.bias[g]) v = u(rng);
    }
    return m;
  }
};

int seq_index(const Dims& d, int b, int t) {
  return d.time_major ? t * d.batches + b : b * d.steps + t;
}

// The textbook equations, in double, one (batch, step) at a time.
std::vector<double> reference_lstm(const RealLstm& m,
                                   const std::vector<double>& input,
                                   std::vector<double>* hidden,
                                   std::vector<double>* cell) {
  const Dims& d = m.d;
  std::vector<double> out(d.batches * d.steps * d.states);
  for (int b = 0; b < d.batches; ++b) {
    double* h = &(*hidden)[b * d.states];
    double* c = &(*cell)[b * d.states];
    for (int t = 0; t < d.steps; ++t) {
      const double* x = &input[seq_index(d, b, t) * d.inputs];
      std::vector<double> pre[4];
      for (int g = 0; g < 4; ++g) {
        pre[g].assign(d.states, 0.0);
        for (int s = 0; s < d.states; ++s) {
          double acc = m.bias[g][s];
          for (int i = 0; i < d.inputs; ++i) {
            acc += m.w_in[g][s * d.inputs + i] * x[i];
          }
          for (int j = 0; j < d.states; ++j) {
            acc += m.w_rec[g][s * d.states + j] * h[j];
          }
          pre[g][s] = acc;
        }
      }
      for (int s = 0; s < d.states; ++s) {
        const double ig = sigmoid(pre[0][s]), fg = sigmoid(pre[1][s]);
        const double cg = std::tanh(pre[2][s]), og = sigmoid(pre[3][s]);
        c[s] = fg * c[s] + ig * cg;
        if (m.cell_clip > 0) {
          c[s] = std::max<double>(-m.cell_clip,
                                  std::min<double>(m.cell_clip, c[s]));
        }
      }
      for (int s = 0; s < d.states; ++s) {
        const double og = sigmoid(pre[3][s]);
        h[s] = og * std::tanh(c[s]);
        out[seq_index(d, b, t) * d.states + s] = h[s];
      }
    }
  }
  return out;
}

std::vector<int32_t> input_dims(const Dims& d) {
  return d.time_major ? std::vector<int32_t>{d.steps, d.batches, d.inputs}
                      : std::vector<int32_t>{d.batches, d.steps, d.inputs};
}

// The operator's 24 inputs for a float model; pointers stay valid while the
// RealLstm lives.
struct FloatOp {
  std::vector<TmTensor> tensors = std::vector<TmTensor>(24);
  const TmTensor* inputs[24] = {};
  TmTensor output;
  TmLstmWeights weights = {};

  explicit FloatOp(const RealLstm& m) {
    const Dims& d = m.d;
    tensors[kTmLstmInput] = make(kTmFloat32, input_dims(d), nullptr);
    inputs[kTmLstmInput] = &tensors[kTmLstmInput];
    for (int g = 0; g < 4; ++g) {
      tensors[1 + g] = make(kTmFloat32, {d.states, d.inputs}, m.w_in[g].data());
      tensors[5 + g] =
          make(kTmFloat32, {d.states, d.states}, m.w_rec[g].data());
      tensors[12 + g] = make(kTmFloat32, {d.states}, m.bias[g].data());
      inputs[1 + g] = &tensors[1 + g];
      inputs[5 + g] = &tensors[5 + g];
      inputs[12 + g] = &tensors[12 + g];
      weights.input_weights[g] = m.w_in[g].data();
      weights.recurrent_weights[g] = m.w_rec[g].data();
      weights.biases[g] = m.bias[g].data();
    }
    tensors[18] = make(kTmFloat32, {d.batches, d.states}, nullptr);
    tensors[19] = make(kTmFloat32, {d.batches, d.states}, nullptr);
    inputs[18] = &tensors[18];
    inputs[19] = &tensors[19];
    std::vector<int32_t> out_dims = input_dims(d);
    out_dims[2] = d.states;
    output = make(kTmFloat32, out_dims, nullptr);
  }
};

TmLstmAttrs attrs_for(const RealLstm& m) {
  TmLstmAttrs a = {};
  a.activation = kTmActTanh;
  a.cell_clip = m.cell_clip;
  a.time_major = m.d.time_major;
  return a;
}

TEST(Lstm, HandCheckedFloatOneUnit) {
  // One input, one state unit, two steps. Weights (input, recurrent, bias):
  // input gate (0.5, 0.25, 0), forget (1, 0, 0.5), cell (2, -1, 0),
  // output (-0.5, 0.5, 0.25).
  RealLstm m;
  m.d = {1, 2, 1, 1, false};
  const float w[4][3] = {
      {0.5f, 0.25f, 0}, {1, 0, 0.5f}, {2, -1, 0}, {-0.5f, 0.5f, 0.25f}};
  for (int g = 0; g < 4; ++g) {
    m.w_in[g] = {w[g][0]};
    m.w_rec[g] = {w[g][1]};
    m.bias[g] = {w[g][2]};
  }
  // Step 1, x = 1, h = c = 0: i = s(0.5), f = s(1.5), g = tanh(2),
  // o = s(-0.25); c1 = i g; h1 = o tanh(c1).
  const double c1 = sigmoid(0.5) * std::tanh(2.0);
  const double h1 = sigmoid(-0.25) * std::tanh(c1);
  // Step 2, x = -1: i = s(-0.5 + 0.25 h1), f = s(-1 + 0.5),
  // g = tanh(-2 - h1), o = s(0.5 + 0.5 h1 + 0.25).
  const double c2 =
      sigmoid(-0.5) * c1 + sigmoid(-0.5 + 0.25 * h1) * std::tanh(-2.0 - h1);
  const double h2 = sigmoid(0.75 + 0.5 * h1) * std::tanh(c2);

  FloatOp op(m);
  const TmLstmAttrs attrs = attrs_for(m);
  TmLstmParams p;
  size_t scratch_bytes = 0;
  const char* why = "";
  ASSERT_EQ(
      tm_lstm_prepare(&attrs, op.inputs, &op.output, &p, &scratch_bytes, &why),
      kTmOk)
      << why;
  EXPECT_EQ(scratch_bytes, 4 * sizeof(float));
  std::vector<float> scratch(4), hidden(1, 0.0f), cell(1, 0.0f), out(2);
  const float input[] = {1.0f, -1.0f};
  tm_lstm_f32(&p, &op.weights, input, hidden.data(), cell.data(), out.data(),
              scratch.data());
  EXPECT_NEAR(out[0], h1, 1e-6);
  EXPECT_NEAR(out[1], h2, 1e-6);
  EXPECT_NEAR(cell[0], c2, 1e-6);
  EXPECT_FLOAT_EQ(hidden[0], out[1]);
}

class LstmFloatLayouts : public ::testing::TestWithParam<bool> {};

TEST_P(LstmFloatLayouts, MatchesReferenceAndCarriesState) {
  RealLstm m = RealLstm::random({2, 5, 3, 4, GetParam()}, 11);
  m.cell_clip = 0.8f;  // low enough to clip sometimes
  const Dims& d = m.d;
  FloatOp op(m);
  const TmLstmAttrs attrs = attrs_for(m);
  TmLstmParams p;
  size_t scratch_bytes = 0;
  ASSERT_EQ(tm_lstm_prepare(&attrs, op.inputs, &op.output, &p, &scratch_bytes,
                            nullptr),
            kTmOk);
  std::vector<float> scratch(scratch_bytes / sizeof(float));
  std::vector<float> hidden(d.batches * d.states, 0.0f), cell(hidden);
  std::vector<double> ref_hidden(hidden.size(), 0.0), ref_cell(hidden.size());
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.5f, 1.5f);
  std::vector<float> first_output, second_output;
  for (int invoke = 0; invoke < 2; ++invoke) {
    std::vector<float> input(d.batches * d.steps * d.inputs);
    if (invoke == 0) {
      for (auto& v : input) v = u(rng);
    }
    std::vector<double> input_d(input.begin(), input.end());
    std::vector<float> out(d.batches * d.steps * d.states);
    tm_lstm_f32(&p, &op.weights, input.data(), hidden.data(), cell.data(),
                out.data(), scratch.data());
    const std::vector<double> expected =
        reference_lstm(m, input_d, &ref_hidden, &ref_cell);
    for (size_t i = 0; i < out.size(); ++i) {
      EXPECT_NEAR(out[i], expected[i], 1e-5 * std::abs(expected[i]) + 1e-6)
          << "invoke " << invoke << " element " << i;
    }
    if (invoke == 0) first_output = out;
    if (invoke == 1) second_output = out;
  }
  // The second invoke (zero input) differs from a zero input on fresh state,
  // so the match above really exercised the carried state.
  std::vector<double> fresh_h(hidden.size(), 0.0), fresh_c(hidden.size());
  const std::vector<double> fresh = reference_lstm(
      m, std::vector<double>(d.batches * d.steps * d.inputs, 0.0), &fresh_h,
      &fresh_c);
  double largest_change = 0;
  for (size_t i = 0; i < fresh.size(); ++i) {
    largest_change =
        std::max(largest_change, std::abs(second_output[i] - fresh[i]));
  }
  EXPECT_GT(largest_change, 1e-3);
  // Reset (the interpreter zeroes the variable tensors) repeats invoke 0.
  std::fill(hidden.begin(), hidden.end(), 0.0f);
  std::fill(cell.begin(), cell.end(), 0.0f);
  std::mt19937 replay(3);
  std::vector<float> input(d.batches * d.steps * d.inputs);
  for (auto& v : input) v = u(replay);
  std::vector<float> out(first_output.size());
  tm_lstm_f32(&p, &op.weights, input.data(), hidden.data(), cell.data(),
              out.data(), scratch.data());
  EXPECT_EQ(out, first_output);
}

INSTANTIATE_TEST_SUITE_P(BatchAndTimeMajor, LstmFloatLayouts,
                         ::testing::Values(false, true));

// ---- int8 ----

// The real model quantized the way TFLite's converter lays it out: int8
// per-tensor weights, int32 biases in input x weight units, int16 cell
// state at 2^-11, int8 hidden state/output at 1/128 (zero point -1).
template <typename Act>
struct QuantOp {
  static constexpr bool k16 = sizeof(Act) == 2;
  using Bias = std::conditional_t<k16, int64_t, int32_t>;
  static constexpr TmType kAct = k16 ? kTmInt16 : kTmInt8;
  static constexpr TmType kBias = k16 ? kTmInt64 : kTmInt32;
  const RealLstm& m;
  // int16 activations are symmetric (zero point 0), as TFLite requires.
  float input_scale = k16 ? 1.0f / 4096 : 0.05f;
  float hidden_scale = k16 ? 1.0f / 32768 : 1.0f / 128;
  float cell_scale = 1.0f / 2048;
  int32_t input_zp = k16 ? 0 : 3, hidden_zp = k16 ? 0 : -1;
  float w_in_scale[4], w_rec_scale[4], bias_scale[4];
  std::vector<int8_t> w_in[4], w_rec[4];
  std::vector<Bias> bias[4];
  std::vector<TmTensor> tensors = std::vector<TmTensor>(24);
  const TmTensor* inputs[24] = {};
  TmTensor output;
  TmLstmWeights weights = {};

  static float scale_of(const std::vector<float>& v) {
    float max = 0;
    for (float x : v) max = std::max(max, std::abs(x));
    return max / 127.0f;
  }

  explicit QuantOp(const RealLstm& model) : m(model) {
    const Dims& d = m.d;
    tensors[0] = make(kAct, input_dims(d), nullptr);
    quantize(&tensors[0], &input_scale, input_zp);
    for (int g = 0; g < 4; ++g) {
      w_in_scale[g] = scale_of(m.w_in[g]);
      w_rec_scale[g] = scale_of(m.w_rec[g]);
      bias_scale[g] = input_scale * w_in_scale[g];
      for (float v : m.w_in[g]) {
        w_in[g].push_back(static_cast<int8_t>(std::lround(v / w_in_scale[g])));
      }
      for (float v : m.w_rec[g]) {
        w_rec[g].push_back(
            static_cast<int8_t>(std::lround(v / w_rec_scale[g])));
      }
      for (float v : m.bias[g]) {
        bias[g].push_back(static_cast<Bias>(std::lround(v / bias_scale[g])));
      }
      tensors[1 + g] = make(kTmInt8, {d.states, d.inputs}, w_in[g].data());
      tensors[5 + g] = make(kTmInt8, {d.states, d.states}, w_rec[g].data());
      tensors[12 + g] = make(kBias, {d.states}, bias[g].data());
      quantize(&tensors[1 + g], &w_in_scale[g], 0);
      quantize(&tensors[5 + g], &w_rec_scale[g], 0);
      quantize(&tensors[12 + g], &bias_scale[g], 0);
      weights.input_weights[g] = w_in[g].data();
      weights.recurrent_weights[g] = w_rec[g].data();
      weights.biases[g] = bias[g].data();
    }
    tensors[18] = make(kAct, {d.batches, d.states}, nullptr);
    tensors[19] = make(kTmInt16, {d.batches, d.states}, nullptr);
    quantize(&tensors[18], &hidden_scale, hidden_zp);
    quantize(&tensors[19], &cell_scale, 0);
    for (int i : {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 18, 19}) {
      inputs[i] = &tensors[i];
    }
    std::vector<int32_t> out_dims = input_dims(d);
    out_dims[2] = d.states;
    output = make(kAct, out_dims, nullptr);
    quantize(&output, &hidden_scale, hidden_zp);
  }

  // The float model the integer one really computes (rounded weights).
  RealLstm dequantized() const {
    RealLstm r = m;
    for (int g = 0; g < 4; ++g) {
      for (size_t i = 0; i < w_in[g].size(); ++i) {
        r.w_in[g][i] = w_in[g][i] * w_in_scale[g];
      }
      for (size_t i = 0; i < w_rec[g].size(); ++i) {
        r.w_rec[g][i] = w_rec[g][i] * w_rec_scale[g];
      }
      for (size_t i = 0; i < bias[g].size(); ++i) {
        r.bias[g][i] = bias[g][i] * bias_scale[g];
      }
    }
    return r;
  }
};

class LstmInt8Layouts : public ::testing::TestWithParam<bool> {};

// Tolerance: 2 output steps (1/128 each). The output rounding is half a step;
// the hidden state fed back each step is rounded to the same step, the gates
// go through 2^-12-step pre-activations and TFLite's table activations
// (error below 1e-3), the cell through 2^-11 steps. Observed: within 1 step.
TEST_P(LstmInt8Layouts, MatchesNaiveFloatWithinQuantizationError) {
  RealLstm m = RealLstm::random({2, 6, 5, 4, GetParam()}, 21);
  m.cell_clip = 3.0f;
  const QuantOp<int8_t> op(m);
  const RealLstm real = op.dequantized();
  const Dims& d = m.d;
  const TmLstmAttrs attrs = attrs_for(m);
  TmLstmParams p;
  size_t scratch_bytes = 0;
  const char* why = "";
  ASSERT_EQ(
      tm_lstm_prepare(&attrs, op.inputs, &op.output, &p, &scratch_bytes, &why),
      kTmOk)
      << why;
  const int rows = d.time_major ? d.batches : 1;
  EXPECT_EQ(scratch_bytes, 4u * rows * d.states * sizeof(int16_t));
  std::vector<int16_t> scratch(scratch_bytes / sizeof(int16_t));
  std::vector<int8_t> hidden(d.batches * d.states,
                             static_cast<int8_t>(op.hidden_zp));
  std::vector<int16_t> cell(d.batches * d.states, 0);
  std::vector<double> ref_hidden(hidden.size(), 0.0), ref_cell(hidden.size());
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> i8(-128, 127);
  for (int invoke = 0; invoke < 2; ++invoke) {
    std::vector<int8_t> input(d.batches * d.steps * d.inputs);
    for (auto& v : input) v = static_cast<int8_t>(i8(rng) / 2);
    std::vector<double> input_real;
    for (int8_t v : input)
      input_real.push_back((v - op.input_zp) * op.input_scale);
    std::vector<int8_t> out(d.batches * d.steps * d.states);
    tm_lstm_s8(&p, &op.weights, input.data(), hidden.data(), cell.data(),
               out.data(), scratch.data());
    const std::vector<double> expected =
        reference_lstm(real, input_real, &ref_hidden, &ref_cell);
    for (size_t i = 0; i < out.size(); ++i) {
      EXPECT_NEAR(out[i], expected[i] / op.hidden_scale + op.hidden_zp, 2.0)
          << "invoke " << invoke << " element " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BatchAndTimeMajor, LstmInt8Layouts,
                         ::testing::Values(false, true));

// TFLM's 16x8 variant against the same float reference. Tolerance 5e-4 in
// real units (16 output steps of 2^-15): the output is fine-grained, so the
// table activations (error up to ~3e-4) and the 2^-11 (4.9e-4) cell steps
// dominate. Observed: below 2.2e-4. No golden model covers this variant.
TEST(Lstm, Int16ActivationsMatchNaiveFloat) {
  RealLstm m = RealLstm::random({2, 5, 3, 4, true}, 17);
  const QuantOp<int16_t> op(m);
  const RealLstm real = op.dequantized();
  const Dims& d = m.d;
  const TmLstmAttrs attrs = attrs_for(m);
  TmLstmParams p;
  size_t scratch_bytes = 0;
  const char* why = "";
  ASSERT_EQ(
      tm_lstm_prepare(&attrs, op.inputs, &op.output, &p, &scratch_bytes, &why),
      kTmOk)
      << why;
  std::vector<int16_t> scratch(scratch_bytes / sizeof(int16_t));
  std::vector<int16_t> hidden(d.batches * d.states, 0), cell(hidden);
  std::vector<double> ref_hidden(hidden.size(), 0.0), ref_cell(hidden.size());
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> i16(-8000, 8000);
  std::vector<int16_t> input(d.batches * d.steps * d.inputs);
  for (auto& v : input) v = static_cast<int16_t>(i16(rng));
  std::vector<double> input_real;
  for (int16_t v : input) input_real.push_back(v * op.input_scale);
  std::vector<int16_t> out(d.batches * d.steps * d.states);
  tm_lstm_s16(&p, &op.weights, input.data(), hidden.data(), cell.data(),
              out.data(), scratch.data());
  const std::vector<double> expected =
      reference_lstm(real, input_real, &ref_hidden, &ref_cell);
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_NEAR(out[i] * op.hidden_scale, expected[i], 5e-4) << i;
  }
}

TEST(Lstm, TimeMajorAndBatchMajorAgreeBitForBit) {
  RealLstm batch_major = RealLstm::random({3, 4, 2, 3, false}, 9);
  RealLstm time_major = batch_major;
  time_major.d.time_major = true;
  const QuantOp<int8_t> a(batch_major), b(time_major);
  const TmLstmAttrs attrs_a = attrs_for(batch_major),
                    attrs_b = attrs_for(time_major);
  TmLstmParams pa, pb;
  size_t sa = 0, sb = 0;
  ASSERT_EQ(tm_lstm_prepare(&attrs_a, a.inputs, &a.output, &pa, &sa, nullptr),
            kTmOk);
  ASSERT_EQ(tm_lstm_prepare(&attrs_b, b.inputs, &b.output, &pb, &sb, nullptr),
            kTmOk);
  const Dims& d = batch_major.d;
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> i8(-128, 127);
  std::vector<int8_t> in_a(d.batches * d.steps * d.inputs), in_b(in_a.size());
  for (auto& v : in_a) v = static_cast<int8_t>(i8(rng));
  for (int bt = 0; bt < d.batches; ++bt) {
    for (int t = 0; t < d.steps; ++t) {
      for (int i = 0; i < d.inputs; ++i) {
        in_b[(t * d.batches + bt) * d.inputs + i] =
            in_a[(bt * d.steps + t) * d.inputs + i];
      }
    }
  }
  std::vector<int16_t> scratch_a(sa / 2), scratch_b(sb / 2);
  std::vector<int8_t> h_a(d.batches * d.states, -1), h_b(h_a);
  std::vector<int16_t> c_a(h_a.size(), 0), c_b(c_a);
  std::vector<int8_t> out_a(d.batches * d.steps * d.states),
      out_b(out_a.size());
  tm_lstm_s8(&pa, &a.weights, in_a.data(), h_a.data(), c_a.data(), out_a.data(),
             scratch_a.data());
  tm_lstm_s8(&pb, &b.weights, in_b.data(), h_b.data(), c_b.data(), out_b.data(),
             scratch_b.data());
  EXPECT_EQ(h_a, h_b);
  EXPECT_EQ(c_a, c_b);
  for (int bt = 0; bt < d.batches; ++bt) {
    for (int t = 0; t < d.steps; ++t) {
      for (int s = 0; s < d.states; ++s) {
        EXPECT_EQ(out_a[(bt * d.steps + t) * d.states + s],
                  out_b[(t * d.batches + bt) * d.states + s]);
      }
    }
  }
}

TEST(Lstm, PrepareNamesUnsupportedFeatures) {
  RealLstm m = RealLstm::random({1, 2, 2, 2, false}, 4);
  QuantOp<int8_t> op(m);
  const TmLstmAttrs attrs = attrs_for(m);
  TmLstmParams p;
  size_t scratch = 0;
  const char* why = "";
  auto reason = [&](const TmTensor* const* inputs) {
    const TmStatus s =
        tm_lstm_prepare(&attrs, inputs, &op.output, &p, &scratch, &why);
    return s == kTmOk ? std::string("ok") : std::string(why);
  };
  ASSERT_EQ(reason(op.inputs), "ok");
  const int16_t peephole_data[2] = {1, 1};
  TmTensor peephole = make(kTmInt16, {2}, peephole_data);
  const TmTensor* with_peephole[24];
  std::copy(op.inputs, op.inputs + 24, with_peephole);
  with_peephole[kTmLstmCellToInputWeights + 1] = &peephole;
  EXPECT_NE(reason(with_peephole).find("peephole"), std::string::npos);

  const TmTensor* with_projection[24];
  std::copy(op.inputs, op.inputs + 24, with_projection);
  with_projection[kTmLstmProjectionWeights] = &op.tensors[5];
  EXPECT_NE(reason(with_projection).find("projection"), std::string::npos);

  const TmTensor* with_norm[24];
  std::copy(op.inputs, op.inputs + 24, with_norm);
  with_norm[kTmLstmInputLayerNorm + 2] = &peephole;
  EXPECT_NE(reason(with_norm).find("layer normalisation"), std::string::npos);

  const TmTensor* cifg[24];
  std::copy(op.inputs, op.inputs + 24, cifg);
  cifg[kTmLstmInputToInputWeights] = nullptr;
  cifg[kTmLstmRecurrentToInputWeights] = nullptr;
  cifg[kTmLstmInputGateBias] = nullptr;
  EXPECT_NE(reason(cifg).find("CIFG"), std::string::npos);

  const float odd_scale = 0.0003f;
  TmTensor odd_cell = op.tensors[kTmLstmCellState];
  quantize(&odd_cell, &odd_scale, 0);
  const TmTensor* non_pot[24];
  std::copy(op.inputs, op.inputs + 24, non_pot);
  non_pot[kTmLstmCellState] = &odd_cell;
  EXPECT_NE(reason(non_pot).find("power of two"), std::string::npos);

  TmLstmAttrs relu = attrs;
  relu.activation = kTmActRelu;
  EXPECT_EQ(tm_lstm_prepare(&relu, op.inputs, &op.output, &p, &scratch, &why),
            kTmErrorUnsupported);
  EXPECT_NE(std::string(why).find("TANH"), std::string::npos);
}

// TFLM's op000 of its xtensa micro_speech LSTM, first invoke after init:
// hidden state at its zero point, cell state zero.
TEST(LstmGolden, MicroSpeechLstmBitExact) {
  tierml::testing::GoldenModel model;
  std::string error;
  if (!model.load("tflm_xtensa_micro_speech_lstm", &error)) {
    GTEST_SKIP() << error;
  }
  const tierml::OperatorView op = model.view().op(0);
  ASSERT_EQ(op.builtin_code, kTmOpUnidirectionalSequenceLstm);
  ASSERT_EQ(op.inputs.size, 24);
  std::vector<TmTensor> tensors(24);
  const TmTensor* inputs[24] = {};
  TmLstmWeights weights = {};
  for (int i = 0; i < 24; ++i) {
    if (op.inputs[i] < 0) continue;
    tensors[i] = model.tensor(op.inputs[i]);
    inputs[i] = &tensors[i];
  }
  for (int g = 0; g < 4; ++g) {
    weights.input_weights[g] = tensors[1 + g].data;
    weights.recurrent_weights[g] = tensors[5 + g].data;
    weights.biases[g] = tensors[12 + g].data;
  }
  const TmTensor output = model.tensor(op.outputs[0]);
  TmLstmParams p;
  size_t scratch_bytes = 0;
  const char* why = "";
  ASSERT_EQ(tm_lstm_prepare(&op.attrs.u.lstm, inputs, &output, &p,
                            &scratch_bytes, &why),
            kTmOk)
      << why;
  const std::vector<uint8_t> input = model.recorded(op.inputs[0]);
  const std::vector<uint8_t> expected = model.recorded(op.outputs[0]);
  ASSERT_EQ(input.size(),
            static_cast<size_t>(tm_shape_elements(&tensors[0].shape)));
  ASSERT_EQ(expected.size(),
            static_cast<size_t>(tm_shape_elements(&output.shape)));
  std::vector<int16_t> scratch(scratch_bytes / sizeof(int16_t));
  std::vector<int8_t> hidden(tm_shape_elements(&tensors[18].shape),
                             static_cast<int8_t>(tensors[18].quant.zero_point));
  std::vector<int16_t> cell(tm_shape_elements(&tensors[19].shape), 0);
  std::vector<int8_t> out(expected.size());
  tm_lstm_s8(&p, &weights, reinterpret_cast<const int8_t*>(input.data()),
             hidden.data(), cell.data(), out.data(), scratch.data());
  size_t first_difference = out.size();
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] != static_cast<int8_t>(expected[i])) {
      first_difference = i;
      break;
    }
  }
  EXPECT_EQ(first_difference, out.size())
      << "first difference at element " << first_difference << " (step "
      << first_difference / 80 << ")";
}

// The operator glue in the interpreter: the model's first invoke matches
// TFLM, the output state then holds the last step's output, and reset puts
// it back to its zero point (cell state to 0) so the first result repeats.
TEST(LstmInterpreter, StateCarriesOverAndResetClearsIt) {
  tierml::testing::GoldenModel model;
  std::string error;
  if (!model.load("tflm_xtensa_micro_speech_lstm", &error)) {
    GTEST_SKIP() << error;
  }
  tierml::testing::GoldenInterpreter run;
  ASSERT_TRUE(run.init(model, &error)) << error;
  const tierml::OperatorView lstm = model.view().op(0);
  const int32_t out = lstm.outputs[0];
  const int32_t hidden = lstm.inputs[kTmLstmOutputState];
  const int32_t cell = lstm.inputs[kTmLstmCellState];
  const std::vector<uint8_t> input = model.file("in_5.bin");
  const std::vector<uint8_t> expected = model.recorded(out);
  ASSERT_TRUE(run.run(input)) << run.interpreter.last_error();
  EXPECT_EQ(run.bytes(out), expected);
  EXPECT_EQ(run.bytes(model.view().outputs()[0]), model.file("out_5.bin"));
  const std::vector<uint8_t> last_step(expected.end() - 80, expected.end());
  EXPECT_EQ(run.bytes(hidden), last_step);
  ASSERT_TRUE(run.run(input));
  EXPECT_NE(run.bytes(out), expected) << "the second invoke ignored state";
  ASSERT_EQ(run.interpreter.reset(), kTmOk);
  const std::vector<uint8_t> h = run.bytes(hidden), c = run.bytes(cell);
  EXPECT_EQ(h, std::vector<uint8_t>(h.size(), 0xFF));  // zero point -1
  EXPECT_EQ(c, std::vector<uint8_t>(c.size(), 0));
  ASSERT_TRUE(run.run(input));
  EXPECT_EQ(run.bytes(out), expected);
}

}  // namespace
