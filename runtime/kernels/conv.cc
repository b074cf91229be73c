#include "kernels/conv.h"

#include "kernels/conv_quant.h"
#include "kernels/int8_dot.h"
#include "kernels/quantization.h"
#include "kernels/window_padding.h"
#include "kernels/x86/conv_avx2.h"
#include "kernels/x86/conv_f32_avx2.h"

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

#if defined(TM_INT8_DSP) && defined(__thumb2__)
#define TM_CONV_STAGED 1
// Armv7E-M: each output pixel's window is staged once as int16 (the im2col
// of CMSIS-NN), padding included, so that one loop with no clipping serves
// every window, and two pixels share each weight load and extension.
//
// Staged layout, per group of four taps t..t+3 and per pixel of a pair: the
// words (v_t, v_t+2) and (v_t+1, v_t+3), the lanes SXTB16 makes of a weight
// word and of its rotation by 8. Pixel 0's two words come first, then pixel
// 1's: 16 bytes per group. Values are x + e, padding taps e - input_offset,
// with e = 0 against the folded bias and e = input_offset against the plain
// bias: in both cases a padding tap adds nothing to TFLite's sum, and every
// value fits an int16 lane (|x + offset| <= 255, so products stay below 2^15
// and SMLAD's wrapping sum is the int32 sum).

// acc[0..3] += (w . x0, w . x1, w' . x0, w' . x1) over the first 4 * groups
// taps (groups > 0), for the weight rows w and w' = w + w_stride and the
// staged pixels x0, x1 of cols. In assembly because the loop needs all 14
// allocatable registers (4 sums, 4 staged words, 2 weight words, 4 pointers
// and bounds), one more than GCC leaves it without spilling, and because one
// LDM fetches both pixels' words: 16 instructions per 16 MACs, the loop
// being unrolled twice (an odd group goes first, alone).
extern "C" void tm_conv_dot2x2_s8(const int16_t* cols, const int8_t* w,
                                  int32_t w_stride, int32_t groups,
                                  int32_t* acc);
// One group of four taps: r0 cols, r1 row w, r2 w_stride, r4-r7 the sums.
// clang-format off
#define TM_DOT2X2_GROUP                                          \
  "  ldm r0!, {r8-r11}\n"    /* x0 even, x0 odd, x1 even, x1 odd */ \
  "  ldr lr, [r1, r2]\n"     /* row w' */                        \
  "  sxtb16 r12, lr\n"                                           \
  "  smlad r6, r8, r12, r6\n"                                    \
  "  smlad r7, r10, r12, r7\n"                                   \
  "  sxtb16 lr, lr, ror #8\n"                                    \
  "  smlad r6, r9, lr, r6\n"                                     \
  "  smlad r7, r11, lr, r7\n"                                    \
  "  ldr lr, [r1], #4\n"     /* row w */                         \
  "  sxtb16 r12, lr\n"                                           \
  "  smlad r4, r8, r12, r4\n"                                    \
  "  smlad r5, r10, r12, r5\n"                                   \
  "  sxtb16 lr, lr, ror #8\n"                                    \
  "  smlad r4, r9, lr, r4\n"                                     \
  "  smlad r5, r11, lr, r5\n"
__asm__(
    "  .pushsection .text.tm_conv_dot2x2_s8,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .align 2\n"
    "  .global tm_conv_dot2x2_s8\n"
    "  .type tm_conv_dot2x2_s8, %function\n"
    "  .thumb_func\n"
    "tm_conv_dot2x2_s8:\n"
    "  push {r4-r11, lr}\n"
    "  ldr r12, [sp, #36]\n"      // acc
    "  ldm r12, {r4-r7}\n"
    "  tst r3, #1\n"
    "  add r3, r1, r3, lsl #2\n"  // end of row w
    "  beq 2f\n"
    TM_DOT2X2_GROUP
    "  cmp r1, r3\n"
    "  beq 3f\n"
    "2:\n"
    TM_DOT2X2_GROUP
    TM_DOT2X2_GROUP
    "  cmp r1, r3\n"
    "  bne 2b\n"
    "3:\n"
    "  ldr r12, [sp, #36]\n"
    "  stm r12, {r4-r7}\n"
    "  pop {r4-r11, pc}\n"
    "  .size tm_conv_dot2x2_s8, .-tm_conv_dot2x2_s8\n"
    "  .popsection\n");
