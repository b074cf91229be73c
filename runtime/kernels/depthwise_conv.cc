#include "kernels/depthwise_conv.h"

#include "kernels/conv_quant.h"
#include "kernels/int8_dot.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"
#include "kernels/x86/depthwise_conv_avx2.h"
#include "kernels/x86/depthwise_conv_f32_avx2.h"

namespace tierml {
namespace {

TmStatus check_types(const TmTensor* input, const TmTensor* filter,
                     const TmTensor* bias, const TmTensor* output) {
  if (output->type != input->type) return kTmErrorUnsupported;
  TmType filter_type, bias_type;
  switch (input->type) {
    case kTmInt8:
      filter_type = kTmInt8;
      bias_type = kTmInt32;
      break;
    case kTmInt16:
      filter_type = kTmInt8;
      bias_type = kTmInt64;
      break;
    case kTmFloat32:
      filter_type = kTmFloat32;
      bias_type = kTmFloat32;
      break;
    default:
      return kTmErrorUnsupported;
  }
  if (filter->type != filter_type) return kTmErrorUnsupported;
  if (bias != nullptr && bias->type != bias_type) return kTmErrorUnsupported;
  return kTmOk;
}

TmStatus fill_shapes(const TmDepthwiseConvAttrs& a, const TmTensor* input,
                     const TmTensor* filter, const TmTensor* bias,
                     const TmTensor* output, TmDepthwiseConvParams* p) {
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
  if (f[0] != 1 || f[3] != p->output_c || out[0] != p->batches) {
    return kTmErrorBadArgument;
  }
  if (p->input_c <= 0 || p->output_c % p->input_c != 0) {
    return kTmErrorBadArgument;
  }
  p->depth_multiplier = p->output_c / p->input_c;
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

void fold_bias(const TmDepthwiseConvParams& p, const int8_t* filter,
               const int32_t* bias, int32_t* folded) {
  const int32_t taps = p.filter_h * p.filter_w;
  for (int32_t c = 0; c < p.output_c; ++c) {
    int32_t sum = 0;
    for (int32_t t = 0; t < taps; ++t) sum += filter[t * p.output_c + c];
    folded[c] = (bias ? bias[c] : 0) + p.input_offset * sum;
  }
}

// Same structure as the CONV_2D loop: padded taps are skipped, as in TFLite.
// Used by the int16 and float kernels.
template <typename In, typename W, typename Acc, typename Out, typename Finish>
void depthwise_loop(const TmDepthwiseConvParams& p, const In* input,
                    const W* filter, const Acc* bias, Out* output,
                    Finish finish) {
  const int32_t row = p.input_w * p.input_c;
  const int32_t filter_row = p.filter_w * p.output_c;
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
          const int32_t ic = oc / p.depth_multiplier;
          Acc acc = 0;
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
            const In* in_row = image + (iy0 + p.dilation_h * fy) * row + ic;
            const W* f_row = filter + fy * filter_row + oc;
            for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
              const Acc x = static_cast<Acc>(
                  in_row[(ix0 + p.dilation_w * fx) * p.input_c]);
              acc += static_cast<Acc>(f_row[fx * p.output_c]) * x;
            }
          }
          if (bias != nullptr) acc += bias[oc];
          *output++ = finish(acc, oc);
        }
      }
    }
  }
}

// The part of one output pixel's window inside the input, and the steps
// between its taps: rows x cols taps from input x (channel 0) and filter w
// (channel 0).
struct DepthwiseWindow {
  const int8_t* x;
  const int8_t* w;
  int32_t rows, cols;
  int32_t x_col_step, x_row_step;  // input bytes between taps
  int32_t w_row_step;              // filter bytes between tap rows
  int32_t channels;                // C_out: filter bytes between taps
};

#ifdef TM_INT8_DSP
// One tap of four adjacent channels: one word load per operand; SXTB16 puts
// channels 0, 2 and 1, 3 in halfword lanes and SMLABB / SMLATT multiply-add
// one lane each (products and sums exact, as in int8_dot.h). With kOffset
// the input offset is added to each input lane.
template <bool kOffset = false>
inline void mac4_tap(const int8_t* x, const int8_t* w, Acc4* a,
                     int16x2_t offsets = 0) {
  const int32_t xv = load4_s8(x), wv = load4_s8(w);
  const int16x2_t x02 = even_s8<kOffset>(xv, offsets);
  const int16x2_t x13 = odd_s8<kOffset>(xv, offsets);
  const int16x2_t w02 = even_s8<false>(wv, 0);
  const int16x2_t w13 = odd_s8<false>(wv, 0);
  a->a0 = __smlabb(x02, w02, a->a0);
  a->a2 = __smlatt(x02, w02, a->a2);
  a->a1 = __smlabb(x13, w13, a->a1);
  a->a3 = __smlatt(x13, w13, a->a3);
}
#endif

