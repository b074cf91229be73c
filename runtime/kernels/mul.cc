#include "kernels/mul.h"

#include "kernels/quantization.h"

namespace tierml {
namespace {

template <typename T>
void mul_quantized(const TmMulParams& p, const T* input1, const T* input2,
                   T* output) {
  broadcast_walk(p.broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    const int32_t product =
        (p.input1_offset + input1[i1]) * (p.input2_offset + input2[i2]);
    const int32_t raw =
        p.output_offset + multiply_by_quantized_multiplier(
                              product, p.output_multiplier, p.output_shift);
    output[o] = static_cast<T>(clamp_i32(raw, p.act_min, p.act_max));
  });
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_mul_prepare(const TmElementwiseAttrs* attrs, const TmTensor* input1,
                        const TmTensor* input2, const TmTensor* output,
                        TmMulParams* p) {
  if (input1->type != output->type || input2->type != output->type)
    return kTmErrorBadArgument;
  TmStatus status = tm_broadcast_prepare(&input1->shape, &input2->shape,
                                         &output->shape, &p->broadcast);
  if (status != kTmOk) return status;
  if (output->type == kTmFloat32)
    return tierml::activation_range_float(attrs->activation, &p->act_min_f,
                                          &p->act_max_f);
  if (output->type != kTmInt8 && output->type != kTmInt16)
    return kTmErrorUnsupported;
  if (input1->quant.count != 1 || input2->quant.count != 1 ||
      output->quant.count != 1)
    return kTmErrorBadArgument;
  p->input1_offset = -input1->quant.zero_point;
  p->input2_offset = -input2->quant.zero_point;
  p->output_offset = output->quant.zero_point;
  if (output->type == kTmInt16 &&
      (p->input1_offset != 0 || p->input2_offset != 0 || p->output_offset != 0))
    return kTmErrorUnsupported;
  const double real = static_cast<double>(input1->quant.scales[0]) *
                      static_cast<double>(input2->quant.scales[0]) /
                      static_cast<double>(output->quant.scales[0]);
  int shift;
  tierml::quantize_multiplier(real, &p->output_multiplier, &shift);
  p->output_shift = shift;
  return tierml::activation_range_quantized(
      attrs->activation, output->type, output->quant.scales[0],
      output->quant.zero_point, &p->act_min, &p->act_max);
}

void tm_mul_s8(const TmMulParams* p, const int8_t* input1, const int8_t* input2,
               int8_t* output) {
  tierml::mul_quantized(*p, input1, input2, output);
}

void tm_mul_s16(const TmMulParams* p, const int16_t* input1,
                const int16_t* input2, int16_t* output) {
  tierml::mul_quantized(*p, input1, input2, output);
}

void tm_mul_f32(const TmMulParams* p, const float* input1, const float* input2,
                float* output) {
  const float lo = p->act_min_f, hi = p->act_max_f;
  tierml::broadcast_walk(p->broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    const float product = input1[i1] * input2[i2];
    output[o] = product < lo ? lo : (product > hi ? hi : product);
  });
}

}  // extern "C"