#undef TM_DOT2X2_GROUP
// clang-format on

// Index of tap t of pixel slot in the staged layout.
inline int32_t staged_index(int32_t t, int32_t slot) {
  return 8 * (t >> 2) + 4 * slot + ((t & 1) << 1) + ((t >> 1) & 1);
}

// Stages n input values from x at taps t.. of pixel slot, plus e; returns
// the tap after them. Whole groups of four go a word at a time.
int32_t stage_run(int16_t* cols, int32_t slot, int32_t t, const int8_t* x,
                  int32_t n, int32_t e) {
  const int16x2_t offsets = offset_pair(e);
  for (; n > 0 && (t & 3) != 0; --n) cols[staged_index(t++, slot)] = *x++ + e;
  for (; n >= 4; n -= 4, t += 4, x += 4) {
    const int32_t v = load4_s8(x);
    const int32_t words[2] = {even_s8<true>(v, offsets),
                              odd_s8<true>(v, offsets)};
    __builtin_memcpy(cols + staged_index(t, slot), words, 8);
  }
  for (; n > 0; --n) cols[staged_index(t++, slot)] = *x++ + e;
  return t;
}

int32_t stage_padding(int16_t* cols, int32_t slot, int32_t t, int32_t n,
                      int32_t value) {
  for (; n > 0; --n) cols[staged_index(t++, slot)] = value;
  return t;
}

// Stages the window of output pixel `pixel` (row-major within the image),
// input channels of group g, into slot.
void stage_pixel(const TmConvParams& p, const int8_t* image, int32_t pixel,
                 int32_t g, int32_t e, int16_t* cols, int32_t slot) {
  const int32_t iy0 = (pixel / p.output_w) * p.stride_h - p.pad_h;
  const int32_t ix0 = (pixel % p.output_w) * p.stride_w - p.pad_w;
  const int32_t fc = p.filter_c;
  const int32_t pad = e - p.input_offset;
  // Without dilation and groups the inside of a window row is one run.
  const bool contiguous = p.dilation_w == 1 && fc == p.input_c;
  int32_t fx_lo, fx_hi;
  tm_window_taps(ix0, p.dilation_w, p.input_w, p.filter_w, &fx_lo, &fx_hi);
  int32_t t = 0;
  for (int32_t fy = 0; fy < p.filter_h; ++fy) {
    const int32_t iy = iy0 + fy * p.dilation_h;
    if (iy < 0 || iy >= p.input_h) {
      t = stage_padding(cols, slot, t, p.filter_w * fc, pad);
      continue;
    }
    const int8_t* x_row = image + iy * p.input_w * p.input_c + g * fc;
    t = stage_padding(cols, slot, t, fx_lo * fc, pad);
    if (contiguous) {
      t = stage_run(cols, slot, t, x_row + (ix0 + fx_lo) * fc,
                    (fx_hi - fx_lo) * fc, e);
    } else {
      for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
        const int32_t ix = ix0 + fx * p.dilation_w;
        t = stage_run(cols, slot, t, x_row + ix * p.input_c, fc, e);
      }
    }
    t = stage_padding(cols, slot, t, (p.filter_w - fx_hi) * fc, pad);
  }
}