// Sums of four adjacent channels over the window; x and w point at the
// first of them.
template <bool kOffset>
TM_NOINLINE void depthwise4_s8(const DepthwiseWindow& win, const int8_t* x,
                               const int8_t* w, int32_t offset, Acc4* acc) {
  int32_t a0 = acc->a0, a1 = acc->a1, a2 = acc->a2, a3 = acc->a3;
#ifdef TM_INT8_DSP
  const int16x2_t offsets = offset_pair(offset);
  Acc4 a = {a0, a1, a2, a3};
  for (int32_t r = 0; r < win.rows; ++r) {
    const int8_t* xc = x;
    const int8_t* wc = w;
    for (int32_t c = 0; c < win.cols; ++c) {
      mac4_tap<kOffset>(xc, wc, &a, offsets);
      xc += win.x_col_step;
      wc += win.channels;
    }
    x += win.x_row_step;
    w += win.w_row_step;
  }
  a0 = a.a0, a1 = a.a1, a2 = a.a2, a3 = a.a3;
#else
  for (int32_t r = 0; r < win.rows; ++r) {
    const int8_t* xc = x;
    const int8_t* wc = w;
    for (int32_t c = 0; c < win.cols; ++c) {
      const int32_t v0 = kOffset ? xc[0] + offset : xc[0];
      const int32_t v1 = kOffset ? xc[1] + offset : xc[1];
      const int32_t v2 = kOffset ? xc[2] + offset : xc[2];
      const int32_t v3 = kOffset ? xc[3] + offset : xc[3];
      a0 += wc[0] * v0;
      a1 += wc[1] * v1;
      a2 += wc[2] * v2;
      a3 += wc[3] * v3;
      xc += win.x_col_step;
      wc += win.channels;
    }
    x += win.x_row_step;
    w += win.w_row_step;
  }
#endif
  *acc = Acc4{a0, a1, a2, a3};
}

#ifdef TM_INT8_MVE
// depthwise4_s8 in one Helium vector: channels oc..oc+3, from init or zero.
template <bool kOffset>
int32x4_t depthwise4_mve(const DepthwiseWindow& win, int32_t oc,
                         const int32_t* init, int32_t offset) {
  int32x4_t acc = init ? vld1q_s32(init + oc) : vdupq_n_s32(0);
  const int8_t* x = win.x + oc;
  const int8_t* w = win.w + oc;
  for (int32_t r = 0; r < win.rows; ++r) {
    for (int32_t c = 0; c < win.cols; ++c) {
      acc = mve::mla4_channels<kOffset>(acc, x + c * win.x_col_step,
                                        w + c * win.channels, offset);
    }
    x += win.x_row_step;
    w += win.w_row_step;
  }
  return acc;
}
#endif

// The sum of one channel over the window; x and w point at its input and
// filter channel.
template <bool kOffset>
int32_t depthwise1_s8(const DepthwiseWindow& win, const int8_t* x,
                      const int8_t* w, int32_t offset, int32_t acc) {
  for (int32_t r = 0; r < win.rows; ++r) {
    for (int32_t c = 0; c < win.cols; ++c) {
      const int32_t v = x[c * win.x_col_step];
      acc += w[c * win.channels] * (kOffset ? v + offset : v);
    }
    x += win.x_row_step;
    w += win.w_row_step;
  }
  return acc;
}

