// QUANTIZE: float -> int8/int16, or requantization between integer types
// (see kernels/quantize.h for the pairs).
#include "kernels/quantize.h"

#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1)
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
  if (output->quant.count != 1) {
    return ctx.fail(kTmErrorUnsupported,
                    "output must be per-tensor quantized (has %d scales)",
                    output->quant.count);
  }
  if (input->type != kTmFloat32 && input->quant.count != 1) {
    return ctx.fail(kTmErrorUnsupported,
                    "%s input must be per-tensor quantized (has %d scales)",
                    tm_type_name(input->type), input->quant.count);
  }
  TmQuantizeParams* params = static_cast<TmQuantizeParams*>(
      ctx.allocate_persistent(sizeof(TmQuantizeParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status = tm_quantize_prepare(input, output, params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status, "%s -> %s is not supported",
                    tm_type_name(input->type), tm_type_name(output->type));
  }
  if (status != kTmOk) {
    return ctx.fail(status, "input has %d elements, output %d",
                    tm_shape_elements(&input->shape),
                    tm_shape_elements(&output->shape));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmQuantizeParams* p =
      static_cast<const TmQuantizeParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  if (input->type == kTmFloat32) {
    tm_quantize_f32(p, static_cast<const float*>(input->data),
                    ctx.output(0)->data);
  } else {
    tm_requantize(p, input->data, ctx.output(0)->data);
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpQuantize = {kTmOpQuantize, prepare, invoke, nullptr};

}  // namespace tierml
