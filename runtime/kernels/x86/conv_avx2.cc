// int8 CONV_2D with AVX2: blocks of four output pixels, each pixel's window
// (one group's channels) widened once into a row of int16 values, then every
// output channel of the group against those rows: the int8 weights as they
// are (int8_gemm_avx2.h) or, where prepare packed them, panels
// (packed_gemm_avx2.h). Covers every stride, dilation, padding and group
// count; windows longer than kMaxTaps go to the portable path.
#include "kernels/x86/conv_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>

#include "kernels/window_padding.h"
#include "kernels/x86/int8_gemm_avx2.h"
#include "kernels/x86/packed_gemm_avx2.h"
#include "kernels/x86/sum_domain.h"

namespace tierml {
namespace {

// An output pixel's position, stepped through batches, rows and columns
// without divisions.
struct Pixel {
  int32_t b, oy, ox;
};

inline void next_pixel(const TmConvParams& p, Pixel* at) {
  if (++at->ox < p.output_w) return;
  at->ox = 0;
  if (++at->oy < p.output_h) return;
  at->oy = 0;
  ++at->b;
}

// n padded taps at dst (n may be 0).
inline void pad_taps(int16_t* dst, int32_t n, int16_t value) {
  for (int32_t i = 0; i < n; ++i) dst[i] = value;
}

// dst[i] = src[i] + offset for i < n. A short run (a first layer's few
// channels) is one vector when its 16 bytes lie inside the input, which
// writes up to 16 values: callers write what follows the run afterwards.
TM_AVX2 inline void widen_run(const int8_t* src, int32_t n, int32_t offset,
                              const int8_t* end, int16_t* dst) {
  if (n <= 16 && end - src >= 16) {
    const __m256i v = _mm256_cvtepi8_epi16(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src)));
    _mm256_storeu_si256(
        reinterpret_cast<__m256i*>(dst),
        _mm256_add_epi16(v, _mm256_set1_epi16(static_cast<int16_t>(offset))));
    return;
  }
  x86::widen_with_offset(src, n, offset, dst);
}

// A window wholly inside the input whose rows are contiguous (no dilation,
// one group), x at its first tap: one widened run per window row.
TM_AVX2 inline void widen_window(const TmConvParams& p, const x86::Domain& d,
                                 const int8_t* x, const int8_t* end,
                                 int16_t* dst) {
  const int32_t row = p.input_w * p.input_c;
  const int32_t run = p.filter_w * p.input_c;
  for (int32_t fy = 0; fy < p.filter_h; ++fy, dst += run) {
    widen_run(x + fy * p.dilation_h * row, run, d.offset, end, dst);
  }
}

