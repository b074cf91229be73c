#include "kernels/transpose_conv.h"

#include <string.h>

#include "kernels/conv_quant.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"

namespace tierml {
namespace {

TmStatus check_types(const TmTensor* filter, const TmTensor* input,
                     const TmTensor* bias, const TmTensor* output) {
  if (output->type != input->type) return kTmErrorUnsupported;
  switch (input->type) {
    case kTmInt8:
      if (filter->type != kTmInt8) return kTmErrorUnsupported;
      if (bias != nullptr && bias->type != kTmInt32) return kTmErrorUnsupported;
      return kTmOk;
    case kTmInt16:
      if (filter->type != kTmInt8) return kTmErrorUnsupported;
      if (bias != nullptr && bias->type != kTmInt64 && bias->type != kTmInt16) {
        return kTmErrorUnsupported;
      }
      return kTmOk;
    case kTmFloat32:
      if (filter->type != kTmFloat32) return kTmErrorUnsupported;
      if (bias != nullptr && bias->type != kTmFloat32) {
        return kTmErrorUnsupported;
      }
      return kTmOk;
    default:
      return kTmErrorUnsupported;
  }
}

TmStatus check_output_shape(const TmTensor* output_shape,
                            const TmTensor* output) {
  if (output_shape == nullptr) return kTmOk;
  if (output_shape->type != kTmInt32 ||
      tm_shape_elements(&output_shape->shape) != 4) {
    return kTmErrorBadArgument;
  }
  if (output_shape->data == nullptr) return kTmOk;
  const int32_t* dims = static_cast<const int32_t*>(output_shape->data);
  for (int i = 0; i < 4; ++i) {
    if (dims[i] != output->shape.dims[i]) return kTmErrorBadArgument;
  }
  return kTmOk;
}

TmStatus fill_shapes(const TmTransposeConvAttrs& a, const TmTensor* filter,
                     const TmTensor* input, const TmTensor* bias,
                     const TmTensor* output, TmTransposeConvParams* p) {
  if (input->shape.rank != 4 || filter->shape.rank != 4 ||
      output->shape.rank != 4) {
    return kTmErrorBadArgument;
  }
  const int32_t* in = input->shape.dims;
  const int32_t* f = filter->shape.dims;
  const int32_t* out = output->shape.dims;
  p->batches = in[0];
  p->input_h = in[1];
  p->input_w = in[2];
  p->input_c = in[3];
  p->filter_h = f[1];
  p->filter_w = f[2];
  p->output_h = out[1];
  p->output_w = out[2];
  p->output_c = out[3];
  if (out[0] != p->batches || f[0] != p->output_c || f[3] != p->input_c) {
    return kTmErrorBadArgument;
  }
  if (bias != nullptr && tm_shape_elements(&bias->shape) != p->output_c) {
    return kTmErrorBadArgument;
  }
  if (a.stride_w < 1 || a.stride_h < 1 || p->filter_h < 1 || p->filter_w < 1) {
    return kTmErrorBadArgument;
  }
  p->stride_w = a.stride_w;
  p->stride_h = a.stride_h;
  // TFLite pads as for a convolution whose input is this operator's output.
  const int32_t conv_out_h =
      tm_window_out_size(a.padding, p->output_h, p->filter_h, a.stride_h, 1);
  const int32_t conv_out_w =
      tm_window_out_size(a.padding, p->output_w, p->filter_w, a.stride_w, 1);
  p->pad_h = tm_window_padding(a.stride_h, 1, p->output_h, p->filter_h,
                               conv_out_h, nullptr);
  p->pad_w = tm_window_padding(a.stride_w, 1, p->output_w, p->filter_w,
                               conv_out_w, nullptr);
  return kTmOk;
}

// Adds every input element times the filter into the output positions it
// reaches (positions outside the output are dropped), in TFLite's order.
template <typename In, typename W, typename Acc>
void scatter(const TmTransposeConvParams& p, const In* input, const W* filter,
             Acc input_offset, Acc* acc) {
  const int32_t out_elements = p.batches * p.output_h * p.output_w * p.output_c;
  memset(acc, 0, sizeof(Acc) * static_cast<size_t>(out_elements));
  const int32_t filter_row = p.filter_w * p.input_c;
  const int32_t filter_size = p.filter_h * filter_row;
  for (int32_t b = 0; b < p.batches; ++b) {
    Acc* image = acc + b * p.output_h * p.output_w * p.output_c;
    for (int32_t iy = 0; iy < p.input_h; ++iy) {
      const int32_t oy0 = iy * p.stride_h - p.pad_h;
      int32_t fy_lo, fy_hi;
      tm_window_taps(oy0, 1, p.output_h, p.filter_h, &fy_lo, &fy_hi);
      for (int32_t ix = 0; ix < p.input_w; ++ix) {
        const int32_t ox0 = ix * p.stride_w - p.pad_w;
        int32_t fx_lo, fx_hi;
        tm_window_taps(ox0, 1, p.output_w, p.filter_w, &fx_lo, &fx_hi);
        for (int32_t ic = 0; ic < p.input_c; ++ic) {
          const Acc x = static_cast<Acc>(*input++) + input_offset;
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
            for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
              Acc* out =
                  image + ((oy0 + fy) * p.output_w + ox0 + fx) * p.output_c;
              const W* w = filter + fy * filter_row + fx * p.input_c + ic;
              for (int32_t oc = 0; oc < p.output_c; ++oc) {
                out[oc] += x * static_cast<Acc>(w[oc * filter_size]);
              }
            }
          }
        }
      }
    }
  }
}

