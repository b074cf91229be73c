// SQUEEZE: drops size-1 dims; the bytes are copied as they are.
#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"
#include "kernels/reshape.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
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
  const TmSqueezeAttrs& attrs = ctx.attrs().u.squeeze;
  const int32_t rank = input->shape.rank;
  int32_t removed = 0;
  if (attrs.num_squeeze_dims == 0) {
    for (int32_t i = 0; i < rank; ++i) removed += input->shape.dims[i] == 1;
  } else {
    bool seen[TM_MAX_DIMS] = {};
    for (int32_t i = 0; i < attrs.num_squeeze_dims; ++i) {
      const int32_t dim = attrs.squeeze_dims[i] < 0
                              ? attrs.squeeze_dims[i] + rank
                              : attrs.squeeze_dims[i];
      if (dim < 0 || dim >= rank || input->shape.dims[dim] != 1) {
        return ctx.fail(kTmErrorBadArgument,
                        "squeeze dim %d is not a size-1 dim of the rank-%d "
                        "input",
                        attrs.squeeze_dims[i], rank);
      }
      if (!seen[dim]) ++removed;
      seen[dim] = true;
    }
  }
  if (output->shape.rank != rank - removed) {
    return ctx.fail(kTmErrorBadArgument,
                    "output rank is %d but squeezing the rank-%d input leaves "
                    "%d dims",
                    output->shape.rank, rank, rank - removed);
  }
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

const OpRegistration kOpSqueeze = {kTmOpSqueeze, prepare, invoke, nullptr};

}  // namespace tierml
