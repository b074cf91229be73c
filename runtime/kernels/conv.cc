#include "kernels/conv.h"

#include "kernels/conv_quant.h"
#include "kernels/int8_dot.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"
#include "kernels/x86/f32_avx2.h"

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

// One loop nest for the int16 and float kernels: Acc is the accumulator,
// finish(acc, channel) requantizes (or clamps) one accumulated output. Taps
// falling in the padding are skipped, as in TFLite.
template <typename In, typename W, typename Acc, typename Out, typename Finish>
void conv_loop(const TmConvParams& p, const In* input, const W* filter,
               const Acc* bias, Out* output, Finish finish) {
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
                acc += static_cast<Acc>(w[ic]) * static_cast<Acc>(x[ic]);
              }
            }
          }
          if (bias != nullptr) acc += bias[oc];
          *output++ = finish(acc, oc);
        }
      }
    }
  }
}

// The part of one output pixel's window that lies inside the input: rows x
// cols taps starting at input x and filter offset w_first.
struct Window {
  const int8_t* x;
  int32_t rows, cols;
  int32_t w_first;
};

// The int8 outputs of one pixel, all channels. init holds each channel's
// starting sum (the folded bias, the bias, or NULL for zero). With kOffset
// the input offset is added to every input value, as TFLite does; without,
// init must already account for it (folded bias, whole window).
template <bool kOffset>
void conv_pixel_s8(const TmConvParams& p, const Window& win,
                   const int8_t* filter, const int32_t* init, int8_t* out) {
  const int32_t filter_row = p.filter_w * p.filter_c;
  const int32_t filter_size = p.filter_h * filter_row;
  const int32_t x_row_step = p.dilation_h * p.input_w * p.input_c;
  const int32_t x_col_step = p.dilation_w * p.input_c;
  // Without dilation and groups, a window row is one contiguous run of
  // cols * C_in values in both the input and the filter.
  const bool contiguous = p.dilation_w == 1 && p.filter_c == p.input_c;
  const int32_t run = contiguous ? win.cols * p.filter_c : p.filter_c;
  const int32_t runs = contiguous ? 1 : win.cols;
  const int32_t groups = p.input_c / p.filter_c;
  const int32_t offset = p.input_offset;
  const Requant requant = requant_of(p);
  for (int32_t g = 0; g < groups; ++g) {
    const int8_t* x_group = win.x + g * p.filter_c;
    const int32_t oc_end = (g + 1) * p.filters_per_group;
    int32_t oc = g * p.filters_per_group;
    for (; oc + 4 <= oc_end; oc += 4) {
      const int8_t* w = filter + oc * filter_size + win.w_first;
      Acc4 acc = load_acc4(init, oc);
      const int8_t* x_row = x_group;
      for (int32_t r = 0; r < win.rows; ++r) {
        for (int32_t c = 0; c < runs; ++c) {
          dot4_s8<kOffset>(x_row + c * x_col_step, w + c * p.filter_c,
                           filter_size, run, offset, &acc);
        }
        x_row += x_row_step;
        w += filter_row;
      }
      requantize4_s8(acc, requant, oc, out);
    }
    for (; oc < oc_end; ++oc) {
      const int8_t* w = filter + oc * filter_size + win.w_first;
      int32_t acc = init ? init[oc] : 0;
      const int8_t* x_row = x_group;
      for (int32_t r = 0; r < win.rows; ++r) {
        for (int32_t c = 0; c < runs; ++c) {
          acc = dot1_s8<kOffset>(x_row + c * x_col_step, w + c * p.filter_c,
                                 run, offset, acc);
        }
        x_row += x_row_step;
        w += filter_row;
      }
      out[oc] = requantize_s8(acc, requant, oc);
    }
  }
}

#ifdef TM_INT8_PAIRS
// Two horizontally adjacent output pixels whose windows lie inside the input
// along the width (groups of 1) and share their rows [fy_lo, fy_lo + rows):
// the windows are packed as pairs in [KH][KW][C_in] order, the filter's own,
// so each channel's sums are one contiguous dot product over the filter
// (see int8_dot.h). x is the left pixel's input at (fy_lo, 0). kOffset and
// init as for conv_pixel_s8; the offset is added while packing, so products
// stay below 2^15 and kPairMaxTaps keeps the sums exact.
template <bool kOffset>
void conv_pair_s8(const TmConvParams& p, const int8_t* x, int32_t fy_lo,
                  int32_t rows, const int8_t* filter, const int32_t* init,
                  int8_t* out) {
  uint64_t packed[kPairMaxTaps];
  const int32_t row = p.input_w * p.input_c;
  const int32_t second = p.stride_w * p.input_c;  // the right pixel's input
  const int32_t offset = p.input_offset;
  int32_t n = 0;
  for (int32_t fy = 0; fy < rows; ++fy) {
    const int8_t* x_row = x + fy * p.dilation_h * row;
    for (int32_t fx = 0; fx < p.filter_w; ++fx) {
      const int8_t* xc = x_row + fx * p.dilation_w * p.input_c;
      for (int32_t c = 0; c < p.input_c; ++c) {
        packed[n++] = kOffset ? pack_pair_offset(xc[c], xc[c + second], offset)
                              : pack_pair(xc[c], xc[c + second]);
      }
    }
  }
  const int32_t filter_size = p.filter_h * p.filter_w * p.filter_c;
  const int8_t* w = filter + fy_lo * p.filter_w * p.filter_c;
  int8_t* out2 = out + p.output_c;
  const Requant requant = requant_of(p);
  auto finish = [&](uint64_t sum, int32_t oc) {
    int32_t a, b;
    split_pair(sum, &a, &b);
    const int32_t start = init ? init[oc] : 0;
    out[oc] = requantize_s8(start + a, requant, oc);
    out2[oc] = requantize_s8(start + b, requant, oc);
  };
  int32_t oc = 0;
  for (; oc + 4 <= p.output_c; oc += 4) {
    uint64_t sums[4];
    dot4_pair_s8(packed, w + oc * filter_size, filter_size, n, sums);
    for (int32_t k = 0; k < 4; ++k) finish(sums[k], oc + k);
  }
  for (; oc < p.output_c; ++oc) {
    finish(dot1_pair_s8(packed, w + oc * filter_size, n), oc);
  }
}
#endif

