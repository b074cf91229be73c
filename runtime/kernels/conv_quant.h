// Requantization set-up shared by the convolution-like kernels (CONV_2D,
// DEPTHWISE_CONV_2D, TRANSPOSE_CONV, per-channel FULLY_CONNECTED). Runs at
// prepare time only.
#ifndef TIERML_KERNELS_CONV_QUANT_H_
#define TIERML_KERNELS_CONV_QUANT_H_

#include <stdint.h>

#include "kernels/quantization.h"
#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

namespace tierml {

// True when the tensor carries exactly one positive scale.
bool has_per_tensor_scale(const TmTensor* t);

// Fills channels multipliers/shifts for input_scale * filter_scale[c] /
// output_scale. The product is formed in double from the float scales, as
// TFLite's per-channel set-up does; a single filter scale is used for every
// channel. kTmErrorBadArgument when input or output lacks a per-tensor scale,
// or the filter has neither one scale nor one per channel along
// quantized_dimension.
TmStatus per_channel_multipliers(const TmTensor* input, const TmTensor* filter,
                                 const TmTensor* output, int32_t channels,
                                 int32_t quantized_dimension,
                                 int32_t* multipliers, int32_t* shifts);

// An integer convolution-like kernel sums `taps` products per output into an
// accumulator that starts at the bias: int32, or int64 where the kernel
// widens it for int16 inputs as TFLite does. Each product is below (128 +
// |filter_offset|) * 256 in magnitude for int8 inputs, whichever way the input
// offset is applied (to the input or folded into the bias), and below (128 +
// |filter_offset|) * 32768 for int16. Published models stay far inside the
// accumulator; a hostile one could overflow it, which TFLite leaves undefined,
// so prepare refuses it instead. Returns the first output channel whose bias
// breaks the bound (0 when the taps alone do), or -1 when every sum stays
// defined. A bias that is not a constant is not known at prepare and counts as
// zero.
int32_t accumulator_overflow_channel(const TmTensor* input,
                                     const TmTensor* bias, int32_t channels,
                                     int64_t taps, int32_t filter_offset,
                                     bool int64_accumulator);

// The part of CONV_2D's and DEPTHWISE_CONV_2D's prepare after the shapes:
// the clamp range, and for quantized types the per-channel multipliers,
// the offsets and (int8, constant weights) the folded bias, which
// fold(params, filter, bias, folded_bias) computes for the kernel's layout.
template <typename Params, typename FoldBias>
TmStatus prepare_window_quantization(
    TmActivation activation, const TmTensor* input, const TmTensor* filter,
    const TmTensor* bias, const TmTensor* output, int32_t quantized_dimension,
    int64_t taps, bool int64_accumulator, int32_t* multipliers, int32_t* shifts,
    int32_t* folded_bias, Params* params, FoldBias fold) {
  if (input->type == kTmFloat32) {
    return activation_range_float(activation, &params->act_min_f,
                                  &params->act_max_f);
  }
  if (!multipliers || !shifts) return kTmErrorBadArgument;
  if (input->type == kTmInt16 &&
      (input->quant.zero_point != 0 || output->quant.zero_point != 0)) {
    return kTmErrorBadArgument;  // 16x8 is symmetric: no offsets
  }
  if (accumulator_overflow_channel(input, bias, params->output_c, taps, 0,
                                   int64_accumulator) >= 0) {
    return kTmErrorUnsupported;
  }
  TmStatus status =
      per_channel_multipliers(input, filter, output, params->output_c,
                              quantized_dimension, multipliers, shifts);
  if (status != kTmOk) return status;
  status = activation_range_quantized(
      activation, output->type, output->quant.scales[0],
      output->quant.zero_point, &params->act_min, &params->act_max);
  if (status != kTmOk) return status;
  params->multipliers = multipliers;
  params->shifts = shifts;
  if (input->type == kTmInt8) {
    params->input_offset = -input->quant.zero_point;
    params->output_offset = output->quant.zero_point;
    const bool constant =
        filter->data != nullptr && (bias == nullptr || bias->data != nullptr);
    if (folded_bias != nullptr && constant) {
      fold(*params, static_cast<const int8_t*>(filter->data),
           bias ? static_cast<const int32_t*>(bias->data) : nullptr,
           folded_bias);
      params->folded_bias = folded_bias;
    }
  }
  return kTmOk;
}

}  // namespace tierml

#endif  // TIERML_KERNELS_CONV_QUANT_H_
