// ADD, SUB, MUL and PRELU: two operands broadcast against the output; the
// broadcast strides and the requantization are fixed at compile time.
#include "codegen/layer_context.h"
#include "kernels/add.h"
#include "kernels/mul.h"
#include "kernels/prelu.h"
#include "kernels/sub.h"

namespace tierml::codegen {
namespace {

Initializer broadcast_init(const TmBroadcast& b) {
  Initializer init;
  init.i32("count", b.count)
      .i32("same", b.same)
      .i32s("dims", b.dims, TM_BROADCAST_DIMS)
      .i32s("stride1", b.stride1, TM_BROADCAST_DIMS)
      .i32s("stride2", b.stride2, TM_BROADCAST_DIMS);
  return init;
}

const char* suffix(TmType type) {
  return type == kTmInt8 ? "_s8" : type == kTmInt16 ? "_s16" : "_f32";
}

Status emit_add_sub(LayerContext& ctx, bool sub) {
  TmAddParams p{};
  const TmStatus status = (sub ? tm_sub_prepare : tm_add_prepare)(
      &ctx.op().attrs.u.elementwise, ctx.input(0), ctx.input(1), ctx.output(0),
      &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.nested("broadcast", broadcast_init(p.broadcast))
      .i32("left_shift", p.left_shift)
      .i32("input1_offset", p.input1_offset)
      .i32("input2_offset", p.input2_offset)
      .i32("output_offset", p.output_offset)
      .i32("input1_multiplier", p.input1_multiplier)
      .i32("input2_multiplier", p.input2_multiplier)
      .i32("output_multiplier", p.output_multiplier)
      .i32("input1_shift", p.input1_shift)
      .i32("input2_shift", p.input2_shift)
      .i32("output_shift", p.output_shift)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max)
      .f32("act_min_f", p.act_min_f)
      .f32("act_max_f", p.act_max_f);
  const std::string params =
      ctx.params(sub ? "TmSubParams" : "TmAddParams", init, sizeof(p));
  ctx.kernel(sub ? "sub.cc" : "add.cc");
  ctx.call(std::string(sub ? "tm_sub" : "tm_add") + suffix(ctx.output(0)->type),
           {params, ctx.in(0), ctx.in(1), ctx.out(0)});
  return Status::ok();
}

Status emit_mul(LayerContext& ctx) {
  TmMulParams p{};
  const TmStatus status =
      tm_mul_prepare(&ctx.op().attrs.u.elementwise, ctx.input(0), ctx.input(1),
                     ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.nested("broadcast", broadcast_init(p.broadcast))
      .i32("input1_offset", p.input1_offset)
      .i32("input2_offset", p.input2_offset)
      .i32("output_offset", p.output_offset)
      .i32("output_multiplier", p.output_multiplier)
      .i32("output_shift", p.output_shift)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max)
      .f32("act_min_f", p.act_min_f)
      .f32("act_max_f", p.act_max_f);
  const std::string params = ctx.params("TmMulParams", init, sizeof(p));
  ctx.kernel("mul.cc");
  ctx.call(std::string("tm_mul") + suffix(ctx.output(0)->type),
           {params, ctx.in(0), ctx.in(1), ctx.out(0)});
  return Status::ok();
}

Status emit_prelu(LayerContext& ctx) {
  TmPreluParams p{};
  const TmStatus status =
      tm_prelu_prepare(ctx.input(0), ctx.input(1), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.nested("broadcast", broadcast_init(p.broadcast))
      .i32("input_offset", p.input_offset)
      .i32("alpha_offset", p.alpha_offset)
      .i32("output_offset", p.output_offset)
      .i32("identity_multiplier", p.identity_multiplier)
      .i32("identity_shift", p.identity_shift)
      .i32("alpha_multiplier", p.alpha_multiplier)
      .i32("alpha_shift", p.alpha_shift);
  const std::string params = ctx.params("TmPreluParams", init, sizeof(p));
  ctx.kernel("prelu.cc");
  ctx.call(ctx.input(0)->type == kTmInt8 ? "tm_prelu_s8" : "tm_prelu_f32",
           {params, ctx.in(0), ctx.in(1), ctx.out(0)});
  return Status::ok();
}

}  // namespace

Status emit_elementwise(LayerContext& ctx) {
  switch (ctx.op().builtin_code) {
    case kTmOpAdd:
      return emit_add_sub(ctx, false);
    case kTmOpSub:
      return emit_add_sub(ctx, true);
    case kTmOpMul:
      return emit_mul(ctx);
    case kTmOpPrelu:
      return emit_prelu(ctx);
    default:
      return ctx.unsupported("not an elementwise operator");
  }
}

}  // namespace tierml::codegen
