#include "kernels/relu.h"

#include <math.h>

#include "kernels/quantization.h"

namespace tierml {
namespace {

TmStatus check_tensors(const TmTensor* input, const TmTensor* output,
                       TmReluParams* p) {
  if (input->type != output->type) return kTmErrorBadArgument;
  if (tm_shape_elements(&input->shape) != tm_shape_elements(&output->shape))
    return kTmErrorBadArgument;
  p->count = tm_shape_elements(&input->shape);
  if (input->type == kTmFloat32) return kTmOk;
  if (input->type != kTmInt8 && input->type != kTmInt16)
    return kTmErrorUnsupported;
  if (input->quant.count != 1 || output->quant.count != 1)
    return kTmErrorBadArgument;
  if (input->type == kTmInt16 &&
      (input->quant.zero_point != 0 || output->quant.zero_point != 0))
    return kTmErrorUnsupported;
  return kTmOk;
}

// TFLM's FloatToQuantizedType: round(value / scale) + zero point, saturated.
int32_t quantize_value(float value, float scale, int32_t zero_point,
                       int32_t min, int32_t max) {
  const int32_t q =
      static_cast<int32_t>(round(static_cast<double>(value / scale))) +
      zero_point;
  return clamp_i32(q, min, max);
}

template <typename T>
void relu_quantized(const TmReluParams& p, const T* input, T* output) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t scaled =
        p.output_offset + multiply_by_quantized_multiplier(
                              input[i] - p.input_offset, p.multiplier, p.shift);
    output[i] = static_cast<T>(clamp_i32(scaled, p.act_min, p.act_max));
  }
}

template <typename T>
void clamp_raw(const TmReluParams& p, const T* input, T* output) {
  for (int32_t i = 0; i < p.count; ++i)
    output[i] = static_cast<T>(clamp_i32(input[i], p.act_min, p.act_max));
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_relu_prepare(const TmTensor* input, const TmTensor* output,
                         TmReluParams* p) {
  const TmStatus status = tierml::check_tensors(input, output, p);
  if (status != kTmOk || input->type == kTmFloat32) return status;
  const int32_t type_min = input->type == kTmInt8 ? -128 : -32768;
  const int32_t type_max = input->type == kTmInt8 ? 127 : 32767;
  int shift;
  tierml::quantize_multiplier(static_cast<double>(input->quant.scales[0]) /
                                  static_cast<double>(output->quant.scales[0]),
                              &p->multiplier, &shift);
  p->shift = shift;
  p->input_offset = input->quant.zero_point;
  p->output_offset = output->quant.zero_point;
  // The quantized 0 is exactly the zero point (roundf(0 / scale) = 0).
  p->act_min =
      output->quant.zero_point > type_min ? output->quant.zero_point : type_min;
  p->act_max = type_max;
  return kTmOk;
}

TmStatus tm_relu6_prepare(const TmTensor* input, const TmTensor* output,
                          TmReluParams* p) {
  const TmStatus status = tierml::check_tensors(input, output, p);
  if (status != kTmOk || input->type == kTmFloat32) return status;
  const int32_t type_min = input->type == kTmInt8 ? -128 : -32768;
  const int32_t type_max = input->type == kTmInt8 ? 127 : 32767;
  p->input_offset = input->quant.zero_point;
  p->output_offset = input->quant.zero_point;
  p->multiplier = 0;
  p->shift = 0;
  p->act_min = input->quant.zero_point;
  p->act_max =
      tierml::quantize_value(6.0f, input->quant.scales[0],
                             input->quant.zero_point, type_min, type_max);
  return kTmOk;
}

void tm_relu_s8(const TmReluParams* p, const int8_t* input, int8_t* output) {
  tierml::relu_quantized(*p, input, output);
}

void tm_relu_s16(const TmReluParams* p, const int16_t* input, int16_t* output) {
  tierml::relu_quantized(*p, input, output);
}

void tm_relu_f32(const TmReluParams* p, const float* input, float* output) {
  for (int32_t i = 0; i < p->count; ++i)
    output[i] = input[i] < 0.0f ? 0.0f : input[i];
}

void tm_relu6_s8(const TmReluParams* p, const int8_t* input, int8_t* output) {
  tierml::clamp_raw(*p, input, output);
}

void tm_relu6_s16(const TmReluParams* p, const int16_t* input,
                  int16_t* output) {
  tierml::clamp_raw(*p, input, output);
}

void tm_relu6_f32(const TmReluParams* p, const float* input, float* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    const float v = input[i];
    output[i] = v > 6.0f ? 6.0f : (v < 0.0f ? 0.0f : v);
  }
}

}  // extern "C"
