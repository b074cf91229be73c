// Glue shared by ADD, SUB and MUL: two operands of one type broadcast to the
// output, a fused activation, and one kernel entry point per type.
#ifndef TIERML_INTERPRETER_OPS_BINARY_GLUE_H_
#define TIERML_INTERPRETER_OPS_BINARY_GLUE_H_

#include "interpreter/op_context.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {

template <typename Params>
struct BinaryKernel {
  TmStatus (*prepare)(const TmElementwiseAttrs*, const TmTensor*,
                      const TmTensor*, const TmTensor*, Params*);
  void (*s8)(const Params*, const int8_t*, const int8_t*, int8_t*);
  void (*s16)(const Params*, const int16_t*, const int16_t*, int16_t*);
  void (*f32)(const Params*, const float*, const float*, float*);
};

template <typename Params>
TmStatus binary_prepare(OpContext& ctx, const BinaryKernel<Params>& kernel) {
  const TmTensor* a = ctx.input(0);
  const TmTensor* b = ctx.input(1);
  const TmTensor* out = ctx.output(0);
  if (a == nullptr || b == nullptr || out == nullptr || ctx.num_inputs() != 2)
    return ctx.fail(kTmErrorMalformedModel, "expects 2 inputs and 1 output");
  if (a->type != out->type || b->type != out->type) {
    return ctx.fail(kTmErrorBadArgument,
                    "inputs (%s, %s) and output (%s) must have one type",
                    tm_type_name(a->type), tm_type_name(b->type),
                    tm_type_name(out->type));
  }
  if (out->type != kTmInt8 && out->type != kTmInt16 &&
      out->type != kTmFloat32) {
    return ctx.fail(kTmErrorUnsupported,
                    "%s is not supported (INT8, INT16, FLOAT32)",
                    tm_type_name(out->type));
  }
  if (out->type != kTmFloat32 &&
      (a->quant.count != 1 || b->quant.count != 1 || out->quant.count != 1)) {
    return ctx.fail(kTmErrorBadArgument,
                    "%s operands and output must be per-tensor quantized",
                    tm_type_name(out->type));
  }
  Params* params =
      static_cast<Params*>(ctx.allocate_persistent(sizeof(Params)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status =
      kernel.prepare(&ctx.attrs().u.elementwise, a, b, out, params);
  if (status == kTmErrorBadArgument) {
    const ShapeText sa(a->shape), sb(b->shape), so(out->shape);
    return ctx.fail(status, "shapes %s and %s do not broadcast to output %s",
                    sa.c_str(), sb.c_str(), so.c_str());
  }
  if (status != kTmOk) {
    return ctx.fail(status,
                    "%s with fused activation %d is not supported (at most "
                    "%d dims; int16 MUL needs zero points 0; ADD/SUB need "
                    "rescaling multipliers below 1)",
                    tm_type_name(out->type),
                    static_cast<int32_t>(ctx.attrs().u.elementwise.activation),
                    static_cast<int32_t>(TM_MAX_DIMS));
  }
  ctx.set_op_data(params);
  return kTmOk;
}

template <typename Params>
TmStatus binary_invoke(OpContext& ctx, const BinaryKernel<Params>& kernel) {
  const Params* p = static_cast<const Params*>(ctx.op_data());
  const void* a = ctx.input(0)->data;
  const void* b = ctx.input(1)->data;
  void* out = ctx.output(0)->data;
  switch (ctx.output(0)->type) {
    case kTmInt8:
      kernel.s8(p, static_cast<const int8_t*>(a), static_cast<const int8_t*>(b),
                static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      kernel.s16(p, static_cast<const int16_t*>(a),
                 static_cast<const int16_t*>(b), static_cast<int16_t*>(out));
      return kTmOk;
    default:
      kernel.f32(p, static_cast<const float*>(a), static_cast<const float*>(b),
                 static_cast<float*>(out));
      return kTmOk;
  }
}

}  // namespace tierml

#endif  // TIERML_INTERPRETER_OPS_BINARY_GLUE_H_
