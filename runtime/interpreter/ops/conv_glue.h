// Checks and allocations shared by the glue of the convolution-like
// operators (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED), so
// that a bad model gets a message saying what is wrong before the kernel's
// prepare runs.
#ifndef TIERML_INTERPRETER_OPS_CONV_GLUE_H_
#define TIERML_INTERPRETER_OPS_CONV_GLUE_H_

#include <stdint.h>

#include "interpreter/op_context.h"

namespace tierml {

inline const char* padding_name(TmPadding padding) {
  switch (padding) {
    case kTmPaddingSame:
      return "SAME";
    case kTmPaddingValid:
      return "VALID";
    default:
      return "UNKNOWN";
  }
}

// The type of an optional tensor for messages ("none" when absent).
inline const char* optional_type_name(const TmTensor* t) {
  return t == nullptr ? "none" : tm_type_name(t->type);
}

// Quantized kernels need per-tensor input and output scales, one filter scale
// or one per channel along quantized_dimension, and zero points 0 for int16.
TmStatus check_conv_quant(OpContext& ctx, const TmTensor* input,
                          const TmTensor* filter, const TmTensor* output,
                          int32_t channels, int32_t quantized_dimension);

// A bias so large that taps products could overflow the accumulator (see
// accumulator_overflow_channel in kernels/conv_quant.h) is refused, naming
// the channel.
TmStatus check_accumulator_range(OpContext& ctx, const TmTensor* input,
                                 const TmTensor* bias, int32_t channels,
                                 int64_t taps, int32_t filter_offset,
                                 bool int64_accumulator);

// count int32 values of persistent memory; nullptr once the arena is full.
int32_t* allocate_i32(OpContext& ctx, int32_t count);

// Persistent per-channel arrays a conv-like kernel's prepare fills:
// multipliers and shifts, and for int8 with constant weights the folded
// bias (left nullptr otherwise). kTmErrorArenaTooSmall when they do not fit.
struct ChannelArrays {
  int32_t* multipliers = nullptr;
  int32_t* shifts = nullptr;
  int32_t* folded_bias = nullptr;
};
TmStatus allocate_channel_arrays(OpContext& ctx, const TmTensor* input,
                                 const TmTensor* filter, int32_t channels,
                                 ChannelArrays* arrays);

// The op data of a kernel that may take its filter packed for this CPU
// (conv.h, fully_connected.h): the params, and the packed copy or nullptr.
template <typename Params>
struct PackedFilterOpData {
  Params params;
  const void* packed_filter;
};

// The input type a packer's filter goes with (int16 inputs also have int8
// filters, and no packed path).
constexpr TmType packed_input_type(const int8_t*) { return kTmInt8; }
constexpr TmType packed_input_type(const float*) { return kTmFloat32; }

// Fills data->packed_filter where the kernel wants a copy of the constant
// filter (bytes_of > 0) for this input type and the interpreter's options
// allow one: persistent memory the kernel's pack fills now.
// kTmErrorArenaTooSmall when it does not fit.
template <typename Params, typename Weight>
TmStatus pack_filter(OpContext& ctx, const TmTensor* input,
                     const TmTensor* filter, size_t (*bytes_of)(const Params&),
                     void (*pack)(const Params&, const Weight*, void*),
                     PackedFilterOpData<Params>* data) {
  data->packed_filter = nullptr;
  if (input->type != packed_input_type(static_cast<const Weight*>(nullptr)) ||
      filter->data == nullptr || !ctx.pack_weights()) {
    return kTmOk;
  }
  const size_t bytes = bytes_of(data->params);
  if (bytes == 0) return kTmOk;
  void* packed = ctx.allocate_persistent(bytes);
  if (packed == nullptr) return kTmErrorArenaTooSmall;
  pack(data->params, static_cast<const Weight*>(filter->data), packed);
  data->packed_filter = packed;
  return kTmOk;
}

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_CONV_GLUE_H_
