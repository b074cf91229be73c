// RELU6: see kernels/relu.h.
#include "interpreter/ops/registrations.h"
#include "interpreter/ops/relu_glue.h"
#include "kernels/relu.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  TmStatus status = activation_check(ctx);
  if (status != kTmOk) return status;
  TmReluParams* params =
      static_cast<TmReluParams*>(ctx.allocate_persistent(sizeof(TmReluParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  status = tm_relu6_prepare(ctx.input(0), ctx.output(0), params);
  if (status != kTmOk) return activation_prepare_failed(ctx, status);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmReluParams* p = static_cast<const TmReluParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  void* out = ctx.output(0)->data;
  switch (ctx.input(0)->type) {
    case kTmInt8:
      tm_relu6_s8(p, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_relu6_s16(p, static_cast<const int16_t*>(in),
                   static_cast<int16_t*>(out));
      return kTmOk;
    default:
      tm_relu6_f32(p, static_cast<const float*>(in), static_cast<float*>(out));
      return kTmOk;
  }
}

}  // namespace

const OpRegistration kOpRelu6 = {kTmOpRelu6, prepare, invoke, nullptr};

}  // namespace tierml
