// PRELU: see kernels/prelu.h.
#include "kernels/prelu.h"

#include "interpreter/ops/registrations.h"
#include "interpreter/ops/shape_text.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* alpha = ctx.input(1);
  const TmTensor* output = ctx.output(0);
  if (input == nullptr || alpha == nullptr || output == nullptr ||
      ctx.num_inputs() != 2)
    return ctx.fail(kTmErrorMalformedModel, "expects 2 inputs and 1 output");
  if (input->type != output->type || alpha->type != input->type) {
    return ctx.fail(kTmErrorUnsupported,
                    "input %s, alpha %s, output %s: tierml runs INT8 or "
                    "FLOAT32 throughout",
                    tm_type_name(input->type), tm_type_name(alpha->type),
                    tm_type_name(output->type));
  }
  TmPreluParams* params = static_cast<TmPreluParams*>(
      ctx.allocate_persistent(sizeof(TmPreluParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const TmStatus status = tm_prelu_prepare(input, alpha, output, params);
  if (status == kTmErrorUnsupported) {
    return ctx.fail(status, "%s is not supported (INT8, FLOAT32)",
                    tm_type_name(input->type));
  }
  if (status != kTmOk) {
    const ShapeText in(input->shape), a(alpha->shape), out(output->shape);
    return ctx.fail(status,
                    "alpha %s must broadcast against input %s giving output "
                    "%s, and quantized tensors need one scale each",
                    a.c_str(), in.c_str(), out.c_str());
  }
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmPreluParams* p = static_cast<const TmPreluParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  const void* alpha = ctx.input(1)->data;
  void* out = ctx.output(0)->data;
  if (ctx.input(0)->type == kTmInt8) {
    tm_prelu_s8(p, static_cast<const int8_t*>(in),
                static_cast<const int8_t*>(alpha), static_cast<int8_t*>(out));
  } else {
    tm_prelu_f32(p, static_cast<const float*>(in),
                 static_cast<const float*>(alpha), static_cast<float*>(out));
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpPrelu = {kTmOpPrelu, prepare, invoke, nullptr};

}  // namespace tierml