// The four sums of weight rows w0, w1 and the staged pair over taps taps.
void dot2x2_staged(const int16_t* cols, const int8_t* w0, const int8_t* w1,
                   int32_t taps, int32_t* acc) {
  const int32_t groups = taps >> 2;
  if (groups > 0) tm_conv_dot2x2_s8(cols, w0, w1 - w0, groups, acc);
  for (int32_t t = groups * 4; t < taps; ++t) {
    const int32_t x0 = cols[staged_index(t, 0)];
    const int32_t x1 = cols[staged_index(t, 1)];
    acc[0] += w0[t] * x0;
    acc[1] += w0[t] * x1;
    acc[2] += w1[t] * x0;
    acc[3] += w1[t] * x1;
  }
}

// The outputs of channels oc, oc1 at two pixels from their sums. A lone
// channel or pixel was computed twice (oc1 == oc, out1 == out0): its second
// store writes the same byte again. Everything is read before the first
// store, which (through int8_t) could alias it all.
TM_NOINLINE void finish2x2(const int32_t* acc, const Requant& q, int32_t oc,
                           int32_t oc1, int8_t* out0, int8_t* out1) {
  const int32_t m0 = q.multipliers[oc], s0 = q.shifts[oc];
  const int32_t m1 = q.multipliers[oc1], s1 = q.shifts[oc1];
  const int32_t offset = q.output_offset, lo = q.act_min, hi = q.act_max;
  const int8_t y00 = requantize_s8(acc[0], m0, s0, offset, lo, hi);
  const int8_t y01 = requantize_s8(acc[1], m0, s0, offset, lo, hi);
  const int8_t y10 = requantize_s8(acc[2], m1, s1, offset, lo, hi);
  const int8_t y11 = requantize_s8(acc[3], m1, s1, offset, lo, hi);
  out0[oc] = y00;
  out1[oc] = y01;
  out0[oc1] = y10;
  out1[oc1] = y11;
}

// Windows of more taps than this (none in the MLPerf Tiny models, whose
// largest is IC's 576) would stage more than a microcontroller's stack
// holds: they run TFLite's plain loop instead, in a few hundred bytes of code.
constexpr int32_t kStagedMaxTaps = 1152;

// From the folded bias (e = 0) padding taps take off their share of it;
// from the plain bias (e = input_offset) they add nothing, as in TFLite.
void conv_plain_s8(const TmConvParams& p, const int8_t* input,
                   const int8_t* filter, const int32_t* bias, int8_t* output) {
  const int32_t taps = p.filter_h * p.filter_w * p.filter_c;
  const int32_t* init = p.folded_bias ? p.folded_bias : bias;
  const int32_t e = p.folded_bias ? 0 : p.input_offset;
  const int32_t pad = e - p.input_offset;
  const Requant q = requant_of(p);
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* image = input + b * p.input_h * p.input_w * p.input_c;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      for (int32_t ox = 0; ox < p.output_w; ++ox) {
        for (int32_t oc = 0; oc < p.output_c; ++oc) {
          const int32_t c0 = (oc / p.filters_per_group) * p.filter_c;
          const int8_t* w = filter + oc * taps;
          int32_t acc = init ? init[oc] : 0;
          for (int32_t fy = 0; fy < p.filter_h; ++fy) {
            const int32_t iy = oy * p.stride_h - p.pad_h + fy * p.dilation_h;
            for (int32_t fx = 0; fx < p.filter_w; ++fx, w += p.filter_c) {
              const int32_t ix = ox * p.stride_w - p.pad_w + fx * p.dilation_w;
              const bool inside =
                  iy >= 0 && iy < p.input_h && ix >= 0 && ix < p.input_w;
              const int8_t* x =
                  inside ? image + (iy * p.input_w + ix) * p.input_c + c0
                         : image;
              for (int32_t c = 0; c < p.filter_c; ++c)
                acc += w[c] * (inside ? x[c] + e : pad);
            }
          }
          *output++ = requantize_s8(acc, q, oc);
        }
      }
    }
  }
}

