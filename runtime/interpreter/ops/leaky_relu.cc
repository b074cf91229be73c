// LEAKY_RELU: see kernels/leaky_relu.h.
#include "kernels/leaky_relu.h"

#include "interpreter/ops/registrations.h"
#include "interpreter/ops/relu_glue.h"

namespace tierml {
namespace {

TmStatus prepare(OpContext& ctx) {
  TmStatus status = activation_check(ctx);
  if (status != kTmOk) return status;
  TmLeakyReluParams* params = static_cast<TmLeakyReluParams*>(
      ctx.allocate_persistent(sizeof(TmLeakyReluParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  status = tm_leaky_relu_prepare(&ctx.attrs().u.leaky_relu, ctx.input(0),
                                 ctx.output(0), params);
  if (status != kTmOk) return activation_prepare_failed(ctx, status);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus invoke(OpContext& ctx) {
  const TmLeakyReluParams* p =
      static_cast<const TmLeakyReluParams*>(ctx.op_data());
  const void* in = ctx.input(0)->data;
  void* out = ctx.output(0)->data;
  switch (ctx.input(0)->type) {
    case kTmInt8:
      tm_leaky_relu_s8(p, static_cast<const int8_t*>(in),
                       static_cast<int8_t*>(out));
      return kTmOk;
    case kTmInt16:
      tm_leaky_relu_s16(p, static_cast<const int16_t*>(in),
                        static_cast<int16_t*>(out));
      return kTmOk;
    default:
      tm_leaky_relu_f32(p, static_cast<const float*>(in),
                        static_cast<float*>(out));
      return kTmOk;
  }
}

}  // namespace

const OpRegistration kOpLeakyRelu = {kTmOpLeakyRelu, prepare, invoke, nullptr};

}  // namespace tierml
