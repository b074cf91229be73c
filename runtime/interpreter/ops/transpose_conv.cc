// TRANSPOSE_CONV: inputs output_shape (int32), filter, input, optional bias;
// see kernels/transpose_conv.h. The accumulator is the node's scratch buffer.
#include "kernels/transpose_conv.h"

#include "interpreter/ops/conv_glue.h"
#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {
namespace {

bool types_supported(const TmTensor* input, const TmTensor* filter,
                     const TmTensor* bias) {
  const TmType b = bias ? bias->type : kTmFloat32;
  switch (input->type) {
    case kTmInt8:
      return filter->type == kTmInt8 && (!bias || b == kTmInt32);
    case kTmInt16:
      return filter->type == kTmInt8 &&
             (!bias || b == kTmInt64 || b == kTmInt16);
    case kTmFloat32:
      return filter->type == kTmFloat32 && (!bias || b == kTmFloat32);
    default:
      return false;
  }
}

TmStatus transpose_conv_prepare(OpContext& ctx) {
  const TmTensor* output_shape = ctx.input(0);
  const TmTensor* filter = ctx.input(1);
  const TmTensor* input = ctx.input(2);
  const TmTensor* bias = ctx.input(3);
  const TmTensor* output = ctx.output(0);
  if (output_shape == nullptr || filter == nullptr || input == nullptr ||
      output == nullptr || ctx.num_inputs() > 4 || ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects output_shape, filter, input, optional bias and "
                    "1 output");
  }
  if (input->type != output->type || !types_supported(input, filter, bias)) {
    return ctx.fail(kTmErrorUnsupported,
                    "input %s, filter %s, bias %s, output %s is not supported "
                    "(INT8/INT8/INT32, INT16/INT8/INT64 or INT16, FLOAT32 "
                    "throughout)",
                    tm_type_name(input->type), tm_type_name(filter->type),
                    optional_type_name(bias), tm_type_name(output->type));
  }
  if (filter->shape.rank != 4) {
    const ShapeText f(filter->shape);
    return ctx.fail(kTmErrorBadArgument, "filter %s must be 4-D", f.c_str());
  }
  const int32_t channels = filter->shape.dims[0];
  int32_t* multipliers = nullptr;
  int32_t* shifts = nullptr;
  if (input->type != kTmFloat32) {
    const TmStatus status =
        check_conv_quant(ctx, input, filter, output, channels, 0);
    if (status != kTmOk) return status;
    if (channels < 1) return ctx.fail(kTmErrorBadArgument, "no filters");
    const TmStatus in_range = check_accumulator_range(
        ctx, input, bias, channels,
        int64_t{filter->shape.dims[1]} * filter->shape.dims[2] *
            filter->shape.dims[3],
        0, input->type == kTmInt16);
    if (in_range != kTmOk) return in_range;
    multipliers = allocate_i32(ctx, channels);
    shifts = allocate_i32(ctx, channels);
    if (multipliers == nullptr || shifts == nullptr) {
      return kTmErrorArenaTooSmall;
    }
  }
  TmTransposeConvParams* params = static_cast<TmTransposeConvParams*>(
      ctx.allocate_persistent(sizeof(TmTransposeConvParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmTransposeConvAttrs& attrs = ctx.attrs().u.transpose_conv;
  size_t scratch_bytes = 0;
  const TmStatus status = tm_transpose_conv_prepare(
      &attrs, output_shape, filter, input, bias, output, multipliers, shifts,
      params, &scratch_bytes);
  if (status == kTmErrorBadArgument) {
    const ShapeText in(input->shape), f(filter->shape), out(output->shape),
        os(output_shape->shape);
    return ctx.fail(status,
                    "input %s, filter %s, output %s, output_shape tensor %s "
                    "(%s) are inconsistent (NHWC input, filter "
                    "[C_out,KH,KW,C_in], output_shape INT32 [4] equal to the "
                    "output's, bias of C_out; stride %dx%d)",
                    in.c_str(), f.c_str(), out.c_str(), os.c_str(),
                    tm_type_name(output_shape->type), attrs.stride_h,
                    attrs.stride_w);
  }
  if (status != kTmOk) {
    return ctx.fail(status, "fused activation %d is not supported",
                    static_cast<int32_t>(attrs.activation));
  }
  ctx.request_scratch(scratch_bytes);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus transpose_conv_invoke(OpContext& ctx) {
  const TmTransposeConvParams* p =
      static_cast<const TmTransposeConvParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(2);
  const TmTensor* bias = ctx.input(3);
  const void* in = input->data;
  const void* filter = ctx.input(1)->data;
  const void* b = bias != nullptr ? bias->data : nullptr;
  void* out = ctx.output(0)->data;
  void* scratch = ctx.scratch();
  switch (input->type) {
    case kTmInt8:
      tm_transpose_conv_s8(
          p, static_cast<const int8_t*>(in), static_cast<const int8_t*>(filter),
          static_cast<const int32_t*>(b), static_cast<int8_t*>(out),
          static_cast<int32_t*>(scratch));
      break;
    case kTmInt16:
      if (bias != nullptr && bias->type == kTmInt16) {
        tm_transpose_conv_s16_bias16(
            p, static_cast<const int16_t*>(in),
            static_cast<const int8_t*>(filter), static_cast<const int16_t*>(b),
            static_cast<int16_t*>(out), static_cast<int64_t*>(scratch));
      } else {
        tm_transpose_conv_s16(
            p, static_cast<const int16_t*>(in),
            static_cast<const int8_t*>(filter), static_cast<const int64_t*>(b),
            static_cast<int16_t*>(out), static_cast<int64_t*>(scratch));
      }
      break;
    default:
      tm_transpose_conv_f32(
          p, static_cast<const float*>(in), static_cast<const float*>(filter),
          static_cast<const float*>(b), static_cast<float*>(out));
      break;
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpTransposeConv = {
    kTmOpTransposeConv, transpose_conv_prepare, transpose_conv_invoke, nullptr};

}  // namespace tierml