// int8 CONV_2D: pixels in pairs (the last one alone is staged twice), output
// channels in pairs (the last one alone is computed twice). The staging
// buffer lives on the stack, sized to the window: 4 bytes per tap, what
// CMSIS-NN's convolution takes from the arena for its im2col.
void conv_s8(const TmConvParams& p, const int8_t* input, const int8_t* filter,
             const int32_t* bias, int8_t* output) {
  const int32_t taps = p.filter_h * p.filter_w * p.filter_c;
  if (taps > kStagedMaxTaps)
    return conv_plain_s8(p, input, filter, bias, output);
  // (alloca keeps the stack's 8-byte alignment, which LDM needs.)
  int16_t* cols = static_cast<int16_t*>(
      __builtin_alloca(16 * static_cast<uint32_t>((taps + 3) >> 2)));
  const int32_t* init = p.folded_bias ? p.folded_bias : bias;
  const int32_t e = p.folded_bias ? 0 : p.input_offset;
  const int32_t pixels = p.output_h * p.output_w;
  const int32_t out_c = p.output_c;
  const int32_t groups = p.input_c / p.filter_c;
  const int32_t per_group = p.filters_per_group;
  const Requant q = requant_of(p);
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* image = input + b * p.input_h * p.input_w * p.input_c;
    for (int32_t i = 0; i < pixels; i += 2) {
      const bool two = i + 1 < pixels;
      int8_t* out0 = output + (b * pixels + i) * out_c;
      int8_t* out1 = two ? out0 + out_c : out0;
      for (int32_t g = 0; g < groups; ++g) {
        stage_pixel(p, image, i, g, e, cols, 0);
        stage_pixel(p, image, two ? i + 1 : i, g, e, cols, 1);
        const int32_t end = (g + 1) * per_group;
        for (int32_t oc = g * per_group; oc < end; oc += 2) {
          const int32_t oc1 = oc + 1 < end ? oc + 1 : oc;
          const int32_t i0 = init ? init[oc] : 0, i1 = init ? init[oc1] : 0;
          int32_t acc[4] = {i0, i0, i1, i1};
          dot2x2_staged(cols, filter + oc * taps, filter + oc1 * taps, taps,
                        acc);
          finish2x2(acc, q, oc, oc1, out0, out1);
        }
      }
    }
  }
}
#endif

#ifndef TM_CONV_STAGED
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

#ifdef TM_INT8_MVE
// Helium takes sixteen taps per instruction, but a first layer's window rows
// are short runs (KWS: 4 taps, 1 channel; VWW and IC: 9 taps, 3 channels),
// each a mostly empty vector with its own loop set-up. Such windows are
// gathered into one contiguous run first, the taps outside the input (the
// padding) set to the input's zero point: its products with the offset added
// are 0, as TFLite's skipped taps are, so every pixel, border or not, is one
// pure int8 dot product from the folded bias. (On the M4's DSP path the same
// gather saves too little for its code; measured.)
constexpr int32_t kGatherMaxTaps = 64;
constexpr int32_t kShortRun = 16;

bool gathers_windows(const TmConvParams& p) {
  const int32_t zero_point = -p.input_offset;
  // A window of one row is already one run.
  return p.folded_bias != nullptr && p.filter_c == p.input_c &&
         p.filter_h > 1 && p.dilation_w == 1 &&
         p.filter_w * p.filter_c < kShortRun &&
         p.filter_h * p.filter_w * p.filter_c <= kGatherMaxTaps &&
         zero_point >= -128 && zero_point <= 127;
}

