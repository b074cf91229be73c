// CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED: per-channel
// multipliers and shifts, and for int8 the input offset folded into the bias
// (bias + input_offset * sum of each channel's weights), all computed by the
// kernels' own prepare functions here on the host.
#include <vector>

#include "codegen/layer_context.h"
#include "kernels/conv.h"
#include "kernels/depthwise_conv.h"
#include "kernels/fully_connected.h"
#include "kernels/transpose_conv.h"

namespace tierml::codegen {
namespace {

struct ChannelArrays {
  std::vector<int32_t> multipliers, shifts, folded;
  explicit ChannelArrays(int32_t channels)
      : multipliers(static_cast<size_t>(channels > 0 ? channels : 1)),
        shifts(multipliers.size()),
        folded(multipliers.size()) {}
};

// Name of the emitted copy of a per-channel array the kernel filled, or ""
// when the params do not point to it.
std::string channel_array(LayerContext& ctx, const int32_t* used,
                          const std::vector<int32_t>& values, int32_t count,
                          const char* what) {
  if (used == nullptr) return "";
  return ctx.array_i32(
      what, std::vector<int32_t>(values.begin(), values.begin() + count));
}

// Every window of the layer lies inside the input, so the int8 kernel takes
// the folded bias everywhere and never reads the plain one.
bool windows_inside(int32_t pad_h, int32_t pad_w, int32_t in_h, int32_t in_w,
                    int32_t out_h, int32_t out_w, int32_t filter_h,
                    int32_t filter_w, int32_t stride_h, int32_t stride_w,
                    int32_t dilation_h, int32_t dilation_w) {
  return pad_h == 0 && pad_w == 0 &&
         (out_h - 1) * stride_h + (filter_h - 1) * dilation_h + 1 <= in_h &&
         (out_w - 1) * stride_w + (filter_w - 1) * dilation_w + 1 <= in_w;
}

// The fields TmConvParams and TmDepthwiseConvParams share by name: window
// geometry, offsets, clamp range and the per-channel arrays.
template <typename Params>
void add_window_fields(Initializer& init, LayerContext& ctx, const Params& p,
                       const ChannelArrays& arrays, int32_t channels) {
  init.i32("stride_w", p.stride_w)
      .i32("stride_h", p.stride_h)
      .i32("dilation_w", p.dilation_w)
      .i32("dilation_h", p.dilation_h)
      .i32("pad_w", p.pad_w)
      .i32("pad_h", p.pad_h)
      .i32("input_offset", p.input_offset)
      .i32("output_offset", p.output_offset)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max)
      .f32("act_min_f", p.act_min_f)
      .f32("act_max_f", p.act_max_f)
      .pointer("multipliers",
               channel_array(ctx, p.multipliers, arrays.multipliers, channels,
                             "multipliers"))
      .pointer("shifts",
               channel_array(ctx, p.shifts, arrays.shifts, channels, "shifts"))
      .pointer("folded_bias", channel_array(ctx, p.folded_bias, arrays.folded,
                                            channels, "folded_bias"));
}

// The plain bias is read unless the folded one covers every window.
template <typename Params>
bool window_bias_read(const TmTensor* bias, const Params& p) {
  return bias != nullptr &&
         !(p.folded_bias != nullptr &&
           windows_inside(p.pad_h, p.pad_w, p.input_h, p.input_w, p.output_h,
                          p.output_w, p.filter_h, p.filter_w, p.stride_h,
                          p.stride_w, p.dilation_h, p.dilation_w));
}

std::string bias_arg(LayerContext& ctx, int index, bool needed) {
  return needed ? ctx.in(index) : "NULL";
}

Status emit_conv(LayerContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* filter = ctx.input(1);
  const TmTensor* bias = ctx.input(2);
  const int32_t channels = filter->shape.dims[0];
  ChannelArrays arrays(channels);
  const bool quantized = input->type != kTmFloat32;
  const bool fold = input->type == kTmInt8 && filter->data != nullptr;
  TmConvParams p{};
  const TmStatus status = tm_conv_prepare(
      &ctx.op().attrs.u.conv, input, filter, bias, ctx.output(0),
      quantized ? arrays.multipliers.data() : nullptr,
      quantized ? arrays.shifts.data() : nullptr,
      fold ? arrays.folded.data() : nullptr, &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("batches", p.batches)
      .i32("input_h", p.input_h)
      .i32("input_w", p.input_w)
      .i32("input_c", p.input_c)
      .i32("filter_h", p.filter_h)
      .i32("filter_w", p.filter_w)
      .i32("filter_c", p.filter_c)
      .i32("output_h", p.output_h)
      .i32("output_w", p.output_w)
      .i32("output_c", p.output_c)
      .i32("filters_per_group", p.filters_per_group);
  add_window_fields(init, ctx, p, arrays, channels);
  const std::string params = ctx.params("TmConvParams", init, sizeof(p));
  ctx.kernel("conv.cc");
  const std::string b = bias_arg(ctx, 2, window_bias_read(bias, p));
  switch (input->type) {
    case kTmInt8:
      ctx.call("tm_conv_s8", {params, ctx.in(0), ctx.in(1), b, ctx.out(0)});
      break;
    case kTmInt16:
      ctx.call(bias != nullptr && bias->type == kTmInt64 ? "tm_conv_s16"
                                                         : "tm_conv_s16_acc32",
               {params, ctx.in(0), ctx.in(1), b, ctx.out(0)});
      break;
    default:
      ctx.call("tm_conv_f32", {params, ctx.in(0), ctx.in(1), b, ctx.out(0)});
      break;
  }
  return Status::ok();
}

Status emit_depthwise(LayerContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* filter = ctx.input(1);
  const TmTensor* bias = ctx.input(2);
  const int32_t channels = filter->shape.dims[3];
  ChannelArrays arrays(channels);
  const bool quantized = input->type != kTmFloat32;
  const bool fold = input->type == kTmInt8 && filter->data != nullptr;
  TmDepthwiseConvParams p{};
  const TmStatus status = tm_depthwise_conv_prepare(
      &ctx.op().attrs.u.depthwise, input, filter, bias, ctx.output(0),
      quantized ? arrays.multipliers.data() : nullptr,
      quantized ? arrays.shifts.data() : nullptr,
      fold ? arrays.folded.data() : nullptr, &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("batches", p.batches)
      .i32("input_h", p.input_h)
      .i32("input_w", p.input_w)
      .i32("input_c", p.input_c)
      .i32("filter_h", p.filter_h)
      .i32("filter_w", p.filter_w)
      .i32("output_h", p.output_h)
      .i32("output_w", p.output_w)
      .i32("output_c", p.output_c)
      .i32("depth_multiplier", p.depth_multiplier);
  add_window_fields(init, ctx, p, arrays, channels);
  const std::string params =
      ctx.params("TmDepthwiseConvParams", init, sizeof(p));
  ctx.kernel("depthwise_conv.cc");
  const std::string b = bias_arg(ctx, 2, window_bias_read(bias, p));
  const char* function = input->type == kTmInt8    ? "tm_depthwise_conv_s8"
                         : input->type == kTmInt16 ? "tm_depthwise_conv_s16"
                                                   : "tm_depthwise_conv_f32";
  ctx.call(function, {params, ctx.in(0), ctx.in(1), b, ctx.out(0)});
  return Status::ok();
}

Status emit_fully_connected(LayerContext& ctx) {
  const TmTensor* input = ctx.input(0);
  const TmTensor* filter = ctx.input(1);
  const TmTensor* bias = ctx.input(2);
  const int32_t units = filter->shape.dims[0];
  const int32_t count = tm_fully_connected_multiplier_count(input, filter);
  ChannelArrays arrays(units);
  const bool quantized = input->type != kTmFloat32;
  const bool fold = input->type == kTmInt8 && filter->data != nullptr;
  TmFullyConnectedParams p{};
  const TmStatus status = tm_fully_connected_prepare(
      &ctx.op().attrs.u.fully_connected, input, filter, bias, ctx.output(0),
      quantized ? arrays.multipliers.data() : nullptr,
      quantized ? arrays.shifts.data() : nullptr,
      fold ? arrays.folded.data() : nullptr, &p);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("batches", p.batches)
      .i32("depth", p.depth)
      .i32("units", p.units)
      .i32("input_offset", p.input_offset)
      .i32("filter_offset", p.filter_offset)
      .i32("output_offset", p.output_offset)
      .i32("per_channel", p.per_channel)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max)
      .f32("act_min_f", p.act_min_f)
      .f32("act_max_f", p.act_max_f)
      .pointer("multipliers",
               channel_array(ctx, p.multipliers, arrays.multipliers, count,
                             "multipliers"))
      .pointer("shifts",
               channel_array(ctx, p.shifts, arrays.shifts, count, "shifts"))
      .pointer("folded_bias", channel_array(ctx, p.folded_bias, arrays.folded,
                                            units, "folded_bias"));
  const std::string params =
      ctx.params("TmFullyConnectedParams", init, sizeof(p));
  ctx.kernel("fully_connected.cc");
  // With a folded bias the int8 kernel never reads the plain one.
  const std::string b =
      bias_arg(ctx, 2, bias != nullptr && p.folded_bias == nullptr);
  const char* function = input->type == kTmInt8    ? "tm_fully_connected_s8"
                         : input->type == kTmInt16 ? "tm_fully_connected_s16"
                                                   : "tm_fully_connected_f32";
  ctx.call(function, {params, ctx.in(0), ctx.in(1), b, ctx.out(0)});
  return Status::ok();
}

Status emit_transpose_conv(LayerContext& ctx) {
  const TmTensor* filter = ctx.input(1);
  const TmTensor* input = ctx.input(2);
  const TmTensor* bias = ctx.input(3);
  const int32_t channels = filter->shape.dims[0];
  ChannelArrays arrays(channels);
  const bool quantized = input->type != kTmFloat32;
  TmTransposeConvParams p{};
  size_t scratch_bytes = 0;
  const TmStatus status = tm_transpose_conv_prepare(
      &ctx.op().attrs.u.transpose_conv, ctx.input(0), filter, input, bias,
      ctx.output(0), quantized ? arrays.multipliers.data() : nullptr,
      quantized ? arrays.shifts.data() : nullptr, &p, &scratch_bytes);
  if (status != kTmOk) return ctx.prepare_failed(status);
  Initializer init;
  init.i32("batches", p.batches)
      .i32("input_h", p.input_h)
      .i32("input_w", p.input_w)
      .i32("input_c", p.input_c)
      .i32("filter_h", p.filter_h)
      .i32("filter_w", p.filter_w)
      .i32("output_h", p.output_h)
      .i32("output_w", p.output_w)
      .i32("output_c", p.output_c)
      .i32("stride_w", p.stride_w)
      .i32("stride_h", p.stride_h)
      .i32("pad_w", p.pad_w)
      .i32("pad_h", p.pad_h)
      .i32("input_offset", p.input_offset)
      .i32("output_offset", p.output_offset)
      .i32("act_min", p.act_min)
      .i32("act_max", p.act_max)
      .f32("act_min_f", p.act_min_f)
      .f32("act_max_f", p.act_max_f)
      .pointer("multipliers",
               channel_array(ctx, p.multipliers, arrays.multipliers, channels,
                             "multipliers"))
      .pointer("shifts",
               channel_array(ctx, p.shifts, arrays.shifts, channels, "shifts"));
  const std::string params =
      ctx.params("TmTransposeConvParams", init, sizeof(p));
  ctx.kernel("transpose_conv.cc");
  const std::string b = bias_arg(ctx, 3, bias != nullptr);
  switch (input->type) {
    case kTmInt8: {
      auto scratch =
          ctx.scratch("int32_t", static_cast<int64_t>(scratch_bytes));
      if (!scratch) return scratch.status();
      ctx.call("tm_transpose_conv_s8",
               {params, ctx.in(2), ctx.in(1), b, ctx.out(0), *scratch});
      break;
    }
    case kTmInt16: {
      auto scratch =
          ctx.scratch("int64_t", static_cast<int64_t>(scratch_bytes));
      if (!scratch) return scratch.status();
      ctx.call(bias != nullptr && bias->type == kTmInt16
                   ? "tm_transpose_conv_s16_bias16"
                   : "tm_transpose_conv_s16",
               {params, ctx.in(2), ctx.in(1), b, ctx.out(0), *scratch});
      break;
    }
    default:
      ctx.call("tm_transpose_conv_f32",
               {params, ctx.in(2), ctx.in(1), b, ctx.out(0)});
      break;
  }
  return Status::ok();
}

}  // namespace

Status emit_conv_family(LayerContext& ctx) {
  switch (ctx.op().builtin_code) {
    case kTmOpConv2d:
      return emit_conv(ctx);
    case kTmOpDepthwiseConv2d:
      return emit_depthwise(ctx);
    case kTmOpFullyConnected:
      return emit_fully_connected(ctx);
    case kTmOpTransposeConv:
      return emit_transpose_conv(ctx);
    default:
      return ctx.unsupported("not a convolution");
  }
}

}  // namespace tierml::codegen