// Row `dst` of the block: the window of output pixel `at` for input
// channels [c0, c0 + filter_c), in the filter's [KH][KW][C] order, as
// domain d lays it out.
TM_AVX2 void pack_window(const TmConvParams& p, const x86::Domain& d,
                         const int8_t* input, const Pixel& at, int32_t c0,
                         int16_t* dst) {
  const int32_t row = p.input_w * p.input_c;
  const int8_t* end = input + p.batches * p.input_h * row;
  const int8_t* image = input + at.b * p.input_h * row + c0;
  const int32_t iy0 = at.oy * p.stride_h - p.pad_h;
  const int32_t ix0 = at.ox * p.stride_w - p.pad_w;
  // A 1x1 window is never padded (TFLite pads 1x1 filters by nothing).
  if (p.filter_h == 1 && p.filter_w == 1 && p.pad_h == 0 && p.pad_w == 0) {
    widen_run(image + iy0 * row + ix0 * p.input_c, p.filter_c, d.offset, end,
              dst);
    return;
  }
  const int32_t run = p.filter_c;
  const int32_t window_row = p.filter_w * run;
  // Taps of a row lie next to each other in the input too when there is no
  // dilation and a single group: one widening per window row, and for a
  // window wholly inside the input nothing else.
  const bool contiguous = p.dilation_w == 1 && p.filter_c == p.input_c;
  if (contiguous && iy0 >= 0 && ix0 >= 0 &&
      iy0 + (p.filter_h - 1) * p.dilation_h < p.input_h &&
      ix0 + p.filter_w <= p.input_w) {
    widen_window(p, d, image + iy0 * row + ix0 * p.input_c, end, dst);
    return;
  }
  int32_t fx_lo, fx_hi;
  tm_window_taps(ix0, p.dilation_w, p.input_w, p.filter_w, &fx_lo, &fx_hi);
  for (int32_t fy = 0; fy < p.filter_h; ++fy, dst += window_row) {
    const int32_t iy = iy0 + fy * p.dilation_h;
    if (iy < 0 || iy >= p.input_h || fx_lo >= fx_hi) {
      pad_taps(dst, window_row, d.padding);
      continue;
    }
    const int8_t* x =
        image + iy * row + (ix0 + fx_lo * p.dilation_w) * p.input_c;
    if (contiguous) {
      widen_run(x, (fx_hi - fx_lo) * run, d.offset, end, dst + fx_lo * run);
    } else {
      for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
        widen_run(x, run, d.offset, end, dst + fx * run);
        x += p.dilation_w * p.input_c;
      }
    }
    // After the runs, which may have written past their ends.
    pad_taps(dst, fx_lo * run, d.padding);
    pad_taps(dst + fx_hi * run, (p.filter_w - fx_hi) * run, d.padding);
  }
}

// The windows of a block's n pixels at once when they share an output row
// and lie wholly inside the input with contiguous rows (a first layer's
// interior): no per-pixel clipping. False, having written nothing,
// otherwise.
TM_AVX2 bool pack_inside(const TmConvParams& p, const x86::Domain& d,
                         const int8_t* input, const Pixel* at, int32_t n,
                         x86::WindowBlock* block) {
  const Pixel& first = at[0];
  const Pixel& last = at[n - 1];
  const int32_t iy0 = first.oy * p.stride_h - p.pad_h;
  const int32_t ix0 = first.ox * p.stride_w - p.pad_w;
  if (p.dilation_w != 1 || p.filter_c != p.input_c || first.b != last.b ||
      first.oy != last.oy || iy0 < 0 || ix0 < 0 ||
      iy0 + (p.filter_h - 1) * p.dilation_h >= p.input_h ||
      last.ox * p.stride_w - p.pad_w + p.filter_w > p.input_w) {
    return false;
  }
  const int32_t row = p.input_w * p.input_c;
  const int8_t* x = input + (first.b * p.input_h + iy0) * row + ix0 * p.input_c;
  for (int32_t i = 0; i < n; ++i, x += p.stride_w * p.input_c) {
    widen_window(p, d, x, input + p.batches * p.input_h * row, block->x[i]);
  }
  return true;
}

// Whether the AVX2 path takes p: windows up to kMaxTaps and input values
// that fit an int16 lane once offset.
bool covers(const TmConvParams& p) {
  return p.filter_h * p.filter_w * p.filter_c <= x86::kMaxTaps &&
         p.input_offset <= x86::kMaxInputOffset &&
         p.input_offset >= -x86::kMaxInputOffset;
}

