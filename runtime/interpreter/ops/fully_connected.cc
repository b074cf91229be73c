// FULLY_CONNECTED: inputs input, filter, optional bias; see
// kernels/fully_connected.h.
#include "kernels/fully_connected.h"

#include "interpreter/ops/conv_glue.h"
#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {
namespace {

using FullyConnectedData = PackedFilterOpData<TmFullyConnectedParams>;

bool types_supported(const TmTensor* input, const TmTensor* filter,
                     const TmTensor* bias) {
  const TmType b = bias ? bias->type : kTmFloat32;
  switch (input->type) {
    case kTmInt8:
      return filter->type == kTmInt8 && (!bias || b == kTmInt32);
    case kTmInt16:
      return filter->type == kTmInt8 && (!bias || b == kTmInt64);
    case kTmFloat32:
      return filter->type == kTmFloat32 && (!bias || b == kTmFloat32);
    default:
      return false;
  }
}

TmStatus fc_prepare(OpContext& ctx) {
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
                    "(INT8/INT8/INT32, INT16/INT8/INT64, FLOAT32 throughout)",
                    tm_type_name(input->type), tm_type_name(filter->type),
                    optional_type_name(bias), tm_type_name(output->type));
  }
  if (filter->shape.rank != 2 || filter->shape.dims[0] < 1) {
    const ShapeText f(filter->shape);
    return ctx.fail(kTmErrorBadArgument, "filter %s must be [units, depth]",
                    f.c_str());
  }
  const int32_t units = filter->shape.dims[0];
  int32_t* multipliers = nullptr;
  int32_t* shifts = nullptr;
  int32_t* folded = nullptr;
  if (input->type != kTmFloat32) {
    const TmStatus status =
        check_conv_quant(ctx, input, filter, output, units, 0);
    if (status != kTmOk) return status;
    // Per-channel weights are symmetric; a per-tensor zero point counts.
    const int32_t filter_offset =
        filter->quant.count > 1 ? 0 : -filter->quant.zero_point;
    const TmStatus in_range =
        check_accumulator_range(ctx, input, bias, units, filter->shape.dims[1],
                                filter_offset, input->type == kTmInt16);
    if (in_range != kTmOk) return in_range;
    const int32_t count = tm_fully_connected_multiplier_count(input, filter);
    multipliers = allocate_i32(ctx, count);
    shifts = allocate_i32(ctx, count);
    if (multipliers == nullptr || shifts == nullptr) {
      return kTmErrorArenaTooSmall;
    }
    // Folding the input offset into the bias needs the weights now.
    if (input->type == kTmInt8 && filter->data != nullptr) {
      folded = allocate_i32(ctx, units);
      if (folded == nullptr) return kTmErrorArenaTooSmall;
    }
  }
  auto* data = static_cast<FullyConnectedData*>(
      ctx.allocate_persistent(sizeof(FullyConnectedData)));
  if (data == nullptr) return kTmErrorArenaTooSmall;
  TmFullyConnectedParams* params = &data->params;
  const TmFullyConnectedAttrs& attrs = ctx.attrs().u.fully_connected;
  const TmStatus status = tm_fully_connected_prepare(
      &attrs, input, filter, bias, output, multipliers, shifts, folded, params);
  if (status == kTmErrorBadArgument) {
    const ShapeText in(input->shape), f(filter->shape), out(output->shape);
    return ctx.fail(status,
                    "input %s, filter %s and output %s do not match "
                    "(keep_num_dims=%d; input of batches x depth elements, "
                    "output [..., units], bias of units)",
                    in.c_str(), f.c_str(), out.c_str(), attrs.keep_num_dims);
  }
  if (status != kTmOk) {
    return ctx.fail(status, "fused activation %d is not supported",
                    static_cast<int32_t>(attrs.activation));
  }
  const TmStatus packed =
      pack_filter(ctx, input, filter, fully_connected_s8_packed_filter_bytes,
                  fully_connected_s8_pack_filter, data);
  if (packed != kTmOk) return packed;
  ctx.set_op_data(data);
  return kTmOk;
}

TmStatus fc_invoke(OpContext& ctx) {
  const FullyConnectedData* data =
      static_cast<const FullyConnectedData*>(ctx.op_data());
  const TmFullyConnectedParams* p = &data->params;
  const TmTensor* input = ctx.input(0);
  const TmTensor* bias = ctx.input(2);
  const void* in = input->data;
  const void* filter = ctx.input(1)->data;
  const void* b = bias != nullptr ? bias->data : nullptr;
  void* out = ctx.output(0)->data;
  switch (input->type) {
    case kTmInt8:
      fully_connected_s8_packed(
          *p, data->packed_filter, static_cast<const int8_t*>(in),
          static_cast<const int8_t*>(filter), static_cast<const int32_t*>(b),
          static_cast<int8_t*>(out));
      break;
    case kTmInt16:
      tm_fully_connected_s16(p, static_cast<const int16_t*>(in),
                             static_cast<const int8_t*>(filter),
                             static_cast<const int64_t*>(b),
                             static_cast<int16_t*>(out));
      break;
    default:
      tm_fully_connected_f32(
          p, static_cast<const float*>(in), static_cast<const float*>(filter),
          static_cast<const float*>(b), static_cast<float*>(out));
      break;
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpFullyConnected = {kTmOpFullyConnected, fc_prepare,
                                          fc_invoke, nullptr};

}  // namespace tierml
