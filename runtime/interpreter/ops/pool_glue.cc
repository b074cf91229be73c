#include "interpreter/ops/pool_glue.h"

#include "interpreter/ops/shape_text.h"
#include "kernels/pooling.h"

namespace tierml {

TmStatus pool_glue_prepare(OpContext& ctx) {
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
  if (input->type != kTmFloat32 && output->quant.count != 1) {
    return ctx.fail(kTmErrorBadArgument,
                    "%s output must be per-tensor quantized",
                    tm_type_name(output->type));
  }
  const TmPoolAttrs& attrs = ctx.attrs().u.pool;
  TmPoolParams* params =
      static_cast<TmPoolParams*>(ctx.allocate_persistent(sizeof(TmPoolParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status = tm_pool_prepare(&attrs, input, output, params);
  if (status == kTmErrorBadArgument) {
    const ShapeText in(input->shape), out(output->shape);
    return ctx.fail(status,
                    "input %s, filter %dx%d, stride %dx%d, padding %s do not "
                    "give output %s (NHWC, every window overlapping the "
                    "input)",
                    in.c_str(), attrs.filter_h, attrs.filter_w, attrs.stride_h,
                    attrs.stride_w,
                    attrs.padding == kTmPaddingSame ? "SAME" : "VALID",
                    out.c_str());
  }
  if (status != kTmOk) {
    return ctx.fail(status, "padding %d or fused activation %d not supported",
                    static_cast<int32_t>(attrs.padding),
                    static_cast<int32_t>(attrs.activation));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

}  // namespace tierml
