// Requantization set-up shared by the convolution-like kernels (CONV_2D,
// DEPTHWISE_CONV_2D, TRANSPOSE_CONV, per-channel FULLY_CONNECTED). Runs at
// prepare time only.
#ifndef TIERML_KERNELS_CONV_QUANT_H_
#define TIERML_KERNELS_CONV_QUANT_H_

#include <stdint.h>

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

}  // namespace tierml

#endif  // TIERML_KERNELS_CONV_QUANT_H_
