#include "interpreter/ops/conv_glue.h"

#include "kernels/conv_quant.h"

namespace tierml {

TmStatus check_conv_quant(OpContext& ctx, const TmTensor* input,
                          const TmTensor* filter, const TmTensor* output,
                          int32_t channels, int32_t quantized_dimension) {
  if (!has_per_tensor_scale(input) || !has_per_tensor_scale(output)) {
    return ctx.fail(kTmErrorBadArgument,
                    "%s input and output must be per-tensor quantized with a "
                    "positive scale",
                    tm_type_name(input->type));
  }
  const TmQuant& q = filter->quant;
  if (q.scales == nullptr || (q.count != 1 && q.count != channels)) {
    return ctx.fail(kTmErrorBadArgument,
                    "filter has %d scales, expected 1 or %d (one per output "
                    "channel)",
                    q.count, channels);
  }
  if (q.count > 1 && q.quantized_dimension != quantized_dimension) {
    return ctx.fail(kTmErrorBadArgument,
                    "filter is quantized along dimension %d, expected %d",
                    q.quantized_dimension, quantized_dimension);
  }
  if (input->type == kTmInt16 &&
      (input->quant.zero_point != 0 || output->quant.zero_point != 0)) {
    return ctx.fail(kTmErrorBadArgument,
                    "INT16 input and output need zero point 0 (got %d and %d)",
                    input->quant.zero_point, output->quant.zero_point);
  }
  return kTmOk;
}

TmStatus check_accumulator_range(OpContext& ctx, const TmTensor* input,
                                 const TmTensor* bias, int32_t channels,
                                 int64_t taps, int32_t filter_offset,
                                 bool int64_accumulator) {
  const int32_t channel = accumulator_overflow_channel(
      input, bias, channels, taps, filter_offset, int64_accumulator);
  if (channel < 0) return kTmOk;
  return ctx.fail(kTmErrorUnsupported,
                  "the bias of output channel %d plus %zu taps of %s products "
                  "could overflow the %d-bit accumulator (TFLite's kernels "
                  "would overflow too): the model's bias or quantization is "
                  "out of range",
                  channel, static_cast<size_t>(taps), tm_type_name(input->type),
                  int64_accumulator ? 64 : 32);
}

int32_t* allocate_i32(OpContext& ctx, int32_t count) {
  return static_cast<int32_t*>(
      ctx.allocate_persistent(sizeof(int32_t) * static_cast<size_t>(count)));
}

TmStatus allocate_channel_arrays(OpContext& ctx, const TmTensor* input,
                                 const TmTensor* filter, int32_t channels,
                                 ChannelArrays* arrays) {
  arrays->multipliers = allocate_i32(ctx, channels);
  arrays->shifts = allocate_i32(ctx, channels);
  if (arrays->multipliers == nullptr || arrays->shifts == nullptr) {
    return kTmErrorArenaTooSmall;
  }
  // Folding the input offset into the bias needs the weights now.
  if (input->type == kTmInt8 && filter->data != nullptr) {
    arrays->folded_bias = allocate_i32(ctx, channels);
    if (arrays->folded_bias == nullptr) return kTmErrorArenaTooSmall;
  }
  return kTmOk;
}

}  // namespace tierml
