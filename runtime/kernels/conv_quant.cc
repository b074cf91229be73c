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

int32_t accumulator_overflow_channel(const TmTensor* input,
                                     const TmTensor* bias, int32_t channels,
                                     int64_t taps, int32_t filter_offset,
                                     bool int64_accumulator) {
  const bool wide = input->type == kTmInt16;
  const int64_t limit = int64_accumulator ? INT64_MAX : INT32_MAX;
  const int64_t weight_bound =
      128 + (filter_offset < 0 ? -int64_t{filter_offset} : filter_offset);
  const int64_t product_bound = weight_bound * (wide ? 32768 : 256);
  if (taps > limit / product_bound) return 0;
  const int64_t headroom = limit - taps * product_bound;
  // A bias of the wrong length is the shape checks' to report.
  if (bias == nullptr || bias->data == nullptr ||
      tm_shape_elements(&bias->shape) < channels) {
    return -1;
  }
  for (int32_t c = 0; c < channels; ++c) {
    int64_t b = 0;
    switch (bias->type) {
      case kTmInt32:
        b = static_cast<const int32_t*>(bias->data)[c];
        break;
      case kTmInt64:
        b = static_cast<const int64_t*>(bias->data)[c];
        break;
      case kTmInt16:
        b = static_cast<const int16_t*>(bias->data)[c];
        break;
      default:
        return -1;
    }
    // -b of INT64_MIN is itself undefined; it is out of range anyway.
    if (b == INT64_MIN || (b < 0 ? -b : b) > headroom) return c;
  }
  return -1;
}

}  // namespace tierml
