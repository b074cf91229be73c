// CONV_2D: inputs input, filter, optional bias; see kernels/conv.h.
#include "interpreter/ops/conv_glue.h"
#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"
#include "kernels/conv.h"

namespace tierml {
namespace {

using ConvData = PackedFilterOpData<TmConvParams>;

bool types_supported(const TmTensor* input, const TmTensor* filter,
                     const TmTensor* bias) {
  const TmType b = bias ? bias->type : kTmFloat32;
  switch (input->type) {
    case kTmInt8:
      return filter->type == kTmInt8 && (!bias || b == kTmInt32);
    case kTmInt16:
      return filter->type == kTmInt8 &&
             (!bias || b == kTmInt64 || b == kTmInt32);
    case kTmFloat32:
      return filter->type == kTmFloat32 && (!bias || b == kTmFloat32);
    default:
      return false;
  }
}

TmStatus conv_prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* filter = ctx.input(1);
  const TmTensor* bias = ctx.input(2);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || filter == nullptr || output == nullptr ||
      ctx.num_inputs() > 3 || ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects input, filter, optional bias and 1 output");
  }
  if (input->type != output->type || !types_supported(input, filter, bias)) {
    return ctx.fail(kTmErrorUnsupported,
                    "input %s, filter %s, bias %s, output %s is not supported "
                    "(INT8/INT8/INT32, INT16/INT8/INT64 or INT32, "
                    "FLOAT32 throughout)",
                    tm_type_name(input->type), tm_type_name(filter->type),
                    optional_type_name(bias), tm_type_name(output->type));
  }
  if (filter->shape.rank != 4) {
    const ShapeText f(filter->shape);
    return ctx.fail(kTmErrorBadArgument, "filter %s must be 4-D", f.c_str());
  }
  const int32_t channels = filter->shape.dims[0];
  ChannelArrays arrays;
  if (input->type != kTmFloat32) {
    const TmStatus status =
        check_conv_quant(ctx, input, filter, output, channels, 0);
    if (status != kTmOk) return status;
    if (channels < 1) return ctx.fail(kTmErrorBadArgument, "no filters");
    const TmStatus in_range = check_accumulator_range(
        ctx, input, bias, channels,
        int64_t{filter->shape.dims[1]} * filter->shape.dims[2] *
            filter->shape.dims[3],
        0,
        input->type == kTmInt16 && bias != nullptr && bias->type == kTmInt64);
    if (in_range != kTmOk) return in_range;
    const TmStatus allocated =
        allocate_channel_arrays(ctx, input, filter, channels, &arrays);
    if (allocated != kTmOk) return allocated;
  }
  auto* data =
      static_cast<ConvData*>(ctx.allocate_persistent(sizeof(ConvData)));
  if (data == nullptr) return kTmErrorArenaTooSmall;
  TmConvParams* params = &data->params;
  const TmConvAttrs& attrs = ctx.attrs().u.conv;
  const TmStatus status =
      tm_conv_prepare(&attrs, input, filter, bias, output, arrays.multipliers,
                      arrays.shifts, arrays.folded_bias, params);
  if (status == kTmErrorBadArgument) {
    const ShapeText in(input->shape), f(filter->shape), out(output->shape);
    return ctx.fail(status,
                    "input %s, filter %s, stride %dx%d, dilation %dx%d, "
                    "padding %s do not give output %s (NHWC input, filter "
                    "[C_out,KH,KW,C_in/groups], bias of C_out)",
                    in.c_str(), f.c_str(), attrs.stride_h, attrs.stride_w,
                    attrs.dilation_h, attrs.dilation_w,
                    padding_name(attrs.padding), out.c_str());
  }
  if (status != kTmOk) {
    return ctx.fail(status, "fused activation %d is not supported",
                    static_cast<int32_t>(attrs.activation));
  }
  const TmStatus packed =
      input->type == kTmFloat32
          ? pack_filter(ctx, input, filter, conv_f32_packed_filter_bytes,
                        conv_f32_pack_filter, data)
          : pack_filter(ctx, input, filter, conv_s8_packed_filter_bytes,
                        conv_s8_pack_filter, data);
  if (packed != kTmOk) return packed;
  ctx.set_op_data(data);
  return kTmOk;
}

TmStatus conv_invoke(OpContext& ctx) {
  const ConvData* data = static_cast<const ConvData*>(ctx.op_data());
  const TmConvParams* p = &data->params;
  const TmTensor* input = ctx.input(0);
  const TmTensor* bias = ctx.input(2);
  const void* in = input->data;
  const void* filter = ctx.input(1)->data;
  const void* b = bias != nullptr ? bias->data : nullptr;
  void* out = ctx.output(0)->data;
  switch (input->type) {
    case kTmInt8:
      conv_s8_packed(*p, data->packed_filter, static_cast<const int8_t*>(in),
                     static_cast<const int8_t*>(filter),
                     static_cast<const int32_t*>(b), static_cast<int8_t*>(out));
      break;
    case kTmInt16:
      // TFLite Micro accumulates in 64 bits only with a 64-bit bias.
      if (bias != nullptr && bias->type == kTmInt64) {
        tm_conv_s16(p, static_cast<const int16_t*>(in),
                    static_cast<const int8_t*>(filter),
                    static_cast<const int64_t*>(b), static_cast<int16_t*>(out));
      } else {
        tm_conv_s16_acc32(p, static_cast<const int16_t*>(in),
                          static_cast<const int8_t*>(filter),
                          static_cast<const int32_t*>(b),
                          static_cast<int16_t*>(out));
      }
      break;
    default:
      conv_f32_packed(*p, data->packed_filter, static_cast<const float*>(in),
                      static_cast<const float*>(filter),
                      static_cast<const float*>(b), static_cast<float*>(out));
      break;
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpConv2d = {kTmOpConv2d, conv_prepare, conv_invoke,
                                  nullptr};

}  // namespace tierml