// Both AVX2 forms: blocks of output pixels, each window laid out once per
// group, then the group's output channels against the weights as they are
// (packed NULL) or as pack_weights laid them out (one group after another).
void conv_blocks(const TmConvParams& p, const int8_t* input,
                 const int8_t* filter, const int16_t* packed,
                 const int32_t* bias, int8_t* output) {
  const int32_t taps = p.filter_h * p.filter_w * p.filter_c;
  const x86::Requant q =
      x86::make_requant(p.multipliers, p.shifts, true, p.output_offset,
                        p.act_min, p.act_max, p.output_c);
  const x86::Domain d = x86::domain_of(p, bias);
  const int32_t groups = p.input_c / p.filter_c;
  const size_t group_values =
      x86::packed_weights_bytes(p.filters_per_group, taps) / sizeof(int16_t);
  const int32_t pixels = p.batches * p.output_h * p.output_w;
  x86::WindowBlock block;
  // A pointwise convolution's pixels are one run of the input, the packed
  // path's windows as they are (see widen_rows).
  if (packed && p.filter_h == 1 && p.filter_w == 1 && p.stride_h == 1 &&
      p.stride_w == 1 && p.pad_h == 0 && p.pad_w == 0 && groups == 1) {
    const int32_t run = x86::run_rows(taps);
    for (int32_t first = 0; first < pixels; first += run) {
      const int32_t n = pixels - first < run ? pixels - first : run;
      const int16_t* windows =
          x86::widen_rows(input + first * p.input_c, n, taps, d.offset, &block);
      x86::packed_block_outputs(windows, taps, n, taps, packed, p.output_c,
                                d.init, q, 0, output + first * p.output_c,
                                p.output_c);
    }
    return;
  }
  Pixel next = {0, 0, 0};
  for (int32_t first = 0; first < pixels; first += x86::kBlockPixels) {
    const int32_t n =
        pixels - first < x86::kBlockPixels ? pixels - first : x86::kBlockPixels;
    Pixel at[x86::kBlockPixels];
    for (int32_t i = 0; i < n; ++i) {
      at[i] = next;
      next_pixel(p, &next);
    }
    int8_t* out = output + first * p.output_c;
    for (int32_t g = 0; g < groups; ++g) {
      const bool inside = pack_inside(p, d, input, at, n, &block);
      for (int32_t i = 0; i < n; ++i) {
        if (!inside) {
          pack_window(p, d, input, at[i], g * p.filter_c, block.x[i]);
        }
        if (packed) {
          x86::end_window_pairs(block.x[i], taps);
        } else {
          x86::finish_window(block.x[i], taps);
        }
      }
      const int32_t c0 = g * p.filters_per_group;
      if (packed) {
        x86::packed_block_outputs(
            block.x[0], x86::kMaxTaps + 16, n, taps, packed + g * group_values,
            p.filters_per_group, d.init, q, c0, out + c0, p.output_c);
      } else {
        const x86::WeightRows rows = {filter, filter + c0 * taps, taps};
        x86::window_block_outputs(block, n, taps, rows, p.filters_per_group,
                                  d.init, q, c0, out + c0, p.output_c);
      }
    }
  }
}

}  // namespace

bool conv_s8_avx2(const TmConvParams& p, const int8_t* input,
                  const int8_t* filter, const int32_t* bias, int8_t* output) {
  if (!covers(p)) return false;
  conv_blocks(p, input, filter, nullptr, bias, output);
  return true;
}

size_t conv_s8_avx2_packed_bytes(const TmConvParams& p) {
  if (!covers(p)) return 0;
  const int32_t groups = p.input_c / p.filter_c;
  return groups *
             x86::packed_weights_bytes(p.filters_per_group,
                                       p.filter_h * p.filter_w * p.filter_c) +
         x86::kPanelSlack;
}

void conv_s8_avx2_pack(const TmConvParams& p, const int8_t* filter,
                       void* packed) {
  const int32_t taps = p.filter_h * p.filter_w * p.filter_c;
  const int32_t groups = p.input_c / p.filter_c;
  const size_t group_values =
      x86::packed_weights_bytes(p.filters_per_group, taps) / sizeof(int16_t);
  for (int32_t g = 0; g < groups; ++g) {
    x86::pack_weights(filter + g * p.filters_per_group * taps,
                      p.filters_per_group, taps,
                      x86::panels_in(packed) + g * group_values);
  }
}

void conv_s8_avx2_packed(const TmConvParams& p, const void* packed,
                         const int8_t* input, const int32_t* bias,
                         int8_t* output) {
  conv_blocks(p, input, nullptr, x86::panels_in(packed), bias, output);
}

}  // namespace tierml

#endif  // TM_X86_AVX2