// The int8 outputs of one pixel, all channels. init holds each channel's
// starting sum (folded bias, bias or NULL for zero); without kOffset it must
// include the input offset's share (folded bias, whole window).
template <bool kOffset>
void depthwise_pixel_s8(const TmDepthwiseConvParams& p,
                        const DepthwiseWindow& win, const int32_t* init,
                        int8_t* out) {
  const int32_t offset = p.input_offset;
  const Requant requant = requant_of(p);
  int32_t oc = 0;
  if (p.depth_multiplier == 1) {
    // Channel c reads input channel c: four adjacent channels share taps.
    for (; oc + 4 <= p.output_c; oc += 4) {
#ifdef TM_INT8_MVE
      mve::requantize4_s8(depthwise4_mve<kOffset>(win, oc, init, offset),
                          requant.multipliers + oc, requant.shifts + oc,
                          requant.output_offset, requant.act_min,
                          requant.act_max, out + oc);
#else
      Acc4 acc = load_acc4(init, oc);
      depthwise4_s8<kOffset>(win, win.x + oc, win.w + oc, offset, &acc);
      requantize4_s8(acc, requant, oc, out);
#endif
    }
  }
  for (; oc < p.output_c; ++oc) {
    const int32_t acc =
        depthwise1_s8<kOffset>(win, win.x + oc / p.depth_multiplier, win.w + oc,
                               offset, init ? init[oc] : 0);
    out[oc] = requantize_s8(acc, requant, oc);
  }
}

// An interior pixel of a 3x3 filter with one output per input channel (the
// MobileNet and DS-CNN case; the input offset is in the folded bias): the
// taps are loads at fixed distances, without the general walk's loop
// counters and call (Helium: four channels per vector; DSP: four per word,
// a row at a time; else one channel, nine taps unrolled).
void depthwise_pixel_3x3_s8(const TmDepthwiseConvParams& p,
                            const DepthwiseWindow& win, int8_t* out) {
  // (Locals and Requant, not p's fields: see requant_of.)
  const int32_t* bias = p.folded_bias;
  const Requant q = requant_of(p);
  const int32_t channels = p.output_c;
  const int8_t* const x0 = win.x;
  const int8_t* const x1 = x0 + win.x_row_step;
  const int8_t* const x2 = x1 + win.x_row_step;
  const int8_t* const w0 = win.w;
  const int8_t* const w1 = w0 + win.w_row_step;
  const int8_t* const w2 = w1 + win.w_row_step;
  const int32_t xs = win.x_col_step;  // input and filter steps between taps
  const int32_t ws = channels;
  int32_t oc = 0;
#ifdef TM_INT8_MVE
  for (; oc + 4 <= channels; oc += 4) {
    int32x4_t acc = vld1q_s32(bias + oc);
    acc = mve::mla4_channels_3taps(acc, x0 + oc, w0 + oc, xs, ws);
    acc = mve::mla4_channels_3taps(acc, x1 + oc, w1 + oc, xs, ws);
    acc = mve::mla4_channels_3taps(acc, x2 + oc, w2 + oc, xs, ws);
    mve::requantize4_s8(acc, q.multipliers + oc, q.shifts + oc, q.output_offset,
                        q.act_min, q.act_max, out + oc);
  }
#elif defined(TM_INT8_DSP)
  // A loop over the rows, three taps unrolled: fewer live pointers than
  // nine unrolled taps, which spill.
  for (; oc + 4 <= channels; oc += 4) {
    Acc4 a = load_acc4(bias, oc);
    const int8_t* x = x0 + oc;
    const int8_t* w = w0 + oc;
    for (int32_t r = 0; r < 3; ++r) {
      mac4_tap(x, w, &a);
      mac4_tap(x + xs, w + ws, &a);
      mac4_tap(x + 2 * xs, w + 2 * ws, &a);
      x += win.x_row_step;
      w += win.w_row_step;
    }
    requantize4_s8(a, q, oc, out);
  }
#endif
  for (; oc < channels; ++oc) {
    int32_t acc = bias[oc];
    acc += w0[oc] * x0[oc] + w0[oc + ws] * x0[oc + xs] +
           w0[oc + 2 * ws] * x0[oc + 2 * xs];
    acc += w1[oc] * x1[oc] + w1[oc + ws] * x1[oc + xs] +
           w1[oc + 2 * ws] * x1[oc + 2 * xs];
    acc += w2[oc] * x2[oc] + w2[oc + ws] * x2[oc + xs] +
           w2[oc + 2 * ws] * x2[oc + 2 * xs];
    out[oc] = requantize_s8(acc, q, oc);
  }
}

}  // namespace

