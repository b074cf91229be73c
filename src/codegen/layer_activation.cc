// One-input, one-output operators that map elements (activations, softmax,
// (de)quantization): params computed once here, one kernel call.
#include <vector>

#include "codegen/layer_context.h"
#include "kernels/dequantize.h"
#include "kernels/hard_swish.h"
#include "kernels/leaky_relu.h"
#include "kernels/logistic.h"
#include "kernels/quantize.h"
#include "kernels/relu.h"
#include "kernels/softmax.h"
#include "kernels/tanh.h"

namespace tierml::codegen {
namespace {

const char* suffix(TmType type) {
  return type == kTmInt8 ? "_s8" : type == kTmInt16 ? "_s16" : "_f32";
}

void unary_call(LayerContext& ctx, const std::string& base,
                const std::string& params) {
  ctx.call(base + suffix(ctx.input(0)->type), {params, ctx.in(0), ctx.out(0)});
}

Status emit_relu(LayerContext& ctx, bool six) {
  TmReluParams p{};
  const TmStatus status = (six ? tm_relu6_prepare : tm_relu_prepare)(
      ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("count", p.count)
      .i32("input_offset", p.input_offset)
      .i32("output_offset", p.output_offset)
      .i32("multiplier", p.multiplier)
      .i32("shift", p.shift)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max);
  const std::string params = ctx.params("TmReluParams", init, sizeof(p));
  ctx.kernel("relu.cc");
  unary_call(ctx, six ? "tm_relu6" : "tm_relu", params);
  return Status::ok();
}

// LOGISTIC and TANH share the params layout.
template <typename Params>
Status emit_sigmoid_like(LayerContext& ctx, bool tanh,
                         TmStatus (*prepare)(const TmTensor*, const TmTensor*,
                                             Params*)) {
  Params p{};
  const TmStatus status = prepare(ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("size", p.size)
      .i32("input_zero_point", p.input_zero_point)
      .i32("input_range_radius", p.input_range_radius)
      .i32("input_multiplier", p.input_multiplier)
      .i32("input_left_shift", p.input_left_shift);
  const std::string params =
      ctx.params(tanh ? "TmTanhParams" : "TmLogisticParams", init, sizeof(p));
  ctx.kernel(tanh ? "tanh.cc" : "logistic.cc");
  unary_call(ctx, tanh ? "tm_tanh" : "tm_logistic", params);
  return Status::ok();
}

Status emit_hard_swish(LayerContext& ctx) {
  TmHardSwishParams p{};
  const TmStatus status =
      tm_hard_swish_prepare(ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("size", p.size)
      .i32("input_zero_point", p.input_zero_point)
      .i32("output_zero_point", p.output_zero_point)
      .i32("reluish_multiplier", p.reluish_multiplier)
      .i32("output_multiplier", p.output_multiplier)
      .i32("reluish_exponent", p.reluish_exponent)
      .i32("output_exponent", p.output_exponent);
  const std::string params = ctx.params("TmHardSwishParams", init, sizeof(p));
  ctx.kernel("hard_swish.cc");
  unary_call(ctx, "tm_hard_swish", params);
  return Status::ok();
}

Status emit_leaky_relu(LayerContext& ctx) {
  TmLeakyReluParams p{};
  const TmStatus status = tm_leaky_relu_prepare(
      &ctx.op().attrs.u.leaky_relu, ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("count", p.count)
      .i32("input_offset", p.input_offset)
      .i32("output_offset", p.output_offset)
      .i32("identity_multiplier", p.identity_multiplier)
      .i32("identity_shift", p.identity_shift)
      .i32("alpha_multiplier", p.alpha_multiplier)
      .i32("alpha_shift", p.alpha_shift)
      .f32("alpha", p.alpha);
  const std::string params = ctx.params("TmLeakyReluParams", init, sizeof(p));
  ctx.kernel("leaky_relu.cc");
  unary_call(ctx, "tm_leaky_relu", params);
  return Status::ok();
}

Status emit_softmax(LayerContext& ctx) {
  std::vector<int16_t> exp_lut(TM_SOFTMAX_LUT_ENTRIES);
  std::vector<int16_t> reciprocal_lut(TM_SOFTMAX_LUT_ENTRIES);
  TmSoftmaxParams p{};
  const TmStatus status =
      tm_softmax_prepare(&ctx.op().attrs.u.softmax, ctx.input(0), ctx.output(0),
                         exp_lut.data(), reciprocal_lut.data(), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("outer_size", p.outer_size)
      .i32("depth", p.depth)
      .f32("beta", p.beta)
      .i32("input_multiplier", p.input_multiplier)
      .i32("input_left_shift", p.input_left_shift)
      .i32("diff_min", p.diff_min)
      .pointer("exp_lut",
               p.exp_lut ? ctx.array_i16("exp_lut", exp_lut) : std::string())
      .pointer("one_over_one_plus_x_lut",
               p.one_over_one_plus_x_lut
                   ? ctx.array_i16("one_over_one_plus_x_lut", reciprocal_lut)
                   : std::string());
  const std::string params = ctx.params("TmSoftmaxParams", init, sizeof(p));
  ctx.kernel("softmax.cc");
  const TmType in = ctx.input(0)->type;
  const char* function =
      in == kTmInt8    ? (ctx.output(0)->type == kTmInt16 ? "tm_softmax_s8_s16"
                                                          : "tm_softmax_s8")
      : in == kTmInt16 ? "tm_softmax_s16"
                       : "tm_softmax_f32";
  ctx.call(function, {params, ctx.in(0), ctx.out(0)});
  return Status::ok();
}

Status emit_quantize(LayerContext& ctx) {
  TmQuantizeParams p{};
  const TmStatus status = tm_quantize_prepare(ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("count", p.count)
      .field("input_type", type_enumerator(p.input_type))
      .field("output_type", type_enumerator(p.output_type))
      .f32("output_scale", p.output_scale)
      .i32("input_zero_point", p.input_zero_point)
      .i32("output_zero_point", p.output_zero_point)
      .i32("multiplier", p.multiplier)
      .i32("shift", p.shift)
      .i32("output_min", p.output_min)
      .i32("output_max", p.output_max);
  const std::string params = ctx.params("TmQuantizeParams", init, sizeof(p));
  ctx.kernel("quantize.cc");
  if (ctx.input(0)->type == kTmFloat32) {
    ctx.call("tm_quantize_f32", {params, ctx.in(0), ctx.out_void(0)});
  } else {
    ctx.call("tm_requantize", {params, ctx.in_void(0), ctx.out_void(0)});
  }
  return Status::ok();
}

Status emit_dequantize(LayerContext& ctx) {
  TmDequantizeParams p{};
  const TmStatus status =
      tm_dequantize_prepare(ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("count", p.count)
      .i32("zero_point", p.zero_point)
      .f64("scale", p.scale);
  const std::string params = ctx.params("TmDequantizeParams", init, sizeof(p));
  ctx.kernel("dequantize.cc");
  const TmType in = ctx.input(0)->type;
  const char* function = in == kTmInt8    ? "tm_dequantize_s8"
                         : in == kTmInt16 ? "tm_dequantize_s16"
                                          : "tm_dequantize_u8";
  ctx.call(function, {params, ctx.in(0), ctx.out(0)});
  return Status::ok();
}

}  // namespace

Status emit_activation(LayerContext& ctx) {
  switch (ctx.op().builtin_code) {
    case kTmOpRelu:
      return emit_relu(ctx, false);
    case kTmOpRelu6:
      return emit_relu(ctx, true);
    case kTmOpLogistic:
      return emit_sigmoid_like(ctx, false, tm_logistic_prepare);
    case kTmOpTanh:
      return emit_sigmoid_like(ctx, true, tm_tanh_prepare);
    case kTmOpHardSwish:
      return emit_hard_swish(ctx);
    case kTmOpLeakyRelu:
      return emit_leaky_relu(ctx);
    case kTmOpSoftmax:
      return emit_softmax(ctx);
    case kTmOpQuantize:
      return emit_quantize(ctx);
    case kTmOpDequantize:
      return emit_dequantize(ctx);
    default:
      return ctx.unsupported("not an activation");
  }
}

}  // namespace tierml::codegen
