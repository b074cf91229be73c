// TRANSPOSE: the permutation must be a constant INT32 vector.
#include "kernels/transpose.h"

#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* perm = ctx.input(1);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || perm == nullptr || output == nullptr) {
    return ctx.fail(kTmErrorMalformedModel, "expects 2 inputs and 1 output");
  }
  if (perm->data == nullptr) {
    return ctx.fail(kTmErrorUnsupported, "non-constant perm is not supported");
  }
  if (perm->type != kTmInt32) {
    return ctx.fail(kTmErrorUnsupported, "perm must be INT32, got %s",
                    tm_type_name(perm->type));
  }
  TmTransposeParams* params = static_cast<TmTransposeParams*>(
      ctx.allocate_persistent(sizeof(TmTransposeParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status =
      tm_transpose_prepare(input, static_cast<const int32_t*>(perm->data),
                           tm_shape_elements(&perm->shape), output, params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status,
                    "%s input of rank %d is not supported (INT8, INT16, "
                    "INT32, FLOAT32 up to %d dims)",
                    tm_type_name(input->type), input->shape.rank, TM_MAX_DIMS);
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "perm of %d values is not a permutation of the rank-%d "
                    "input giving the %s output's shape",
                    tm_shape_elements(&perm->shape), input->shape.rank,
                    tm_type_name(output->type));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmTransposeParams* p =
      static_cast<const TmTransposeParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  void* out = ctx.output(0)->data;
  switch (input->type) {
    case kTmInt8:
      tm_transpose_s8(p, static_cast<const int8_t*>(input->data),
                      static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_transpose_s16(p, static_cast<const int16_t*>(input->data),
                       static_cast<int16_t*>(out));
      return kTmOk;
    case kTmInt32:
      tm_transpose_i32(p, static_cast<const int32_t*>(input->data),
                       static_cast<int32_t*>(out));
      return kTmOk;
    case kTmFloat32:
      tm_transpose_f32(p, static_cast<const float*>(input->data),
                       static_cast<float*>(out));
      return kTmOk;
    default:
      return ctx.fail(kTmErrorUnsupported, "%s is not supported",
                      tm_type_name(input->type));
  }
}

}  // namespace

const OpRegistration kOpTranspose = {kTmOpTranspose, prepare, invoke, nullptr};

}  // namespace tierml
