// TANH: see kernels/tanh.h.
#include "kernels/tanh.h"

#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {
namespace {

// Names the first requirement of TFLM's tanh the node breaks.
TmStatus explain_failure(OpContext& ctx, TmStatus status) {
  const TmTensor* in = ctx.input(0);
  const TmTensor* out = ctx.output(0);
  if (status == kTmErrorBadArgument) {
    return ctx.fail(status, "input %s and output %s must have equal shapes",
                    ShapeText(in->shape).c_str(),
                    ShapeText(out->shape).c_str());
  }
  if (in->type != out->type ||
      (in->type != kTmInt8 && in->type != kTmInt16 && in->type != kTmFloat32)) {
    return ctx.fail(status,
                    "%s input with %s output is not supported (INT8, INT16 or "
                    "FLOAT32 for both)",
                    tm_type_name(in->type), tm_type_name(out->type));
  }
  if (in->quant.count != 1 || out->quant.count != 1) {
    return ctx.fail(status, "%s input and output must be quantized per tensor",
                    tm_type_name(in->type));
  }
  if (in->type == kTmInt8) {
    if (out->quant.zero_point != 0 || out->quant.scales[0] != 1.0f / 128) {
      return ctx.fail(
          status,
          "INT8 output must have scale 1/128 and zero point 0 (zero "
          "point is %d)",
          out->quant.zero_point);
    }
    return ctx.fail(status, "INT8 input scale must be at least 2^-28");
  }
  return ctx.fail(status,
                  "INT16 needs zero points 0 (input %d, output %d), output "
                  "scale 2^-15 and an input scale below 2.67",
                  in->quant.zero_point, out->quant.zero_point);
}

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || output == nullptr || ctx.num_inputs() != 1 ||
      ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel, "expects 1 input and 1 output");
  }
  TmTanhParams* params =
      static_cast<TmTanhParams*>(ctx.allocate_persistent(sizeof(TmTanhParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status = tm_tanh_prepare(input, output, params);
  if (status != kTmOk) return explain_failure(ctx, status);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmTanhParams* p = static_cast<const TmTanhParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  void* out = ctx.output(0)->data;
  switch (ctx.input(0)->type) {
    case kTmInt8:
      tm_tanh_s8(p, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_tanh_s16(p, static_cast<const int16_t*>(in),
                  static_cast<int16_t*>(out));
      return kTmOk;
    default:
      tm_tanh_f32(p, static_cast<const float*>(in), static_cast<float*>(out));
      return kTmOk;
  }
}

}  // namespace

const OpRegistration kOpTanh = {kTmOpTanh, prepare, invoke, nullptr};

}  // namespace tierml