// int8 CONV_2D: each output pixel's window is clipped to the input once;
// windows wholly inside it start from the folded bias and skip the offset.
void conv_s8(const TmConvParams& p, const int8_t* input, const int8_t* filter,
             const int32_t* bias, int8_t* output) {
  const int32_t row = p.input_w * p.input_c;
#ifdef TM_INT8_PAIRS
  const bool pairs = p.filter_c == p.input_c &&
                     p.filter_h * p.filter_w * p.filter_c <= kPairMaxTaps;
#endif
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* image = input + b * p.input_h * row;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      int32_t fy_lo, fy_hi;
      tm_window_taps(iy0, p.dilation_h, p.input_h, p.filter_h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < p.output_w; ++ox) {
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        int32_t fx_lo, fx_hi;
        tm_window_taps(ix0, p.dilation_w, p.input_w, p.filter_w, &fx_lo,
                       &fx_hi);
        Window win = {image, fy_hi - fy_lo, fx_hi - fx_lo, 0};
        if (win.rows > 0 && win.cols > 0) {
          win.x = image + (iy0 + p.dilation_h * fy_lo) * row +
                  (ix0 + p.dilation_w * fx_lo) * p.input_c;
          win.w_first = (fy_lo * p.filter_w + fx_lo) * p.filter_c;
        }
        const bool whole = win.rows == p.filter_h && win.cols == p.filter_w;
        const bool folded = whole && p.folded_bias != nullptr;
#ifdef TM_INT8_PAIRS
        // The next pixel's window is inside the row too when it ends there.
        const int32_t next_end =
            ix0 + p.stride_w + (p.filter_w - 1) * p.dilation_w;
        if (pairs && win.rows > 0 && win.cols == p.filter_w &&
            ox + 1 < p.output_w && next_end < p.input_w) {
          if (folded) {
            conv_pair_s8<false>(p, win.x, fy_lo, win.rows, filter,
                                p.folded_bias, output);
          } else {
            conv_pair_s8<true>(p, win.x, fy_lo, win.rows, filter, bias, output);
          }
          output += 2 * p.output_c;
          ++ox;
          continue;
        }
#endif
        if (folded) {
          conv_pixel_s8<false>(p, win, filter, p.folded_bias, output);
        } else {
          conv_pixel_s8<true>(p, win, filter, bias, output);
        }
        output += p.output_c;
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

  // int16 sums are 64-bit only with a 64-bit bias, as in TFLite.
  const bool int64_accumulator =
      input->type == kTmInt16 && bias != nullptr && bias->type == kTmInt64;
  return tierml::prepare_window_quantization(
      attrs->activation, input, filter, bias, output, 0,
      int64_t{params->filter_h} * params->filter_w * params->filter_c,
      int64_accumulator, multipliers, shifts, folded_bias, params,
      [](const auto& p, const int8_t* w, const int32_t* b, int32_t* out) {
        tierml::fold_bias(p, w, b, out);
      });
}

void tm_conv_s8(const TmConvParams* p, const int8_t* input,
                const int8_t* filter, const int32_t* bias, int8_t* output) {
  tierml::conv_s8(*p, input, filter, bias, output);
}

void tm_conv_s16(const TmConvParams* p, const int16_t* input,
                 const int8_t* filter, const int64_t* bias, int16_t* output) {
  tierml::conv_loop(
      *p, input, filter, bias, output, [p](int64_t acc, int32_t c) {
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
      *p, input, filter, bias, output, [p](int32_t acc, int32_t c) {
        const int32_t v = tierml::multiply_by_quantized_multiplier(
            acc, p->multipliers[c], p->shifts[c]);
        return static_cast<int16_t>(
            tierml::clamp_i32(v, p->act_min, p->act_max));
      });
}

void tm_conv_f32(const TmConvParams* p, const float* input, const float* filter,
                 const float* bias, float* output) {
#ifdef TM_X86_F32
  if (tierml::x86::f32_avx2_supported() &&
      tierml::x86::conv_f32_avx2_covers(*p)) {
    tierml::x86::conv_f32_avx2(*p, input, filter, bias, output);
    return;
  }
#endif
  tm_conv_f32_portable(p, input, filter, bias, output);
}

void tm_conv_f32_portable(const TmConvParams* p, const float* input,
                          const float* filter, const float* bias,
                          float* output) {
  tierml::conv_loop(*p, input, filter, static_cast<const float*>(nullptr),
                    output, [p, bias](float acc, int32_t c) {
                      // TFLite adds the bias after the sum, then clamps.
                      const float v = acc + (bias ? bias[c] : 0.0f);
                      const float lo = v < p->act_min_f ? p->act_min_f : v;
                      return lo > p->act_max_f ? p->act_max_f : lo;
                    });
}

}  // extern "C"
