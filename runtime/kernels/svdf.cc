#include "kernels/svdf.h"

#include <math.h>
#include <string.h>

#include "kernels/quantization.h"

namespace tierml {
namespace {

// Integer sums as TFLM computes them: int32 arithmetic, which wraps on every
// target it runs on. Written on uint32 so the wrap is defined behaviour here.
inline int32_t add_wrapping(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) +
                              static_cast<uint32_t>(b));
}
inline int32_t mac_wrapping(int32_t acc, int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(acc) +
                              static_cast<uint32_t>(a) *
                                  static_cast<uint32_t>(b));
}

template <typename T>
struct StateRange;
template <>
struct StateRange<int8_t> {
  static constexpr int32_t kMin = -128, kMax = 127;
};
template <>
struct StateRange<int16_t> {
  static constexpr int32_t kMin = -32768, kMax = 32767;
};

template <typename T>
void shift_state(const TmSvdfParams* p, T* state) {
  const int32_t total = p->batches * p->num_filters * p->memory_size;
  // One element over the whole buffer: each filter's oldest entry drops out
  // and its newest slot receives a stale value, overwritten right after.
  memmove(state, state + 1, static_cast<size_t>(total - 1) * sizeof(T));
}

template <typename T>
void svdf_integer(const TmSvdfParams* p, const int8_t* input,
                  const int8_t* weights_feature, const T* weights_time,
                  const int32_t* bias, T* state, int8_t* output) {
  const int32_t memory = p->memory_size;
  const int32_t filters = p->num_filters;
  shift_state(p, state);
  for (int32_t b = 0; b < p->batches; ++b) {
    const int8_t* in = input + b * p->input_size;
    for (int32_t f = 0; f < filters; ++f) {
      const int8_t* row = weights_feature + f * p->input_size;
      int32_t acc = 0;
      for (int32_t c = 0; c < p->input_size; ++c) {
        acc += row[c] * (in[c] - p->input_zero_point);
      }
      int32_t value = multiply_by_quantized_multiplier(
          acc, p->feature_multiplier, p->feature_shift);
      value = clamp_i32(value, StateRange<T>::kMin, StateRange<T>::kMax);
      // TFLM adds the state zero point after the clamp and narrows without
      // saturating, so an int8 state can wrap; we keep that behaviour.
      state[(b * filters + f) * memory + memory - 1] =
          static_cast<T>(value + p->state_zero_point);
    }
  }
  for (int32_t b = 0; b < p->batches; ++b) {
    const T* batch_state = state + b * filters * memory;
    for (int32_t u = 0; u < p->num_units; ++u) {
      int32_t acc = bias != nullptr ? bias[u] : 0;
      for (int32_t r = 0; r < p->rank; ++r) {
        const int32_t f = u * p->rank + r;
        const T* w = weights_time + f * memory;
        const T* s = batch_state + f * memory;
        int32_t dot = 0;
        for (int32_t j = 0; j < memory; ++j) {
          dot = mac_wrapping(dot, w[j], s[j] - p->state_zero_point);
        }
        acc = add_wrapping(acc, dot);
      }
      const int32_t out = multiply_by_quantized_multiplier(
                              acc, p->time_multiplier, p->time_shift) +
                          p->output_zero_point;
      output[b * p->num_units + u] =
          static_cast<int8_t>(clamp_i32(out, -128, 127));
    }
  }
}

float activate(TmActivation activation, float x) {
  switch (activation) {
    case kTmActRelu:
      return x < 0.0f ? 0.0f : x;
    case kTmActReluN1To1:
      return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
    case kTmActRelu6:
      return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
    case kTmActTanh:
      return tanhf(x);
    case kTmActSignBit:
      return signbit(x) ? 1.0f : 0.0f;
    default:
      return x;
  }
}

bool is_matrix(const TmTensor* t) { return t->shape.rank == 2; }
bool per_tensor(const TmTensor* t) {
  return t->quant.count == 1 && t->quant.scales != nullptr;
}

