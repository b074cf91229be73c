#include "kernels/leaky_relu.h"

#include "kernels/quantization.h"

namespace tierml {
namespace {

template <typename T>
void leaky_relu_quantized(const TmLeakyReluParams& p, const T* input, T* output,
                          int32_t min, int32_t max) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t x = input[i] - p.input_offset;
    const int32_t scaled = x >= 0
                               ? multiply_by_quantized_multiplier(
                                     x, p.identity_multiplier, p.identity_shift)
                               : multiply_by_quantized_multiplier(
                                     x, p.alpha_multiplier, p.alpha_shift);
    output[i] = static_cast<T>(clamp_i32(p.output_offset + scaled, min, max));
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_leaky_relu_prepare(const TmLeakyReluAttrs* attrs,
                               const TmTensor* input, const TmTensor* output,
                               TmLeakyReluParams* p) {
  if (input->type != output->type) return kTmErrorBadArgument;
  if (tm_shape_elements(&input->shape) != tm_shape_elements(&output->shape))
    return kTmErrorBadArgument;
  p->count = tm_shape_elements(&input->shape);
  p->alpha = attrs->alpha;
  if (input->type == kTmFloat32) return kTmOk;
  if (input->type != kTmInt8 && input->type != kTmInt16)
    return kTmErrorUnsupported;
  if (input->quant.count != 1 || output->quant.count != 1)
    return kTmErrorBadArgument;
  const float s_in = input->quant.scales[0];
  const float s_out = output->quant.scales[0];
  p->input_offset = input->quant.zero_point;
  p->output_offset = output->quant.zero_point;
  int shift;
  // float products and quotients, then widened: TFLM's precision.
  tierml::quantize_multiplier(static_cast<double>(s_in * attrs->alpha / s_out),
                              &p->alpha_multiplier, &shift);
  p->alpha_shift = shift;
  tierml::quantize_multiplier(static_cast<double>(s_in / s_out),
                              &p->identity_multiplier, &shift);
  p->identity_shift = shift;
  return kTmOk;
}

void tm_leaky_relu_s8(const TmLeakyReluParams* p, const int8_t* input,
                      int8_t* output) {
  tierml::leaky_relu_quantized(*p, input, output, -128, 127);
}

void tm_leaky_relu_s16(const TmLeakyReluParams* p, const int16_t* input,
                       int16_t* output) {
  tierml::leaky_relu_quantized(*p, input, output, -32768, 32767);
}

void tm_leaky_relu_f32(const TmLeakyReluParams* p, const float* input,
                       float* output) {
  for (int32_t i = 0; i < p->count; ++i) {
    const float v = input[i];
    output[i] = v > 0.0f ? v : v * p->alpha;
  }
}

}  // extern "C"