// One pixel from its gathered window: rows [fy_lo, fy_hi) and columns
// [fx_lo, fx_hi) of the filter lie inside the input, from x on.
void conv_gathered_s8(const TmConvParams& p, const int8_t* x, int32_t fy_lo,
                      int32_t fy_hi, int32_t fx_lo, int32_t fx_hi,
                      const int8_t* filter, int8_t* out) {
  int8_t taps[kGatherMaxTaps];
  const int8_t zero_point = static_cast<int8_t>(-p.input_offset);
  const int32_t c = p.input_c;
  const int32_t run = p.filter_w * c;
  const int32_t x_row_step = p.dilation_h * p.input_w * c;
  int8_t* row = taps;
  for (int32_t fy = 0; fy < p.filter_h; ++fy, row += run) {
    if (fy < fy_lo || fy >= fy_hi) {
      __builtin_memset(row, zero_point, run);
      continue;
    }
    __builtin_memset(row, zero_point, fx_lo * c);
    __builtin_memcpy(row + fx_lo * c, x, (fx_hi - fx_lo) * c);
    __builtin_memset(row + fx_hi * c, zero_point, (p.filter_w - fx_hi) * c);
    x += x_row_step;
  }
  const Window whole = {taps, 1, p.filter_h * p.filter_w, 0};
  conv_pixel_s8<false>(p, whole, filter, p.folded_bias, out);
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
#ifdef TM_INT8_MVE
  const bool gather = gathers_windows(p);
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
#ifdef TM_INT8_MVE
        if (gather) {
          conv_gathered_s8(p, win.x, fy_lo, fy_hi, fx_lo, fx_hi, filter,
                           output);
          output += p.output_c;
          continue;
        }
#endif
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
#endif  // TM_CONV_STAGED

}  // namespace

// Not x86's AVX2 path: the Armv7E-M, Helium or generic one this build has.
void conv_s8_portable(const TmConvParams& p, const int8_t* input,
                      const int8_t* filter, const int32_t* bias,
                      int8_t* output) {
  conv_s8(p, input, filter, bias, output);
}

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
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() &&
      tierml::conv_s8_avx2(*p, input, filter, bias, output)) {
    return;
  }
#endif
  tierml::conv_s8_portable(*p, input, filter, bias, output);
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
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() && tierml::x86::conv_f32_avx2_covers(*p)) {
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

namespace tierml {

size_t conv_s8_packed_filter_bytes(const TmConvParams& p) {
#ifdef TM_X86_AVX2
  if (cpu_has_avx2()) return conv_s8_avx2_packed_bytes(p);
#endif
  (void)p;
  return 0;
}

void conv_s8_pack_filter(const TmConvParams& p, const int8_t* filter,
                         void* packed) {
#ifdef TM_X86_AVX2
  conv_s8_avx2_pack(p, filter, packed);
#else
  (void)p, (void)filter, (void)packed;
#endif
}

void conv_s8_packed(const TmConvParams& p, const void* packed,
                    const int8_t* input, const int8_t* filter,
                    const int32_t* bias, int8_t* output) {
#ifdef TM_X86_AVX2
  if (packed != nullptr) {
    conv_s8_avx2_packed(p, packed, input, bias, output);
    return;
  }
#endif
  tm_conv_s8(&p, input, filter, bias, output);
}

size_t conv_f32_packed_filter_bytes(const TmConvParams& p) {
#ifdef TM_X86_AVX2
  if (cpu_has_avx2()) return x86::conv_f32_avx2_packed_bytes(p);
#endif
  (void)p;
  return 0;
}

void conv_f32_pack_filter(const TmConvParams& p, const float* filter,
                          void* packed) {
#ifdef TM_X86_AVX2
  x86::conv_f32_avx2_pack(p, filter, packed);
#else
  (void)p, (void)filter, (void)packed;
#endif
}

void conv_f32_packed(const TmConvParams& p, const void* packed,
                     const float* input, const float* filter, const float* bias,
                     float* output) {
#ifdef TM_X86_AVX2
  if (packed != nullptr) {
    x86::conv_f32_avx2_packed(p, packed, input, bias, output);
    return;
  }
#endif
  tm_conv_f32(&p, input, filter, bias, output);
}

}  // namespace tierml
