#include "kernels/prelu.h"

#include "kernels/quantization.h"

extern "C" {

TmStatus tm_prelu_prepare(const TmTensor* input, const TmTensor* alpha,
                          const TmTensor* output, TmPreluParams* p) {
  if (input->type != output->type || alpha->type != input->type)
    return kTmErrorBadArgument;
  const TmStatus status = tm_broadcast_prepare(&input->shape, &alpha->shape,
                                               &output->shape, &p->broadcast);
  if (status != kTmOk) return status;
  if (tm_shape_elements(&input->shape) != p->broadcast.count)
    return kTmErrorBadArgument;
  if (input->type == kTmFloat32) return kTmOk;
  if (input->type != kTmInt8) return kTmErrorUnsupported;
  if (input->quant.count != 1 || alpha->quant.count != 1 ||
      output->quant.count != 1)
    return kTmErrorBadArgument;
  const double s_in = input->quant.scales[0];
  const double s_alpha = alpha->quant.scales[0];
  const double s_out = output->quant.scales[0];
  int shift;
  tierml::quantize_multiplier(s_in / s_out, &p->identity_multiplier, &shift);
  p->identity_shift = shift;
  tierml::quantize_multiplier(s_in * s_alpha / s_out, &p->alpha_multiplier,
                              &shift);
  p->alpha_shift = shift;
  p->input_offset = -input->quant.zero_point;
  p->alpha_offset = -alpha->quant.zero_point;
  p->output_offset = output->quant.zero_point;
  return kTmOk;
}

void tm_prelu_s8(const TmPreluParams* p, const int8_t* input,
                 const int8_t* alpha, int8_t* output) {
  tierml::broadcast_walk(p->broadcast, [&](int32_t i, int32_t a, int32_t o) {
    const int32_t x = p->input_offset + input[i];
    const int32_t scaled =
        x >= 0 ? tierml::multiply_by_quantized_multiplier(
                     x, p->identity_multiplier, p->identity_shift)
               : tierml::multiply_by_quantized_multiplier(
                     x * (p->alpha_offset + alpha[a]), p->alpha_multiplier,
                     p->alpha_shift);
    output[o] = static_cast<int8_t>(
        tierml::clamp_i32(p->output_offset + scaled, -128, 127));
  });
}

void tm_prelu_f32(const TmPreluParams* p, const float* input,
                  const float* alpha, float* output) {
  tierml::broadcast_walk(p->broadcast, [&](int32_t i, int32_t a, int32_t o) {
    const float x = input[i];
    output[o] = x >= 0.0f ? x : x * alpha[a];
  });
}

}  // extern "C"
