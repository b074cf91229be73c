#include "kernels/dequantize.h"

namespace tierml {
namespace {

template <typename T>
void dequantize(const TmDequantizeParams& p, const T* input, float* output) {
  for (int32_t i = 0; i < p.count; ++i)
    output[i] = static_cast<float>(
        p.scale * static_cast<double>(int32_t{input[i]} - p.zero_point));
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_dequantize_prepare(const TmTensor* input, const TmTensor* output,
                               TmDequantizeParams* p) {
  if (output->type != kTmFloat32) return kTmErrorUnsupported;
  if (input->type != kTmInt8 && input->type != kTmInt16 &&
      input->type != kTmUInt8)
    return kTmErrorUnsupported;
  if (input->quant.count != 1) return kTmErrorBadArgument;
  if (tm_shape_elements(&input->shape) != tm_shape_elements(&output->shape))
    return kTmErrorBadArgument;
  p->count = tm_shape_elements(&input->shape);
  p->zero_point = input->quant.zero_point;
  p->scale = static_cast<double>(input->quant.scales[0]);
  return kTmOk;
}

void tm_dequantize_s8(const TmDequantizeParams* p, const int8_t* input,
                      float* output) {
  tierml::dequantize(*p, input, output);
}

void tm_dequantize_s16(const TmDequantizeParams* p, const int16_t* input,
                       float* output) {
  tierml::dequantize(*p, input, output);
}

void tm_dequantize_u8(const TmDequantizeParams* p, const uint8_t* input,
                      float* output) {
  tierml::dequantize(*p, input, output);
}

}  // extern "C"
