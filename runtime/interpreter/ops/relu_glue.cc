#include "interpreter/ops/relu_glue.h"

namespace tierml {

TmStatus activation_check(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1)
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
  if (input->type != output->type) {
    return ctx.fail(kTmErrorBadArgument, "input %s and output %s differ",
                    tm_type_name(input->type), tm_type_name(output->type));
  }
  if (input->type != kTmInt8 && input->type != kTmInt16 &&
      input->type != kTmFloat32) {
    return ctx.fail(kTmErrorUnsupported,
                    "%s is not supported (INT8, INT16, FLOAT32)",
                    tm_type_name(input->type));
  }
  if (tm_shape_elements(&input->shape) != tm_shape_elements(&output->shape)) {
    return ctx.fail(kTmErrorBadArgument, "input has %d elements, output %d",
                    tm_shape_elements(&input->shape),
                    tm_shape_elements(&output->shape));
  }
  if (input->type != kTmFloat32 &&
      (input->quant.count != 1 || output->quant.count != 1)) {
    return ctx.fail(kTmErrorBadArgument,
                    "%s input and output must be per-tensor quantized",
                    tm_type_name(input->type));
  }
  return kTmOk;
}

TmStatus activation_prepare_failed(OpContext& ctx, TmStatus status) {
  return ctx.fail(status,
                  "%s input (zero point %d) and output (zero point %d) not "
                  "supported; INT16 needs zero points 0",
                  tm_type_name(ctx.input(0)->type),
                  ctx.input(0)->quant.zero_point,
                  ctx.output(0)->quant.zero_point);
}

}  // namespace tierml
