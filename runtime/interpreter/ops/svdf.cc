// SVDF: inputs input, weights_feature, weights_time, bias (optional) and the
// state, a variable tensor the interpreter keeps and zeroes on reset. The
// kernel needs no scratch and keeps no state of its own.
#include "kernels/svdf.h"

#include "interpreter/ops/registrations.h"

namespace tierml {
namespace {

TmStatus svdf_prepare(OpContext& ctx) {
  if (ctx.num_inputs() != 5 || ctx.num_outputs() != 1) {
    return ctx.fail(kTmErrorMalformedModel,
                    "expects 5 inputs and 1 output, got %d and %d",
                    static_cast<int32_t>(ctx.num_inputs()),
                    static_cast<int32_t>(ctx.num_outputs()));
  }
  TmSvdfParams* params =
      static_cast<TmSvdfParams*>(ctx.allocate_persistent(sizeof(TmSvdfParams)));
  if (params == nullptr) return kTmErrorArenaTooSmall;
  const char* why = "";
  const TmStatus status = tm_svdf_prepare(
      &ctx.attrs().u.svdf, ctx.input(0), ctx.input(1), ctx.input(2),
      ctx.input(3), ctx.input(4), ctx.output(0), params, &why);
  if (status != kTmOk) return ctx.fail(status, "%s", why);
  ctx.set_op_data(params);
  return kTmOk;
}

TmStatus svdf_invoke(OpContext& ctx) {
  const TmSvdfParams* p = static_cast<const TmSvdfParams*>(ctx.op_data());
  const TmTensor* input = ctx.input(0);
  const TmTensor* weights_feature = ctx.input(1);
  const TmTensor* weights_time = ctx.input(2);
  const TmTensor* bias = ctx.input(3);
  TmTensor* state = ctx.input(4);
  const void* bias_data = bias != nullptr ? bias->data : nullptr;
  void* out = ctx.output(0)->data;
  if (input->type == kTmFloat32) {
    tm_svdf_f32(p, static_cast<const float*>(input->data),
                static_cast<const float*>(weights_feature->data),
                static_cast<const float*>(weights_time->data),
                static_cast<const float*>(bias_data),
                static_cast<float*>(state->data), static_cast<float*>(out));
  } else if (weights_time->type == kTmInt16) {
    tm_svdf_s8_s16(p, static_cast<const int8_t*>(input->data),
                   static_cast<const int8_t*>(weights_feature->data),
                   static_cast<const int16_t*>(weights_time->data),
                   static_cast<const int32_t*>(bias_data),
                   static_cast<int16_t*>(state->data),
                   static_cast<int8_t*>(out));
  } else {
    tm_svdf_s8_s8(p, static_cast<const int8_t*>(input->data),
                  static_cast<const int8_t*>(weights_feature->data),
                  static_cast<const int8_t*>(weights_time->data),
                  static_cast<const int32_t*>(bias_data),
                  static_cast<int8_t*>(state->data), static_cast<int8_t*>(out));
  }
  return kTmOk;
}

}  // namespace

const OpRegistration kOpSvdf = {kTmOpSvdf, svdf_prepare, svdf_invoke, nullptr};

}  // namespace tierml
