// Operators that move bytes (reshapes, pad, slices, transpose,
// concatenation) and the reductions (pooling, mean). Index inputs (shapes,
// paddings, begin/end/strides, axes, permutations) are consumed here at
// compile time and never reach the generated constants.
#include <cstring>
#include <vector>

#include "codegen/layer_context.h"
#include "kernels/concatenation.h"
#include "kernels/mean.h"
#include "kernels/pad.h"
#include "kernels/pooling.h"
#include "kernels/reshape.h"
#include "kernels/strided_slice.h"
#include "kernels/transpose.h"

namespace tierml::codegen {
namespace {

const char* suffix(TmType type) {
  switch (type) {
    case kTmInt8:
      return "_s8";
    case kTmInt16:
      return "_s16";
    case kTmInt32:
      return "_i32";
    default:
      return "_f32";
  }
}

Status emit_reshape(LayerContext& ctx) {
  size_t bytes = 0;
  const TmStatus status =
      tm_reshape_prepare(ctx.input(0), ctx.output(0), &bytes);
  if (status != kTmOk) return ctx.prepare_failed(status);
  if (ctx.same_bytes(0, 0)) {
    ctx.statement("/* the plan keeps input and output in the same bytes */");
    return Status::ok();
  }
  ctx.kernel("reshape.cc");
  ctx.call("tm_reshape",
           {ctx.in_void(0), ctx.out_void(0), std::to_string(bytes) + "u"});
  return Status::ok();
}

Status emit_pool(LayerContext& ctx) {
  TmPoolParams p{};
  const TmStatus status =
      tm_pool_prepare(&ctx.op().attrs.u.pool, ctx.input(0), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("batches", p.batches)
      .i32("depth", p.depth)
      .i32("input_h", p.input_h)
      .i32("input_w", p.input_w)
      .i32("output_h", p.output_h)
      .i32("output_w", p.output_w)
      .i32("filter_h", p.filter_h)
      .i32("filter_w", p.filter_w)
      .i32("stride_h", p.stride_h)
      .i32("stride_w", p.stride_w)
      .i32("pad_h", p.pad_h)
      .i32("pad_w", p.pad_w)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max)
      .f32("act_min_f", p.act_min_f)
      .f32("act_max_f", p.act_max_f);
  const std::string params = ctx.params("TmPoolParams", init, sizeof(p));
  ctx.kernel("pooling.cc");
  const bool average = ctx.op().builtin_code == kTmOpAveragePool2d;
  ctx.call(std::string(average ? "tm_average_pool" : "tm_max_pool") +
               suffix(ctx.input(0)->type),
           {params, ctx.in(0), ctx.out(0)});
  return Status::ok();
}

// The fill of PAD/PADV2 as a C expression of the input's type.
std::string pad_fill(LayerContext& ctx, const TmPadParams& p) {
  const TmTensor* input = ctx.input(0);
  const std::string type = c_type_name(input->type);
  const TmTensor* constant = ctx.num_inputs() == 3 ? ctx.input(2) : nullptr;
  if (constant == nullptr) {
    return input->type == kTmFloat32
               ? "0.0f"
               : std::string("(") + type + ")" + int_literal(p.default_pad);
  }
  if (constant->data == nullptr) return std::string("*") + ctx.in(2);
  const uint8_t* bytes = static_cast<const uint8_t*>(constant->data);
  switch (input->type) {
    case kTmInt8:
      return "(int8_t)" + int_literal(static_cast<int8_t>(bytes[0]));
    case kTmInt16: {
      int16_t v;
      std::memcpy(&v, bytes, sizeof(v));
      return "(int16_t)" + int_literal(v);
    }
    case kTmInt32: {
      int32_t v;
      std::memcpy(&v, bytes, sizeof(v));
      return int_literal(v);
    }
    default: {
      float v;
      std::memcpy(&v, bytes, sizeof(v));
      return float_literal(v);
    }
  }
}

Status emit_pad(LayerContext& ctx) {
  const TmTensor* constant = ctx.num_inputs() == 3 ? ctx.input(2) : nullptr;
  TmPadParams p{};
  const TmStatus status =
      tm_pad_prepare(ctx.input(0), ctx.input(1), constant, ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32s("input_dims", p.input_dims, TM_MAX_DIMS)
      .i32s("output_dims", p.output_dims, TM_MAX_DIMS)
      .i32s("left", p.left, TM_MAX_DIMS)
      .i32("default_pad", p.default_pad);
  const std::string params = ctx.params("TmPadParams", init, sizeof(p));
  ctx.kernel("pad.cc");
  ctx.call(std::string("tm_pad") + suffix(ctx.input(0)->type),
           {params, ctx.in(0), pad_fill(ctx, p), ctx.out(0)});
  return Status::ok();
}

Status emit_strided_slice(LayerContext& ctx) {
  const TmTensor* begin = ctx.input(1);
  const TmTensor* end = ctx.input(2);
  const TmTensor* strides = ctx.input(3);
  if (begin->data == nullptr || end->data == nullptr ||
      strides->data == nullptr) {
    return ctx.unsupported("begin, end and strides must be constant");
  }
  TmStridedSliceParams p{};
  const TmStatus status =
      tm_strided_slice_prepare(&ctx.op().attrs.u.strided_slice, ctx.input(0),
                               static_cast<const int32_t*>(begin->data),
                               static_cast<const int32_t*>(end->data),
                               static_cast<const int32_t*>(strides->data),
                               begin->shape.dims[0], ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("first", p.first)
      .i32s("count", p.count, TM_STRIDED_SLICE_MAX_DIMS)
      .i32s("step", p.step, TM_STRIDED_SLICE_MAX_DIMS);
  const std::string params =
      ctx.params("TmStridedSliceParams", init, sizeof(p));
  ctx.kernel("strided_slice.cc");
  ctx.call(std::string("tm_strided_slice") + suffix(ctx.input(0)->type),
           {params, ctx.in(0), ctx.out(0)});
  return Status::ok();
}

Status emit_transpose(LayerContext& ctx) {
  const TmTensor* perm = ctx.input(1);
  if (perm->data == nullptr) return ctx.unsupported("perm must be constant");
  TmTransposeParams p{};
  const TmStatus status = tm_transpose_prepare(
      ctx.input(0), static_cast<const int32_t*>(perm->data),
      tm_shape_elements(&perm->shape), ctx.output(0), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32s("count", p.count, TM_MAX_DIMS).i32s("step", p.step, TM_MAX_DIMS);
  const std::string params = ctx.params("TmTransposeParams", init, sizeof(p));
  ctx.kernel("transpose.cc");
  ctx.call(std::string("tm_transpose") + suffix(ctx.input(0)->type),
           {params, ctx.in(0), ctx.out(0)});
  return Status::ok();
}

Status emit_concatenation(LayerContext& ctx) {
  const int32_t n = ctx.num_inputs();
  std::vector<const TmTensor*> inputs;
  for (int32_t i = 0; i < n; ++i) inputs.push_back(ctx.input(i));
  std::vector<int32_t> inner(static_cast<size_t>(n));
  TmConcatenationParams p{};
  const TmStatus status =
      tm_concatenation_prepare(&ctx.op().attrs.u.concatenation, inputs.data(),
                               n, ctx.output(0), inner.data(), &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("num_inputs", p.num_inputs)
      .i32("outer", p.outer)
      .pointer("inner", ctx.array_i32("inner", inner));
  const std::string params =
      ctx.params("TmConcatenationParams", init, sizeof(p));
  ctx.kernel("concatenation.cc");
  // The input pointers depend on the arena's address: a local array.
  std::string list;
  for (int32_t i = 0; i < n; ++i) {
    list += (i ? ", " : "") + ctx.in_void(i);
  }
  const std::string array = ctx.name("inputs");
  ctx.statement("{");
  ctx.statement("  const void* const " + array + "[" + std::to_string(n) +
                "] = {" + list + "};");
  ctx.call(std::string("  tm_concatenation") + suffix(ctx.output(0)->type),
           {params, array, ctx.out(0)});
  ctx.statement("}");
  return Status::ok();
}

Status emit_mean(LayerContext& ctx) {
  const TmTensor* axis = ctx.input(1);
  if (axis->data == nullptr || axis->type != kTmInt32) {
    return ctx.unsupported("axis must be a constant INT32 tensor");
  }
  TmMeanParams p{};
  size_t scratch_bytes = 0;
  const TmStatus status = tm_mean_prepare(
      &ctx.op().attrs.u.reducer, ctx.input(0),
      static_cast<const int32_t*>(axis->data), tm_shape_elements(&axis->shape),
      ctx.output(0), &p, &scratch_bytes);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32s("count", p.count, TM_MAX_DIMS)
      .i32s("out_step", p.out_step, TM_MAX_DIMS)
      .i32("num_outputs", p.num_outputs)
      .i32("num_reduced", p.num_reduced)
      .i32("input_zero_point", p.input_zero_point)
      .i32("output_zero_point", p.output_zero_point)
      .i32("multiplier", p.multiplier)
      .i32("shift", p.shift);
  const std::string params = ctx.params("TmMeanParams", init, sizeof(p));
  ctx.kernel("mean.cc");
  const TmType type = ctx.input(0)->type;
  if (type == kTmFloat32) {
    ctx.call("tm_mean_f32", {params, ctx.in(0), ctx.out(0)});
    return Status::ok();
  }
  auto scratch = ctx.scratch("int32_t", static_cast<int64_t>(scratch_bytes));
  if (!scratch) return scratch.status();
  ctx.call(type == kTmInt8 ? "tm_mean_s8" : "tm_mean_s16",
           {params, ctx.in(0), ctx.out(0), *scratch});
  return Status::ok();
}

}  // namespace

Status emit_data_movement(LayerContext& ctx) {
  switch (ctx.op().builtin_code) {
    case kTmOpReshape:
    case kTmOpSqueeze:
    case kTmOpExpandDims:
      return emit_reshape(ctx);
    case kTmOpAveragePool2d:
    case kTmOpMaxPool2d:
      return emit_pool(ctx);
    case kTmOpPad:
    case kTmOpPadV2:
      return emit_pad(ctx);
    case kTmOpStridedSlice:
      return emit_strided_slice(ctx);
    case kTmOpTranspose:
      return emit_transpose(ctx);
    case kTmOpConcatenation:
      return emit_concatenation(ctx);
    case kTmOpMean:
      return emit_mean(ctx);
    default:
      return ctx.unsupported("not a data movement operator");
  }
}

}  // namespace tierml::codegen