// int8 DEPTHWISE_CONV_2D: each output pixel's window is clipped to the input
// once; windows wholly inside it start from the folded bias and skip the
// input offset.
void depthwise_conv_s8_portable(const TmDepthwiseConvParams& p,
                                const int8_t* input, const int8_t* filter,
                                const int32_t* bias, int8_t* output) {
  const int32_t row = p.input_w * p.input_c;
  DepthwiseWindow win = {};
  win.x_col_step = p.dilation_w * p.input_c;
  win.x_row_step = p.dilation_h * row;
  win.w_row_step = p.filter_w * p.output_c;
  win.channels = p.output_c;
  const bool unrolled_3x3 =
      p.filter_h == 3 && p.filter_w == 3 && p.depth_multiplier == 1;
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
        win.rows = fy_hi - fy_lo;
        win.cols = fx_hi - fx_lo;
        win.x = image;
        win.w = filter;
        if (win.rows > 0 && win.cols > 0) {
          win.x = image + (iy0 + p.dilation_h * fy_lo) * row +
                  (ix0 + p.dilation_w * fx_lo) * p.input_c;
          win.w = filter + (fy_lo * p.filter_w + fx_lo) * p.output_c;
        }
        const bool whole = win.rows == p.filter_h && win.cols == p.filter_w;
        if (whole && p.folded_bias != nullptr && unrolled_3x3) {
          depthwise_pixel_3x3_s8(p, win, output);
        } else if (whole && p.folded_bias != nullptr) {
          depthwise_pixel_s8<false>(p, win, p.folded_bias, output);
        } else {
          depthwise_pixel_s8<true>(p, win, bias, output);
        }
        output += p.output_c;
      }
    }
  }
}

}  // namespace tierml

extern "C" {

TmStatus tm_depthwise_conv_prepare(const TmDepthwiseConvAttrs* attrs,
                                   const TmTensor* input,
                                   const TmTensor* filter, const TmTensor* bias,
                                   const TmTensor* output, int32_t* multipliers,
                                   int32_t* shifts, int32_t* folded_bias,
                                   TmDepthwiseConvParams* params) {
  if (!attrs || !input || !filter || !output || !params) {
    return kTmErrorBadArgument;
  }
  *params = TmDepthwiseConvParams{};
  TmStatus status = tierml::check_types(input, filter, bias, output);
  if (status != kTmOk) return status;
  status = tierml::fill_shapes(*attrs, input, filter, bias, output, params);
  if (status != kTmOk) return status;

  return tierml::prepare_window_quantization(
      attrs->activation, input, filter, bias, output, 3,
      int64_t{params->filter_h} * params->filter_w, input->type == kTmInt16,
      multipliers, shifts, folded_bias, params,
      [](const auto& p, const int8_t* w, const int32_t* b, int32_t* out) {
        tierml::fold_bias(p, w, b, out);
      });
}

void tm_depthwise_conv_s8(const TmDepthwiseConvParams* p, const int8_t* input,
                          const int8_t* filter, const int32_t* bias,
                          int8_t* output) {
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() &&
      tierml::depthwise_conv_s8_avx2(*p, input, filter, bias, output)) {
    return;
  }
#endif
  tierml::depthwise_conv_s8_portable(*p, input, filter, bias, output);
}

void tm_depthwise_conv_s16(const TmDepthwiseConvParams* p, const int16_t* input,
                           const int8_t* filter, const int64_t* bias,
                           int16_t* output) {
  tierml::depthwise_loop(
      *p, input, filter, bias, output, [p](int64_t acc, int32_t c) {
        const int32_t v = tierml::multiply_by_quantized_multiplier(
            acc, p->multipliers[c], p->shifts[c]);
        return static_cast<int16_t>(
            tierml::clamp_i32(v, p->act_min, p->act_max));
      });
}

void tm_depthwise_conv_f32(const TmDepthwiseConvParams* p, const float* input,
                           const float* filter, const float* bias,
                           float* output) {
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() &&
      tierml::x86::depthwise_f32_avx2_covers(*p)) {
    tierml::x86::depthwise_conv_f32_avx2(*p, input, filter, bias, output);
    return;
  }
#endif
  tm_depthwise_conv_f32_portable(p, input, filter, bias, output);
}

void tm_depthwise_conv_f32_portable(const TmDepthwiseConvParams* p,
                                    const float* input, const float* filter,
                                    const float* bias, float* output) {
  tierml::depthwise_loop(*p, input, filter, static_cast<const float*>(nullptr),
                         output, [p, bias](float acc, int32_t c) {
                           // TFLite adds the bias after the sum, then clamps.
                           const float v = acc + (bias ? bias[c] : 0.0f);
                           const float lo = v < p->act_min_f ? p->act_min_f : v;
                           return lo > p->act_max_f ? p->act_max_f : lo;
                         });
}

}  // extern "C"
