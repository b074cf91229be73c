// EXPAND_DIMS: inserts a size-1 dim at the axis input; the bytes are copied
// as they are.
#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"
#include "kernels/reshape.h"

namespace tierml {
namespace {

TmStatus check_axis(OpContext& ctx, const TmTensor* input, const TmTensor* axis,
                    const TmTensor* output) {
  if (axis->type != kTmInt32 && axis->type != kTmInt64) {
    return ctx.fail(kTmErrorUnsupported, "axis must be INT32 or INT64, got %s",
                    tm_type_name(axis->type));
  }
  if (tm_shape_elements(&axis->shape) != 1) {
    return ctx.fail(kTmErrorBadArgument, "axis must hold one value, has %d",
                    tm_shape_elements(&axis->shape));
  }
  // A non-constant axis cannot change the static output shape; only a
  // constant one can be checked against it.
  if (axis->data == nullptr) return kTmOk;
  int32_t value;
  if (axis->type == kTmInt32) {
    value = *static_cast<const int32_t*>(axis->data);
  } else {
    const int64_t wide = *static_cast<const int64_t*>(axis->data);
    value = wide < -TM_MAX_DIMS - 1 || wide > TM_MAX_DIMS
                ? TM_MAX_DIMS + 1
                : static_cast<int32_t>(wide);
  }
  const int32_t rank = input->shape.rank;
  const int32_t at = value < 0 ? value + rank + 1 : value;
  if (at < 0 || at > rank || output->shape.rank != rank + 1) {
    return ctx.fail(kTmErrorBadArgument,
                    "axis %d does not fit the rank-%d input and rank-%d "
                    "output",
                    value, rank, output->shape.rank);
  }
  for (int32_t i = 0, j = 0; i <= rank; ++i) {
    const int32_t expected = i == at ? 1 : input->shape.dims[j++];
    if (output->shape.dims[i] != expected) {
      return ctx.fail(kTmErrorBadArgument,
                      "output dim %d is %d, expanding at axis %d gives %d", i,
                      output->shape.dims[i], value, expected);
    }
  }
  return kTmOk;
}

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* axis = ctx.input(1);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || axis == nullptr || output == nullptr) {
    return ctx.fail(kTmErrorMalformedModel, "expects 2 inputs and 1 output");
  }
  size_t bytes = 0;
  if (tm_reshape_prepare(input, output, &bytes) != kTmOk) {
    return ctx.fail(kTmErrorBadArgument,
                    "input (%s, %d elements) and output (%s, %d elements) "
                    "differ in type or element count",
                    tm_type_name(input->type), tm_shape_elements(&input->shape),
                    tm_type_name(output->type),
                    tm_shape_elements(&output->shape));
  }
  const TmStatus status = check_axis(ctx, input, axis, output);
  if (status != kTmOk) return status;
  size_t* data = static_cast<size_t*>(ctx.allocate_persistent(sizeof(size_t)));
  if (data == nullptr) return kTmErrorArenaTooSmall;
  *data = bytes;
  ctx.set_op_data(data);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  tm_reshape(ctx.input(0)->data, ctx.output(0)->data,
             *static_cast<const size_t*>(ctx.op_data()));
  return kTmOk;
}

}  // namespace

const OpRegistration kOpExpandDims = {kTmOpExpandDims, prepare, invoke,
                                      nullptr};

}  // namespace tierml