TmStatus reject(TmStatus status, const char* reason, const char** why) {
  if (why != nullptr) *why = reason;
  return status;
}

TmStatus prepare_integer(const TmTensor* input, const TmTensor* weights_feature,
                         const TmTensor* weights_time, const TmTensor* bias,
                         const TmTensor* state, const TmTensor* output,
                         TmSvdfParams* p, const char** why) {
  if (weights_feature->type != kTmInt8) {
    return reject(kTmErrorUnsupported, "int8 input needs int8 weights_feature",
                  why);
  }
  if (weights_time->type != kTmInt16 && weights_time->type != kTmInt8) {
    return reject(kTmErrorUnsupported,
                  "weights_time must be INT16 or INT8 with an int8 input", why);
  }
  if (state->type != weights_time->type) {
    return reject(kTmErrorUnsupported,
                  "the state must have the type of weights_time", why);
  }
  if (bias != nullptr && bias->type != kTmInt32) {
    return reject(kTmErrorUnsupported, "bias must be INT32", why);
  }
  if (output->type != kTmInt8) {
    return reject(kTmErrorUnsupported, "output must be INT8", why);
  }
  if (!per_tensor(input) || !per_tensor(weights_feature) ||
      !per_tensor(weights_time) || !per_tensor(state) || !per_tensor(output) ||
      (bias != nullptr && !per_tensor(bias))) {
    return reject(kTmErrorUnsupported,
                  "every tensor needs per-tensor quantization", why);
  }
  const float input_scale = input->quant.scales[0];
  const float feature_scale = weights_feature->quant.scales[0];
  const float time_scale = weights_time->quant.scales[0];
  const float state_scale = state->quant.scales[0];
  const float output_scale = output->quant.scales[0];
  if (bias != nullptr &&
      fabs(static_cast<double>(bias->quant.scales[0]) -
           static_cast<double>(state_scale * time_scale)) >= 1e-5) {
    return reject(kTmErrorBadArgument,
                  "bias scale differs from state scale x weights_time scale",
                  why);
  }
  // Products and quotients in float, then widened, exactly as TFLM.
  const float feature_real = input_scale * feature_scale / state_scale;
  const float time_real = state_scale * time_scale / output_scale;
  int shift = 0;
  quantize_multiplier(static_cast<double>(feature_real), &p->feature_multiplier,
                      &shift);
  p->feature_shift = shift;
  quantize_multiplier(static_cast<double>(time_real), &p->time_multiplier,
                      &shift);
  p->time_shift = shift;
  p->input_zero_point = input->quant.zero_point;
  p->state_zero_point = state->quant.zero_point;
  p->output_zero_point = output->quant.zero_point;
  return kTmOk;
}

}  // namespace
}  // namespace tierml

using tierml::reject;

