#include "kernels/conv.h"

#include "kernels/conv_quant.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"

namespace tierml {
namespace {

bool bias_type_ok(TmType input, const TmTensor* bias) {
  if (bias == nullptr) return true;
  switch (input) {
    case kTmInt8:
      return bias->type == kTmInt32;
    case kTmInt16:
      return bias->type == kTmInt64 || bias->type == kTmInt32;
    case kTmFloat32:
      return bias->type == kTmFloat32;
    default:
      return false;
  }
}

TmStatus check_types(const TmTensor* input, const TmTensor* filter,
                     const TmTensor* bias, const TmTensor* output) {
  if (output->type != input->type) return kTmErrorUnsupported;
  switch (input->type) {
    case kTmInt8:
    case kTmInt16:
      if (filter->type != kTmInt8) return kTmErrorUnsupported;
      break;
    case kTmFloat32:
      if (filter->type != kTmFloat32) return kTmErrorUnsupported;
      break;
    default:
      return kTmErrorUnsupported;
  }
  return bias_type_ok(input->type, bias) ? kTmOk : kTmErrorUnsupported;
}

TmStatus fill_shapes(const TmConvAttrs& a, const TmTensor* input,
                     const TmTensor* filter, const TmTensor* bias,
                     const TmTensor* output, TmConvParams* p) {
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
  p->output_c = f[0];
  p->filter_h = f[1];
  p->filter_w = f[2];
  p->filter_c = f[3];
  p->output_h = out[1];
  p->output_w = out[2];
  if (out[0] != p->batches || out[3] != p->output_c) return kTmErrorBadArgument;
  if (p->filter_c <= 0 || p->input_c % p->filter_c != 0) {
    return kTmErrorBadArgument;
  }
  const int32_t groups = p->input_c / p->filter_c;
  if (groups <= 0 || p->output_c % groups != 0) return kTmErrorBadArgument;
  p->filters_per_group = p->output_c / groups;
  if (bias != nullptr && tm_shape_elements(&bias->shape) != p->output_c) {
    return kTmErrorBadArgument;
  }
  p->stride_w = a.stride_w;
  p->stride_h = a.stride_h;
  p->dilation_w = a.dilation_w;
  p->dilation_h = a.dilation_h;
  if (a.stride_w < 1 || a.stride_h < 1 || a.dilation_w < 1 ||
      a.dilation_h < 1 || p->filter_h < 1 || p->filter_w < 1) {
    return kTmErrorBadArgument;
  }
  const int32_t out_h = tm_window_out_size(a.padding, p->input_h, p->filter_h,
                                           a.stride_h, a.dilation_h);
  const int32_t out_w = tm_window_out_size(a.padding, p->input_w, p->filter_w,
                                           a.stride_w, a.dilation_w);
  if (out_h != p->output_h || out_w != p->output_w) return kTmErrorBadArgument;
  p->pad_h = tm_window_padding(a.stride_h, a.dilation_h, p->input_h,
                               p->filter_h, out_h, nullptr);
  p->pad_w = tm_window_padding(a.stride_w, a.dilation_w, p->input_w,
                               p->filter_w, out_w, nullptr);
  return kTmOk;
}

// bias + input_offset * (sum of each output channel's weights).
void fold_bias(const TmConvParams& p, const int8_t* filter, const int32_t* bias,
               int32_t* folded) {
  const int32_t taps = p.filter_h * p.filter_w * p.filter_c;
  for (int32_t c = 0; c < p.output_c; ++c) {
    int32_t sum = 0;
    for (int32_t i = 0; i < taps; ++i) sum += filter[c * taps + i];
    folded[c] = (bias ? bias[c] : 0) + p.input_offset * sum;
  }
}

// One loop nest for every type: Acc is the accumulator, finish(acc, channel)
// requantizes (or clamps) one accumulated output. Taps falling in the padding
// are skipped, as in TFLite; where the whole window is inside the input and
// folded is given, the input offset comes from the folded bias instead.
template <typename In, typename W, typename Acc, typename Out, typename Finish>
void conv_loop(const TmConvParams& p, const In* input, const W* filter,
               const Acc* bias, const Acc* folded, Acc input_offset,
               Out* output, Finish finish) {
  const int32_t row = p.input_w * p.input_c;
  const int32_t filter_row = p.filter_w * p.filter_c;
  const int32_t filter_size = p.filter_h * filter_row;
  for (int32_t b = 0; b < p.batches; ++b) {
    const In* image = input + b * p.input_h * row;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      int32_t fy_lo, fy_hi;
      tm_window_taps(iy0, p.dilation_h, p.input_h, p.filter_h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < p.output_w; ++ox) {
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        int32_t fx_lo, fx_hi;
        tm_window_taps(ix0, p.dilation_w, p.input_w, p.filter_w, &fx_lo,
                       &fx_hi);
        const bool whole = fy_lo == 0 && fy_hi == p.filter_h && fx_lo == 0 &&
                           fx_hi == p.filter_w;
        const bool use_folded = whole && folded != nullptr;
        const Acc offset = use_folded ? Acc(0) : input_offset;
        for (int32_t oc = 0; oc < p.output_c; ++oc) {
          const int32_t in_c0 = (oc / p.filters_per_group) * p.filter_c;
          const W* f = filter + oc * filter_size;
          Acc acc = 0;
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
            const In* in_row = image + (iy0 + p.dilation_h * fy) * row + in_c0;
            const W* f_row = f + fy * filter_row;
            for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
              const In* x = in_row + (ix0 + p.dilation_w * fx) * p.input_c;
              const W* w = f_row + fx * p.filter_c;
              for (int32_t ic = 0; ic < p.filter_c; ++ic) {
                acc += static_cast<Acc>(w[ic]) *
                       (static_cast<Acc>(x[ic]) + offset);
              }
            }
          }
          if (use_folded) {
            acc += folded[oc];
          } else if (bias != nullptr) {
            acc += bias[oc];
          }
          *output++ = finish(acc, oc);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_conv_prepare(const TmConvAttrs* attrs, const TmTensor* input,
                         const TmTensor* filter, const TmTensor* bias,
                         const TmTensor* output, int32_t* multipliers,
                         int32_t* shifts, int32_t* folded_bias,
                         TmConvParams* params) {
  if (!attrs || !input || !filter || !output || !params) {
    return kTmErrorBadArgument;
  }
  *params = TmConvParams{};
  TmStatus status = tierml::check_types(input, filter, bias, output);
  if (status != kTmOk) return status;
  status = tierml::fill_shapes(*attrs, input, filter, bias, output, params);
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
  status = tierml::per_channel_multipliers(
      input, filter, output, params->output_c, 0, multipliers, shifts);
  if (status != kTmOk) return status;
  status = tierml::activation_range_quantized(
      attrs->activation, output->type, output->quant.scales[0],
      output->quant.zero_point, &params->act_min, &params->act_max);
  if (status != kTmOk) return status;
  params->multipliers = multipliers;
  params->shifts = shifts;
  if (input->type == kTmInt8) {
    params->input_offset = -input->quant.zero_point;
    params->output_offset = output->quant.zero_point;
    const bool constant =
        filter->data != nullptr && (bias == nullptr || bias->data != nullptr);
    if (folded_bias != nullptr && constant) {
      tierml::fold_bias(
          *params, static_cast<const int8_t*>(filter->data),
          bias ? static_cast<const int32_t*>(bias->data) : nullptr,
          folded_bias);
      params->folded_bias = folded_bias;
    }
  }
  return kTmOk;
}

void tm_conv_s8(const TmConvParams* p, const int8_t* input,
                const int8_t* filter, const int32_t* bias, int8_t* output) {
  tierml::conv_loop(*p, input, filter, bias, p->folded_bias, p->input_offset,
                    output, [p](int32_t acc, int32_t c) {
                      const int32_t v =
                          tierml::multiply_by_quantized_multiplier(
                              acc, p->multipliers[c], p->shifts[c]) +
                          p->output_offset;
                      return static_cast<int8_t>(
                          tierml::clamp_i32(v, p->act_min, p->act_max));
                    });
}

void tm_conv_s16(const TmConvParams* p, const int16_t* input,
                 const int8_t* filter, const int64_t* bias, int16_t* output) {
  tierml::conv_loop(
      *p, input, filter, bias, static_cast<const int64_t*>(nullptr), int64_t{0},
      output, [p](int64_t acc, int32_t c) {
        const int32_t v = tierml::multiply_by_quantized_multiplier(
            acc, p->multipliers[c], p->shifts[c]);
        return static_cast<int16_t>(
            tierml::clamp_i32(v, p->act_min, p->act_max));
      });
}

void tm_conv_s16_acc32(const TmConvParams* p, const int16_t* input,
                       const int8_t* filter, const int32_t* bias,
                       int16_t* output) {
  tierml::conv_loop(
      *p, input, filter, bias, static_cast<const int32_t*>(nullptr), int32_t{0},
      output, [p](int32_t acc, int32_t c) {
        const int32_t v = tierml::multiply_by_quantized_multiplier(
            acc, p->multipliers[c], p->shifts[c]);
        return static_cast<int16_t>(
            tierml::clamp_i32(v, p->act_min, p->act_max));
      });
}

void tm_conv_f32(const TmConvParams* p, const float* input, const float* filter,
                 const float* bias, float* output) {
  tierml::conv_loop(*p, input, filter, static_cast<const float*>(nullptr),
                    static_cast<const float*>(nullptr), 0.0f, output,
                    [p, bias](float acc, int32_t c) {
                      // TFLite adds the bias after the sum, then clamps.
                      const float v = acc + (bias ? bias[c] : 0.0f);
                      const float lo = v < p->act_min_f ? p->act_min_f : v;
                      return lo > p->act_max_f ? p->act_max_f : lo;
                    });
}

}  // extern "C"
