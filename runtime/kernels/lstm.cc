#include "kernels/lstm.h"

#include <math.h>
#include <string.h>

#include "kernels/quantization.h"
#include "kernels/sigmoid_tanh_s16.h"

namespace tierml {
namespace {

constexpr int32_t kInt16Min = -32768;
constexpr int32_t kInt16Max = 32767;
// TFLM's gate scales: pre-activations Q3.12, activations Q0.15.
constexpr float kGateInputScale = 1.0f / 4096.0f;
constexpr float kGateOutputScale = 1.0f / 32768.0f;

TmStatus reject(TmStatus status, const char* reason, const char** why) {
  if (why != nullptr) *why = reason;
  return status;
}

// Where one step reads and writes: `rows` batch rows at these offsets.
struct Step {
  int32_t rows, input_offset, output_offset, state_offset;
};

// Walks the sequence as TFLM does: time-major runs all batches per step,
// batch-major runs each batch's sequence in turn.
template <typename StepFn>
void for_each_step(const TmLstmParams* p, StepFn&& step) {
  if (p->time_major) {
    for (int32_t t = 0; t < p->time_steps; ++t) {
      step(Step{p->batches, t * p->batches * p->input_size,
                t * p->batches * p->state_size, 0});
    }
    return;
  }
  for (int32_t b = 0; b < p->batches; ++b) {
    for (int32_t t = 0; t < p->time_steps; ++t) {
      const int32_t index = b * p->time_steps + t;
      step(Step{1, index * p->input_size, index * p->state_size,
                b * p->state_size});
    }
  }
}

// ---- integer: int8 (int32 bias) or int16 (int64 bias) activations ----

// The two integer flavours: activation type, bias type and accumulator
// (TFLM accumulates 16x8 products in int64 and requantizes through the
// int64 multiply_by_quantized_multiplier).
template <typename Act>
struct IntegerLstm;
template <>
struct IntegerLstm<int8_t> {
  using Bias = int32_t;
  using Acc = int32_t;
  static constexpr int32_t kMin = -128, kMax = 127;
};
template <>
struct IntegerLstm<int16_t> {
  using Bias = int64_t;
  using Acc = int64_t;
  static constexpr int32_t kMin = kInt16Min, kMax = kInt16Max;
};

// int16 inputs carry no offset in TFLM's 16x8 fully connected; prepare
// requires their zero points to be 0, so input_offset is 0 there.
template <typename Act>
void fc_s16(const TmLstmFcQuant& q, const Act* x, int32_t rows, int32_t depth,
            const int8_t* weights, const typename IntegerLstm<Act>::Bias* bias,
            int32_t outputs, int16_t* out) {
  using Acc = typename IntegerLstm<Act>::Acc;
  for (int32_t b = 0; b < rows; ++b) {
    const Act* v = x + b * depth;
    for (int32_t o = 0; o < outputs; ++o) {
      const int8_t* w = weights + o * depth;
      Acc acc = 0;
      for (int32_t d = 0; d < depth; ++d) {
        acc += (w[d] + q.weights_offset) * (v[d] + q.input_offset);
      }
      if (bias != nullptr) acc += bias[o];
      const int32_t scaled =
          multiply_by_quantized_multiplier(acc, q.multiplier, q.shift);
      out[b * outputs + o] =
          static_cast<int16_t>(clamp_i32(scaled, kInt16Min, kInt16Max));
    }
  }
}

template <typename Act>
void gate_integer(const TmLstmParams* p, const TmLstmWeights* w, int32_t g,
                  const Step& s, const Act* input, const Act* hidden,
                  int16_t* gate, int16_t* temp) {
  using Bias = typename IntegerLstm<Act>::Bias;
  const int32_t n = s.rows * p->state_size;
  fc_s16<Act>(p->input_fc[g], input + s.input_offset, s.rows, p->input_size,
              static_cast<const int8_t*>(w->input_weights[g]),
              static_cast<const Bias*>(w->biases[g]), p->state_size, gate);
  fc_s16<Act>(p->recurrent_fc[g], hidden + s.state_offset, s.rows,
              p->state_size,
              static_cast<const int8_t*>(w->recurrent_weights[g]), nullptr,
              p->state_size, temp);
  for (int32_t i = 0; i < n; ++i) {
    gate[i] = static_cast<int16_t>(
        clamp_i32(gate[i] + temp[i], kInt16Min, kInt16Max));
  }
  if (g == kTmLstmGateCell) {
    tanh_s16(0, 0, n, gate, gate);  // Q3.12 in: no rescale beyond TFLM's 3x
  } else {
    sigmoid_s16(0, 0, n, gate, gate);
  }
}

int16_t mul_s16(int16_t a, int16_t b, int32_t multiplier, int32_t shift) {
  const int32_t product = multiply_by_quantized_multiplier(
      static_cast<int32_t>(a) * b, multiplier, shift);
  return static_cast<int16_t>(clamp_i32(product, kInt16Min, kInt16Max));
}

template <typename Act>
void step_integer(const TmLstmParams* p, const TmLstmWeights* w, const Step& s,
                  const Act* input, Act* hidden, int16_t* cell, Act* output,
                  int16_t* scratch) {
  const int32_t n = s.rows * p->state_size;
  int16_t* forget = scratch;
  int16_t* in_gate = scratch + n;
  int16_t* cell_gate = scratch + 2 * n;
  int16_t* temp = scratch + 3 * n;
  gate_integer(p, w, kTmLstmGateForget, s, input, hidden, forget, temp);
  gate_integer(p, w, kTmLstmGateInput, s, input, hidden, in_gate, temp);
  gate_integer(p, w, kTmLstmGateCell, s, input, hidden, cell_gate, temp);

  int16_t* c = cell + s.state_offset;
  for (int32_t i = 0; i < n; ++i) {
    const int16_t kept =
        mul_s16(forget[i], c[i], p->forget_multiplier, p->forget_shift);
    const int16_t added = mul_s16(in_gate[i], cell_gate[i],
                                  p->update_multiplier, p->update_shift);
    int32_t updated = clamp_i32(kept + added, kInt16Min, kInt16Max);
    if (p->clip_cell) {
      updated =
          clamp_i32(updated, -p->quantized_cell_clip, p->quantized_cell_clip);
    }
    c[i] = static_cast<int16_t>(updated);
  }

  // The output gate reads the previous hidden state, still untouched.
  int16_t* out_gate = in_gate;
  gate_integer(p, w, kTmLstmGateOutput, s, input, hidden, out_gate, temp);
  int16_t* tanh_cell = forget;
  tanh_s16(p->tanh_multiplier, p->tanh_shift, n, c, tanh_cell);
  Act* h = hidden + s.state_offset;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t value = multiply_by_quantized_multiplier(
                              static_cast<int32_t>(tanh_cell[i]) * out_gate[i],
                              p->hidden_multiplier, p->hidden_shift) +
                          p->hidden_zero_point;
    h[i] = static_cast<Act>(
        clamp_i32(value, IntegerLstm<Act>::kMin, IntegerLstm<Act>::kMax));
  }
  memcpy(output + s.output_offset, h, static_cast<size_t>(n) * sizeof(Act));
}

// ---- float32 ----

float sigmoid_f32(float x) {
  // TFLite's reference cut-offs.
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return expf(x);
  return 1.0f / (1.0f + expf(-x));
}

void fc_f32(const float* x, int32_t rows, int32_t depth, const float* weights,
            const float* bias, int32_t outputs, float* out) {
  for (int32_t b = 0; b < rows; ++b) {
    const float* v = x + b * depth;
    for (int32_t o = 0; o < outputs; ++o) {
      const float* w = weights + o * depth;
      float total = 0.0f;
      for (int32_t d = 0; d < depth; ++d) total += v[d] * w[d];
      out[b * outputs + o] = total + (bias != nullptr ? bias[o] : 0.0f);
    }
  }
}

void gate_f32(const TmLstmParams* p, const TmLstmWeights* w, int32_t g,
              const Step& s, const float* input, const float* hidden,
              float* gate, float* temp) {
  const int32_t n = s.rows * p->state_size;
  fc_f32(input + s.input_offset, s.rows, p->input_size,
         static_cast<const float*>(w->input_weights[g]),
         static_cast<const float*>(w->biases[g]), p->state_size, gate);
  fc_f32(hidden + s.state_offset, s.rows, p->state_size,
         static_cast<const float*>(w->recurrent_weights[g]), nullptr,
         p->state_size, temp);
  for (int32_t i = 0; i < n; ++i) {
    const float sum = gate[i] + temp[i];
    gate[i] = g == kTmLstmGateCell ? tanhf(sum) : sigmoid_f32(sum);
  }
}

void step_f32(const TmLstmParams* p, const TmLstmWeights* w, const Step& s,
              const float* input, float* hidden, float* cell, float* output,
              float* scratch) {
  const int32_t n = s.rows * p->state_size;
  float* forget = scratch;
  float* in_gate = scratch + n;
  float* cell_gate = scratch + 2 * n;
  float* temp = scratch + 3 * n;
  gate_f32(p, w, kTmLstmGateForget, s, input, hidden, forget, temp);
  gate_f32(p, w, kTmLstmGateInput, s, input, hidden, in_gate, temp);
  gate_f32(p, w, kTmLstmGateCell, s, input, hidden, cell_gate, temp);
  float* c = cell + s.state_offset;
  for (int32_t i = 0; i < n; ++i) {
    float updated = forget[i] * c[i] + in_gate[i] * cell_gate[i];
    if (p->clip_cell) {
      updated = fmaxf(fminf(p->cell_clip, updated), -p->cell_clip);
    }
    c[i] = updated;
  }
  float* out_gate = in_gate;
  gate_f32(p, w, kTmLstmGateOutput, s, input, hidden, out_gate, temp);
  float* h = hidden + s.state_offset;
  for (int32_t i = 0; i < n; ++i) h[i] = tanhf(c[i]) * out_gate[i];
  memcpy(output + s.output_offset, h, static_cast<size_t>(n) * sizeof(float));
}

// ---- prepare ----

bool has_dims(const TmTensor* t, int32_t rank, int32_t d0, int32_t d1) {
  if (t->shape.rank != rank || t->shape.dims[0] != d0) return false;
  return rank < 2 || t->shape.dims[1] == d1;
}

void fc_quant(float vector_scale, int32_t vector_zero_point,
              const TmTensor* weights, TmLstmFcQuant* q) {
  // TFLM's convolution multiplier: widened scales, product over output.
  const double real = static_cast<double>(vector_scale) *
                      static_cast<double>(weights->quant.scales[0]) /
                      static_cast<double>(kGateInputScale);
  int shift = 0;
  quantize_multiplier(real, &q->multiplier, &shift);
  q->shift = shift;
  q->input_offset = -vector_zero_point;
  q->weights_offset = -weights->quant.zero_point;
}

void mul_quant(float scale1, float scale2, float output_scale,
               int32_t* multiplier, int32_t* shift_out) {
  const double real = static_cast<double>(scale1) *
                      static_cast<double>(scale2) /
                      static_cast<double>(output_scale);
  int shift = 0;
  quantize_multiplier(real, multiplier, &shift);
  *shift_out = shift;
}

TmStatus prepare_integer(const TmTensor* const* in, const TmTensor* output,
                         float cell_clip, TmLstmParams* p, const char** why) {
  const TmTensor* input = in[kTmLstmInput];
  const TmTensor* hidden = in[kTmLstmOutputState];
  const TmTensor* cell = in[kTmLstmCellState];
  if (in[kTmLstmInputToInputWeights]->type != kTmInt8) {
    return reject(kTmErrorUnsupported,
                  "integer activations need int8 weights (int4 weights are "
                  "not supported)",
                  why);
  }
  const bool is_16x8 = input->type == kTmInt16;
  if (in[kTmLstmInputGateBias]->type != (is_16x8 ? kTmInt64 : kTmInt32)) {
    return reject(kTmErrorUnsupported,
                  is_16x8 ? "int16 activations need int64 biases"
                          : "int8 activations need int32 biases",
                  why);
  }
  if (is_16x8 &&
      (input->quant.zero_point != 0 || hidden->quant.zero_point != 0)) {
    return reject(kTmErrorUnsupported,
                  "int16 input and output state need zero point 0", why);
  }
  if (cell->type != kTmInt16) {
    return reject(kTmErrorUnsupported,
                  "the integer LSTM needs an int16 cell state", why);
  }
  for (int32_t i = kTmLstmInput; i <= kTmLstmRecurrentToInputWeights + 3; ++i) {
    if (in[i]->quant.count != 1) {
      return reject(kTmErrorUnsupported,
                    "input and weights need per-tensor quantization "
                    "(per-channel LSTM weights are not supported)",
                    why);
    }
  }
  if (hidden->quant.count != 1 || cell->quant.count != 1 ||
      output->quant.count != 1) {
    return reject(kTmErrorUnsupported,
                  "states and output need per-tensor quantization", why);
  }
  const float cell_scale = cell->quant.scales[0];
  // TFLM's CheckedLog2, in float.
  const float log2_scale = logf(cell_scale) * (1.0f / logf(2.0f));
  const float power = roundf(log2_scale);
  if (!(cell_scale > 0.0f) || fabsf(log2_scale - power) >= 1e-3f) {
    return reject(kTmErrorUnsupported,
                  "the cell state scale must be a power of two", why);
  }
  const float input_scale = input->quant.scales[0];
  const float hidden_scale = hidden->quant.scales[0];
  for (int32_t g = 0; g < kTmLstmNumGates; ++g) {
    fc_quant(input_scale, input->quant.zero_point,
             in[kTmLstmInputToInputWeights + g], &p->input_fc[g]);
    fc_quant(hidden_scale, hidden->quant.zero_point,
             in[kTmLstmRecurrentToInputWeights + g], &p->recurrent_fc[g]);
  }
  mul_quant(kGateOutputScale, cell_scale, cell_scale, &p->forget_multiplier,
            &p->forget_shift);
  mul_quant(kGateOutputScale, kGateOutputScale, cell_scale,
            &p->update_multiplier, &p->update_shift);
  mul_quant(kGateOutputScale, kGateOutputScale, hidden_scale,
            &p->hidden_multiplier, &p->hidden_shift);
  p->hidden_zero_point = hidden->quant.zero_point;
  // tanh_s16 reads Q3.12 after its 3x; shift the cell's Q(15+power) there.
  const int32_t tanh_shift = 15 + static_cast<int32_t>(power) - 3;
  p->tanh_multiplier = tanh_shift < 0 ? 3 : 0;
  p->tanh_shift = tanh_shift < 0 ? -tanh_shift : tanh_shift;
  const double clip =
      static_cast<double>(cell_clip) / static_cast<double>(cell_scale);
  p->quantized_cell_clip = static_cast<int16_t>(
      clip < -32768.0 ? -32768.0 : (clip > 32767.0 ? 32767.0 : clip));
  return kTmOk;
}

TmStatus check_variant(const TmLstmAttrs* attrs, const TmTensor* const* in,
                       const char** why) {
  if (attrs->activation != kTmActTanh) {
    return reject(kTmErrorUnsupported,
                  "only a TANH cell activation is supported", why);
  }
  if (attrs->diagonal_recurrent_tensors) {
    return reject(kTmErrorUnsupported,
                  "diagonal_recurrent_tensors=true is not supported", why);
  }
  if (in[kTmLstmInputToInputWeights] == nullptr ||
      in[kTmLstmRecurrentToInputWeights] == nullptr ||
      in[kTmLstmInputGateBias] == nullptr) {
    return reject(kTmErrorUnsupported,
                  "CIFG (coupled input and forget gates) is not supported",
                  why);
  }
  for (int32_t i = 0; i < 3; ++i) {
    if (in[kTmLstmCellToInputWeights + i] != nullptr) {
      return reject(kTmErrorUnsupported,
                    "peephole connections are not supported", why);
    }
  }
  if (in[kTmLstmProjectionWeights] != nullptr ||
      in[kTmLstmProjectionBias] != nullptr) {
    return reject(kTmErrorUnsupported, "projection is not supported", why);
  }
  for (int32_t i = 0; i < 4; ++i) {
    if (in[kTmLstmInputLayerNorm + i] != nullptr) {
      return reject(kTmErrorUnsupported, "layer normalisation is not supported",
                    why);
    }
  }
  for (int32_t i = 0; i < 4; ++i) {
    if (in[kTmLstmInputToInputWeights + i] == nullptr ||
        in[kTmLstmRecurrentToInputWeights + i] == nullptr ||
        in[kTmLstmInputGateBias + i] == nullptr) {
      return reject(kTmErrorBadArgument,
                    "every gate needs input weights, recurrent weights and "
                    "a bias",
                    why);
    }
  }
  if (in[kTmLstmInput] == nullptr || in[kTmLstmOutputState] == nullptr ||
      in[kTmLstmCellState] == nullptr) {
    return reject(kTmErrorBadArgument,
                  "input, output state and cell state are required", why);
  }
  return kTmOk;
}

TmStatus check_types(const TmTensor* const* in, const TmTensor* output,
                     const char** why) {
  const TmType activation = in[kTmLstmInput]->type;
  if (in[kTmLstmOutputState]->type != activation ||
      output->type != activation) {
    return reject(kTmErrorBadArgument,
                  "input, output state and output must share one type", why);
  }
  for (int32_t g = 0; g < 4; ++g) {
    if (in[kTmLstmInputToInputWeights + g]->type !=
            in[kTmLstmInputToInputWeights]->type ||
        in[kTmLstmRecurrentToInputWeights + g]->type !=
            in[kTmLstmInputToInputWeights]->type ||
        in[kTmLstmInputGateBias + g]->type != in[kTmLstmInputGateBias]->type) {
      return reject(kTmErrorBadArgument,
                    "all weights must share one type, all biases another", why);
    }
  }
  return kTmOk;
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_lstm_prepare(const TmLstmAttrs* attrs,
                         const TmTensor* const* inputs, const TmTensor* output,
                         TmLstmParams* params, size_t* scratch_bytes,
                         const char** why) {
  using tierml::reject;
  if (output == nullptr) {
    return reject(kTmErrorBadArgument, "the output is required", why);
  }
  TmStatus status = tierml::check_variant(attrs, inputs, why);
  if (status != kTmOk) return status;
  status = tierml::check_types(inputs, output, why);
  if (status != kTmOk) return status;

  const TmTensor* input = inputs[kTmLstmInput];
  const TmTensor* hidden = inputs[kTmLstmOutputState];
  const TmTensor* cell = inputs[kTmLstmCellState];
  if (input->shape.rank != 3 || hidden->shape.rank != 2) {
    return reject(kTmErrorBadArgument,
                  "input must be rank 3 and the output state rank 2", why);
  }
  TmLstmParams p = {};
  p.time_major = attrs->time_major != 0;
  p.batches = input->shape.dims[p.time_major ? 1 : 0];
  p.time_steps = input->shape.dims[p.time_major ? 0 : 1];
  p.input_size = input->shape.dims[2];
  p.state_size = hidden->shape.dims[1];
  const int32_t states = p.batches * p.state_size;
  bool shapes_ok =
      p.batches > 0 && p.time_steps > 0 && p.input_size > 0 &&
      p.state_size > 0 && tm_shape_elements(&hidden->shape) == states &&
      tm_shape_elements(&cell->shape) == states && output->shape.rank == 3 &&
      output->shape.dims[0] == input->shape.dims[0] &&
      output->shape.dims[1] == input->shape.dims[1] &&
      output->shape.dims[2] == p.state_size;
  for (int32_t g = 0; g < kTmLstmNumGates; ++g) {
    shapes_ok =
        shapes_ok &&
        tierml::has_dims(inputs[kTmLstmInputToInputWeights + g], 2,
                         p.state_size, p.input_size) &&
        tierml::has_dims(inputs[kTmLstmRecurrentToInputWeights + g], 2,
                         p.state_size, p.state_size) &&
        tierml::has_dims(inputs[kTmLstmInputGateBias + g], 1, p.state_size, 0);
  }
  if (!shapes_ok) {
    return reject(kTmErrorBadArgument,
                  "shapes disagree: need input [B, T, I] ([T, B, I] time "
                  "major), input weights [S, I], recurrent weights [S, S], "
                  "biases [S], states of B * S elements, output [.., .., S]",
                  why);
  }
  p.cell_clip = attrs->cell_clip;
  p.clip_cell = attrs->cell_clip > 0.0f;
  size_t element = 0;
  if (input->type == kTmInt8 || input->type == kTmInt16) {
    status = tierml::prepare_integer(inputs, output, attrs->cell_clip, &p, why);
    if (status != kTmOk) return status;
    element = sizeof(int16_t);
  } else if (input->type == kTmFloat32) {
    if (inputs[kTmLstmInputToInputWeights]->type != kTmFloat32 ||
        inputs[kTmLstmInputGateBias]->type != kTmFloat32 ||
        cell->type != kTmFloat32) {
      return reject(kTmErrorUnsupported,
                    "float32 activations need float32 weights, biases and "
                    "cell state (hybrid LSTM is not supported)",
                    why);
    }
    element = sizeof(float);
  } else {
    return reject(kTmErrorUnsupported, "input must be INT8, INT16 or FLOAT32",
                  why);
  }
  // Four gate-sized buffers: forget, input (later output), cell, FC temp.
  const int32_t rows = p.time_major ? p.batches : 1;
  *scratch_bytes = 4 * static_cast<size_t>(rows) *
                   static_cast<size_t>(p.state_size) * element;
  *params = p;
  return kTmOk;
}

void tm_lstm_s8(const TmLstmParams* p, const TmLstmWeights* w,
                const int8_t* input, int8_t* hidden_state, int16_t* cell_state,
                int8_t* output, void* scratch) {
  int16_t* buffers = static_cast<int16_t*>(scratch);
  tierml::for_each_step(p, [&](const tierml::Step& s) {
    tierml::step_integer<int8_t>(p, w, s, input, hidden_state, cell_state,
                                 output, buffers);
  });
}

void tm_lstm_s16(const TmLstmParams* p, const TmLstmWeights* w,
                 const int16_t* input, int16_t* hidden_state,
                 int16_t* cell_state, int16_t* output, void* scratch) {
  int16_t* buffers = static_cast<int16_t*>(scratch);
  tierml::for_each_step(p, [&](const tierml::Step& s) {
    tierml::step_integer<int16_t>(p, w, s, input, hidden_state, cell_state,
                                  output, buffers);
  });
}

void tm_lstm_f32(const TmLstmParams* p, const TmLstmWeights* w,
                 const float* input, float* hidden_state, float* cell_state,
                 float* output, void* scratch) {
  float* buffers = static_cast<float*>(scratch);
  tierml::for_each_step(p, [&](const tierml::Step& s) {
    tierml::step_f32(p, w, s, input, hidden_state, cell_state, output, buffers);
  });
}

}  // extern "C"
