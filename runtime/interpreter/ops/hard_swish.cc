// HARD_SWISH: see kernels/hard_swish.h.
#include "kernels/hard_swish.h"

#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {
namespace {

// Names the first requirement of TFLM's hard swish the node breaks.
TmStatus explain_failure(OpContext& ctx, TmStatus status) {
  const TmTensor* in = ctx.input(0);
  const TmTensor* out = ctx.output(0);
  if (status == kTmErrorBadArgument) {
    return ctx.fail(status, "input %s and output %s must have equal shapes",
                    ShapeText(in->shape).c_str(),
                    ShapeText(out->shape).c_str());
  }
  if (in->type != out->type ||
      (in->type != kTmInt8 && in->type != kTmFloat32)) {
    return ctx.fail(status,
                    "%s input with %s output is not supported (INT8 or "
                    "FLOAT32 for both)",
                    tm_type_name(in->type), tm_type_name(out->type));
  }
  if (in->quant.count != 1 || out->quant.count != 1) {
    return ctx.fail(status,
                    "INT8 input and output must be quantized per "
                    "tensor");
  }
  return ctx.fail(status,
                  "input scale / output scale must be below 128 (TFLite's "
                  "limit for INT8 hard swish)");
}

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1 ||
      ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
  }
  TmHardSwishParams* params = static_cast<TmHardSwishParams*>(
      ctx.allocate_persistent(sizeof(TmHardSwishParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status = tm_hard_swish_prepare(input, output, params);
  if (status != kTmOk) return explain_failure(ctx, status);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmHardSwishParams* p =
      static_cast<const TmHardSwishParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  void* out = ctx.output(0)->data;
  if (ctx.input(0)->type == kTmInt8) {
    tm_hard_swish_s8(p, static_cast<const int8_t*>(in),
                     static_cast<int8_t*>(out));
  } else {
    tm_hard_swish_f32(p, static_cast<const float*>(in),
                      static_cast<float*>(out));
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpHardSwish = {kTmOpHardSwish, prepare, invoke, nullptr};

}  // namespace tierml
