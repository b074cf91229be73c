// MEAN: the axis input must be a constant INT32 tensor. Integer inputs need
// one int32 sum per output, requested as scratch.
#include "kernels/mean.h"

#include "interpreter/op_context.h"
#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* axis = ctx.input(1);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || axis == nullptr || output == nullptr) {
    return ctx.fail(kTmErrorMalformedModel, "expects 2 inputs and 1 output");
  }
  if (axis->data == nullptr) {
    return ctx.fail(kTmErrorUnsupported, "non-constant axis is not supported");
  }
  if (axis->type != kTmInt32) {
    return ctx.fail(kTmErrorUnsupported, "axis must be INT32, got %s",
                    tm_type_name(axis->type));
  }
  TmMeanParams* params =
      static_cast<TmMeanParams*>(ctx.allocate_persistent(sizeof(TmMeanParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  size_t scratch = 0;
  const TmStatus status = tm_mean_prepare(
      &ctx.attrs().u.reducer, input, static_cast<const int32_t*>(axis->data),
      tm_shape_elements(&axis->shape), output, params, &scratch);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status,
                    "%s input of rank %d is not supported (INT8, INT16 with "
                    "per-tensor quantization, FLOAT32; up to %d dims)",
                    tm_type_name(input->type), input->shape.rank, TM_MAX_DIMS);
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "axes out of range for the rank-%d input, or the %s "
                    "output (%d elements) does not fit the reduction",
                    input->shape.rank, tm_type_name(output->type),
                    tm_shape_elements(&output->shape));
  }
  ctx.request_scratch(scratch);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmMeanParams* p = static_cast<const TmMeanParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  void* out = ctx.output(0)->data;
  int32_t* sums = static_cast<int32_t*>(ctx.scratch());
  switch (input->type) {
    case kTmInt8:
      tm_mean_s8(p, static_cast<const int8_t*>(input->data),
                 static_cast<int8_t*>(out), sums);
      return kTmOk;
    case kTmInt16:
      tm_mean_s16(p, static_cast<const int16_t*>(input->data),
                  static_cast<int16_t*>(out), sums);
      return kTmOk;
    case kTmFloat32:
      tm_mean_f32(p, static_cast<const float*>(input->data),
                  static_cast<float*>(out));
      return kTmOk;
    default:
      return ctx.fail(kTmErrorUnsupported, "%s is not supported",
                      tm_type_name(input->type));
  }
}

}  // namespace

const OpRegistration kOpMean = {kTmOpMean, prepare, invoke, nullptr};

}  // namespace tierml
