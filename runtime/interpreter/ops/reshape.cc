// RESHAPE: the model's static output shape is used; an optional constant
// shape input must agree with it.
#include "kernels/reshape.h"

#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus check_shape_input(OpContext& ctx, const TmTensor* shape,
                           const TmTensor* output) {
  if (shape == nullptr || shape->data == nullptr) return kTmOk;
  if (shape->type != kTmInt32) {
    return ctx.fail(kTmErrorUnsupported, "shape input must be INT32, got %s",
                    tm_type_name(shape->type));
  }
  const int32_t count = tm_shape_elements(&shape->shape);
  // A [0]-shaped or scalar shape input is TFLite's way of saying "none".
  if (shape->shape.rank == 1 && count == 0) return kTmOk;
  if (count != output->shape.rank) {
    return ctx.fail(kTmErrorBadArgument,
                    "shape input has %d entries but the output has rank %d",
                    count, output->shape.rank);
  }
  const int32_t* dims = static_cast<const int32_t*>(shape->data);
  for (int32_t i = 0; i < count; ++i) {
    if (dims[i] != -1 && dims[i] != output->shape.dims[i]) {
      return ctx.fail(kTmErrorBadArgument,
                      "shape input dim %d is %d but the output dim is %d", i,
                      dims[i], output->shape.dims[i]);
    }
  }
  return kTmOk;
}

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() > 2) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects 1 or 2 inputs and 1 output");
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
  const TmStatus status = check_shape_input(ctx, ctx.input(1), output);
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

const OpRegistration kOpReshape = {kTmOpReshape, prepare, invoke, nullptr};

}  // namespace tierml
