#include "kernels/conv_quant.h"

#include "kernels/quantization.h"

namespace tierml {

bool has_per_tensor_scale(const TmTensor* t) {
  return t->quant.count == 1 && t->quant.scales != nullptr &&
         t->quant.scales[0] > 0.0f;
}

TmStatus per_channel_multipliers(const TmTensor* input, const TmTensor* filter,
                                 const TmTensor* output, int32_t channels,
                                 int32_t quantized_dimension,
                                 int32_t* multipliers, int32_t* shifts) {
  if (!has_per_tensor_scale(input) || !has_per_tensor_scale(output)) {
    return kTmErrorBadArgument;
  }
  const TmQuant& q = filter->quant;
  if (q.scales == nullptr) return kTmErrorBadArgument;
  const bool per_channel = q.count > 1;
  if (per_channel &&
      (q.count != channels || q.quantized_dimension != quantized_dimension)) {
    return kTmErrorBadArgument;
  }
  if (!per_channel && q.count != 1) return kTmErrorBadArgument;
  const double input_scale = static_cast<double>(input->quant.scales[0]);
  const double output_scale = static_cast<double>(output->quant.scales[0]);
  for (int32_t c = 0; c < channels; ++c) {
    const double filter_scale =
        static_cast<double>(q.scales[per_channel ? c : 0]);
    if (!(filter_scale >= 0.0)) return kTmErrorBadArgument;
    int shift = 0;
    quantize_multiplier(input_scale * filter_scale / output_scale,
                        &multipliers[c], &shift);
    shifts[c] = shift;
  }
  return kTmOk;
}

}  // namespace tierml
