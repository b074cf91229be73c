// STRIDED_SLICE: begin, end and strides must be constant INT32 vectors; the
// whole slice is resolved at prepare, invoke only copies.
#include "kernels/strided_slice.h"

#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus check_index(OpContext& ctx, const TmTensor* t, const char* name,
                     int32_t count) {
  if (t->data == nullptr) {
    return ctx.fail(kTmErrorUnsupported, "non-constant %s is not supported",
                    name);
  }
  if (t->type != kTmInt32) {
    return ctx.fail(kTmErrorUnsupported, "%s must be INT32, got %s", name,
                    tm_type_name(t->type));
  }
  if (t->shape.rank != 1 || t->shape.dims[0] != count) {
    return ctx.fail(kTmErrorBadArgument,
                    "%s must be a vector of %d values like begin", name, count);
  }
  return kTmOk;
}

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* begin = ctx.input(1);
  const TmTensor* end = ctx.input(2);
  const TmTensor* strides = ctx.input(3);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || begin == nullptr || end == nullptr ||
      strides == nullptr || output == nullptr) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects input, begin, end, strides and 1 output");
  }
  const int32_t count = begin->shape.rank == 1 ? begin->shape.dims[0] : -1;
  if (count < 0 || count > TM_STRIDED_SLICE_MAX_DIMS) {
    return ctx.fail(kTmErrorBadArgument,
                    "begin must be a vector of at most %d values",
                    TM_STRIDED_SLICE_MAX_DIMS);
  }
  TmStatus status = check_index(ctx, begin, "begin", count);
  if (status == kTmOk) status = check_index(ctx, end, "end", count);
  if (status == kTmOk) status = check_index(ctx, strides, "strides", count);
  if (status != kTmOk) return status;

  TmStridedSliceParams* params = static_cast<TmStridedSliceParams*>(
      ctx.allocate_persistent(sizeof(TmStridedSliceParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  status = tm_strided_slice_prepare(&ctx.attrs().u.strided_slice, input,
                                    static_cast<const int32_t*>(begin->data),
                                    static_cast<const int32_t*>(end->data),
                                    static_cast<const int32_t*>(strides->data),
                                    count, output, params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status,
                    "%s input of rank %d is not supported (types INT8, "
                    "INT16, INT32, FLOAT32; at most %d dims with new axes)",
                    tm_type_name(input->type), input->shape.rank,
                    TM_STRIDED_SLICE_MAX_DIMS);
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "the slice does not match the rank-%d %s output (or a "
                    "stride is 0, or a shrunk index is out of range)",
                    output->shape.rank, tm_type_name(output->type));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmStridedSliceParams* p =
      static_cast<const TmStridedSliceParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  void* out = ctx.output(0)->data;
  switch (input->type) {
    case kTmInt8:
      tm_strided_slice_s8(p, static_cast<const int8_t*>(input->data),
                          static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_strided_slice_s16(p, static_cast<const int16_t*>(input->data),
                           static_cast<int16_t*>(out));
      return kTmOk;
    case kTmInt32:
      tm_strided_slice_i32(p, static_cast<const int32_t*>(input->data),
                           static_cast<int32_t*>(out));
      return kTmOk;
    case kTmFloat32:
      tm_strided_slice_f32(p, static_cast<const float*>(input->data),
                           static_cast<float*>(out));
      return kTmOk;
    default:
      return ctx.fail(kTmErrorUnsupported, "%s is not supported",
                      tm_type_name(input->type));
  }
}

}  // namespace

const OpRegistration kOpStridedSlice = {kTmOpStridedSlice, prepare, invoke,
                                        nullptr};

}  // namespace tierml