template <typename Acc, typename Bias, typename Out>
void finish_quantized(const TmTransposeConvParams& p, const Acc* acc,
                      const Bias* bias, int32_t output_offset, Out* output) {
  const int32_t pixels = p.batches * p.output_h * p.output_w;
  for (int32_t i = 0; i < pixels; ++i) {
    for (int32_t c = 0; c < p.output_c; ++c) {
      Acc a = *acc++;
      if (bias != nullptr) a += bias[c];
      const int32_t v =
          multiply_by_quantized_multiplier(a, p.multipliers[c], p.shifts[c]) +
          output_offset;
      *output++ = static_cast<Out>(clamp_i32(v, p.act_min, p.act_max));
    }
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_transpose_conv_prepare(
    const TmTransposeConvAttrs* attrs, const TmTensor* output_shape,
    const TmTensor* filter, const TmTensor* input, const TmTensor* bias,
    const TmTensor* output, int32_t* multipliers, int32_t* shifts,
    TmTransposeConvParams* params, size_t* scratch_bytes) {
  if (!attrs || !filter || !input || !output || !params || !scratch_bytes) {
    return kTmErrorBadArgument;
  }
  *params = TmTransposeConvParams{};
  *scratch_bytes = 0;
  TmStatus status = tierml::check_types(filter, input, bias, output);
  if (status != kTmOk) return status;
  status = tierml::fill_shapes(*attrs, filter, input, bias, output, params);
  if (status != kTmOk) return status;
  status = tierml::check_output_shape(output_shape, output);
  if (status != kTmOk) return status;

  if (input->type == kTmFloat32) {
    return tierml::activation_range_float(attrs->activation, &params->act_min_f,
                                          &params->act_max_f);
  }
  if (!multipliers || !shifts) return kTmErrorBadArgument;
  if (input->type == kTmInt16 &&
      (input->quant.zero_point != 0 || output->quant.zero_point != 0)) {
    return kTmErrorBadArgument;  // 16x8 is symmetric: no offsets
  }
  // Every output gathers at most filter_h * filter_w * input_c products.
  const int64_t taps =
      int64_t{params->filter_h} * params->filter_w * params->input_c;
  if (tierml::accumulator_overflow_channel(input, bias, params->output_c, taps,
                                           0, input->type == kTmInt16) >= 0) {
    return kTmErrorUnsupported;
  }
  status = tierml::per_channel_multipliers(
      input, filter, output, params->output_c, 0, multipliers, shifts);
  if (status != kTmOk) return status;
  status = tierml::activation_range_quantized(
      attrs->activation, output->type, output->quant.scales[0],
      output->quant.zero_point, &params->act_min, &params->act_max);
  if (status != kTmOk) return status;
  params->multipliers = multipliers;
  params->shifts = shifts;
  const size_t elements =
      static_cast<size_t>(tm_shape_elements(&output->shape));
  if (input->type == kTmInt8) {
    params->input_offset = -input->quant.zero_point;
    params->output_offset = output->quant.zero_point;
    *scratch_bytes = elements * sizeof(int32_t);
  } else {
    *scratch_bytes = elements * sizeof(int64_t);
  }
  return kTmOk;
}

void tm_transpose_conv_s8(const TmTransposeConvParams* p, const int8_t* input,
                          const int8_t* filter, const int32_t* bias,
                          int8_t* output, int32_t* scratch) {
  tierml::scatter(*p, input, filter, p->input_offset, scratch);
  tierml::finish_quantized(*p, scratch, bias, p->output_offset, output);
}

void tm_transpose_conv_s16(const TmTransposeConvParams* p, const int16_t* input,
                           const int8_t* filter, const int64_t* bias,
                           int16_t* output, int64_t* scratch) {
  tierml::scatter(*p, input, filter, int64_t{0}, scratch);
  tierml::finish_quantized(*p, scratch, bias, 0, output);
}

void tm_transpose_conv_s16_bias16(const TmTransposeConvParams* p,
                                  const int16_t* input, const int8_t* filter,
                                  const int16_t* bias, int16_t* output,
                                  int64_t* scratch) {
  tierml::scatter(*p, input, filter, int64_t{0}, scratch);
  tierml::finish_quantized(*p, scratch, bias, 0, output);
}

void tm_transpose_conv_f32(const TmTransposeConvParams* p, const float* input,
                           const float* filter, const float* bias,
                           float* output) {
  tierml::scatter(*p, input, filter, 0.0f, output);
  const int32_t pixels = p->batches * p->output_h * p->output_w;
  for (int32_t i = 0; i < pixels; ++i) {
    for (int32_t c = 0; c < p->output_c; ++c) {
      const float v = *output + (bias ? bias[c] : 0.0f);
      const float lo = v < p->act_min_f ? p->act_min_f : v;
      *output++ = lo > p->act_max_f ? p->act_max_f : lo;
    }
  }
}

}  // extern "C"