extern "C" {

TmStatus tm_svdf_prepare(const TmSvdfAttrs* attrs, const TmTensor* input,
                         const TmTensor* weights_feature,
                         const TmTensor* weights_time, const TmTensor* bias,
                         const TmTensor* state, const TmTensor* output,
                         TmSvdfParams* params, const char** why) {
  if (input == nullptr || weights_feature == nullptr ||
      weights_time == nullptr || state == nullptr || output == nullptr) {
    return reject(kTmErrorBadArgument,
                  "input, weights_feature, weights_time, state and output "
                  "are required",
                  why);
  }
  if (!tierml::is_matrix(input) || !tierml::is_matrix(weights_feature) ||
      !tierml::is_matrix(weights_time) || !tierml::is_matrix(state) ||
      !tierml::is_matrix(output)) {
    return reject(kTmErrorBadArgument,
                  "input, weights, state and output must all be rank 2", why);
  }
  TmSvdfParams p = {};
  p.rank = attrs->rank;
  p.batches = input->shape.dims[0];
  p.input_size = input->shape.dims[1];
  p.num_filters = weights_feature->shape.dims[0];
  p.memory_size = weights_time->shape.dims[1];
  if (p.rank <= 0 || p.num_filters % p.rank != 0) {
    return reject(kTmErrorBadArgument,
                  "rank must be positive and divide the number of filters",
                  why);
  }
  p.num_units = p.num_filters / p.rank;
  if (p.batches <= 0 || p.input_size <= 0 || p.memory_size <= 0 ||
      weights_feature->shape.dims[1] != p.input_size ||
      weights_time->shape.dims[0] != p.num_filters ||
      state->shape.dims[0] != p.batches ||
      state->shape.dims[1] != p.memory_size * p.num_filters ||
      output->shape.dims[0] != p.batches ||
      output->shape.dims[1] != p.num_units ||
      (bias != nullptr &&
       (bias->shape.rank != 1 || bias->shape.dims[0] != p.num_units))) {
    return reject(kTmErrorBadArgument,
                  "shapes disagree: need input [B, I], weights_feature "
                  "[F, I], weights_time [F, M], bias [F / rank], state "
                  "[B, F * M], output [B, F / rank]",
                  why);
  }
  if (input->type == kTmInt8) {
    const TmStatus status = tierml::prepare_integer(
        input, weights_feature, weights_time, bias, state, output, &p, why);
    if (status != kTmOk) return status;
  } else if (input->type == kTmFloat32) {
    if (weights_feature->type != kTmFloat32 ||
        weights_time->type != kTmFloat32 || state->type != kTmFloat32 ||
        output->type != kTmFloat32 ||
        (bias != nullptr && bias->type != kTmFloat32)) {
      return reject(kTmErrorUnsupported,
                    "a float32 input needs every tensor float32", why);
    }
    p.activation = attrs->activation;
  } else {
    return reject(kTmErrorUnsupported, "input must be INT8 or FLOAT32", why);
  }
  *params = p;
  return kTmOk;
}

void tm_svdf_s8_s16(const TmSvdfParams* p, const int8_t* input,
                    const int8_t* weights_feature, const int16_t* weights_time,
                    const int32_t* bias, int16_t* state, int8_t* output) {
  tierml::svdf_integer<int16_t>(p, input, weights_feature, weights_time, bias,
                                state, output);
}

void tm_svdf_s8_s8(const TmSvdfParams* p, const int8_t* input,
                   const int8_t* weights_feature, const int8_t* weights_time,
                   const int32_t* bias, int8_t* state, int8_t* output) {
  tierml::svdf_integer<int8_t>(p, input, weights_feature, weights_time, bias,
                               state, output);
}

void tm_svdf_f32(const TmSvdfParams* p, const float* input,
                 const float* weights_feature, const float* weights_time,
                 const float* bias, float* state, float* output) {
  const int32_t memory = p->memory_size;
  const int32_t filters = p->num_filters;
  tierml::shift_state(p, state);
  for (int32_t b = 0; b < p->batches; ++b) {
    const float* in = input + b * p->input_size;
    for (int32_t f = 0; f < filters; ++f) {
      const float* row = weights_feature + f * p->input_size;
      float dot = 0.0f;
      for (int32_t c = 0; c < p->input_size; ++c) dot += row[c] * in[c];
      state[(b * filters + f) * memory + memory - 1] = dot;
    }
  }
  // Same summation order as TFLM: bias first, then one dot per rank.
  for (int32_t b = 0; b < p->batches; ++b) {
    const float* batch_state = state + b * filters * memory;
    for (int32_t u = 0; u < p->num_units; ++u) {
      float acc = bias != nullptr ? bias[u] : 0.0f;
      for (int32_t r = 0; r < p->rank; ++r) {
        const int32_t f = u * p->rank + r;
        const float* w = weights_time + f * memory;
        const float* s = batch_state + f * memory;
        float dot = 0.0f;
        for (int32_t j = 0; j < memory; ++j) dot += w[j] * s[j];
        acc += dot;
      }
      output[b * p->num_units + u] = tierml::activate(p->activation, acc);
    }
  }
}

}  // extern "C"
