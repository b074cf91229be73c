// CONV_2D float32 with AVX2+FMA, two ways chosen by shape:
//
// - Small filters (the repacked filter fits kPackedFloats) over enough
//   pixels: the filter is transposed on the stack to [taps x C_in][C_out],
//   and six pixels x sixteen output channels (twelve x eight when C_out <=
//   8) accumulate tap by tap, each input value broadcast to eight channels
//   at once. Layers with few input
//   channels (a network's first layers) only run well this way.
// - Otherwise each output is a dot product over its window's contiguous runs
//   (dot_f32_avx2.h): three horizontally adjacent pixels with the same
//   clipping share every weight load and four output channels every input
//   load; pixels at the edges of a row go one at a time. No copy of the
//   filter, so big layers with few pixels pay nothing per invoke.
//
// Both skip padded taps (the first adds exact zeros for them, the second
// clips the window), as the portable loop does.
#if defined(__x86_64__)

#include "kernels/x86/dot_f32_avx2.h"
#include "kernels/x86/f32_avx2.h"

namespace tierml {
namespace x86 {
namespace {

constexpr int kPixels = 3;    // 3 x 4 accumulators + 4 loaded vectors
constexpr int kChannels = 4;  // fill the 16 YMM registers

// The broadcast path: its filter copy lives on the stack (32 KiB), and it
// needs enough pixels to pay for the copy.
constexpr int32_t kPackedFloats = 8192;
constexpr int32_t kPackedMinPixels = 64;
constexpr int kBlockPixels = 6;  // 6 x 2 accumulators + 2 weight vectors
constexpr int kMaxBlockPixels = 2 * kBlockPixels;  // with C_out <= 8
// Stands in for padded taps and filter rows: the packed stride is at least
// 8, so a filter holds at most kPackedFloats / 8 values per output channel.
alignas(32) const float kZeros[kPackedFloats / 8] = {};

int32_t packed_stride(const TmConvParams& p) { return (p.output_c + 7) & ~7; }

bool packed_path(const TmConvParams& p) {
  const int32_t depth = p.filter_h * p.filter_w * p.filter_c;
  const int64_t pixels = int64_t{p.batches} * p.output_h * p.output_w;
  return p.filter_c == p.input_c &&
         int64_t{depth} * packed_stride(p) <= kPackedFloats &&
         pixels >= kPackedMinPixels;
}

// packed[k][oc] = filter[oc][k], channels padded with zeros to the stride.
void pack_filter(const TmConvParams& p, const float* filter, float* packed) {
  const int32_t depth = p.filter_h * p.filter_w * p.filter_c;
  const int32_t stride = packed_stride(p);
  for (int32_t k = 0; k < depth; ++k) {
    for (int32_t oc = p.output_c; oc < stride; ++oc) packed[k * stride + oc] = 0;
  }
  for (int32_t oc = 0; oc < p.output_c; ++oc) {
    for (int32_t k = 0; k < depth; ++k) {
      packed[k * stride + oc] = filter[oc * depth + k];
    }
  }
}

// Where a block's pixels start: window origin in the input, and output.
struct PixelBlock {
  int32_t iy0[kMaxBlockPixels], ix0[kMaxBlockPixels];
  float* out[kMaxBlockPixels];
};

// Accumulates n consecutive k (taps x input channels) from x[i] and packed
// weights w: MR pixels x NV vectors of 8 output channels.
template <int MR, int NV>
TM_AVX2_FMA inline void packed_run(const float* const* x, const float* w,
                                   int32_t stride, int32_t n,
                                   __m256 (&acc)[MR][NV]) {
  for (int32_t k = 0; k < n; ++k) {
    __m256 wv[NV];
    for (int v = 0; v < NV; ++v) wv[v] = _mm256_loadu_ps(w + 8 * v);
    for (int i = 0; i < MR; ++i) {
      const __m256 xv = _mm256_broadcast_ss(x[i] + k);
      for (int v = 0; v < NV; ++v)
        acc[i][v] = _mm256_fmadd_ps(xv, wv[v], acc[i][v]);
    }
    w += stride;
  }
}

// Output channels [oc, oc + 8 x NV) of MR pixels of one image, over every
// tap of the filter in order; taps in the padding read zeros. A filter row
// whose taps are inside the input for every pixel is one run of
// filter_w x C_in values (without dilation), as it is in the packed filter.
template <int MR, int NV>
TM_AVX2_FMA void packed_block(const TmConvParams& p, const float* image,
                              const PixelBlock& blk, const float* packed,
                              const float* bias, int32_t oc) {
  const int32_t stride = packed_stride(p);
  const int32_t row_run = p.filter_w * p.input_c;
  __m256 acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  bool cols_inside = p.dilation_w == 1;
  for (int i = 0; i < MR; ++i) {
    cols_inside = cols_inside && blk.ix0[i] >= 0 &&
                  blk.ix0[i] + p.filter_w <= p.input_w;
  }
  const float* w = packed + oc;
  const float* x[MR];
  for (int32_t fy = 0; fy < p.filter_h; ++fy) {
    if (cols_inside) {
      for (int i = 0; i < MR; ++i) {
        const int32_t iy = blk.iy0[i] + fy * p.dilation_h;
        const bool inside =
            static_cast<uint32_t>(iy) < static_cast<uint32_t>(p.input_h);
        x[i] = inside ? image + (iy * p.input_w + blk.ix0[i]) * p.input_c
                      : kZeros;
      }
      packed_run<MR, NV>(x, w, stride, row_run, acc);
      w += row_run * stride;
      continue;
    }
    for (int32_t fx = 0; fx < p.filter_w; ++fx) {
      for (int i = 0; i < MR; ++i) {
        const int32_t iy = blk.iy0[i] + fy * p.dilation_h;
        const int32_t ix = blk.ix0[i] + fx * p.dilation_w;
        const bool inside = static_cast<uint32_t>(iy) <
                                static_cast<uint32_t>(p.input_h) &&
                            static_cast<uint32_t>(ix) <
                                static_cast<uint32_t>(p.input_w);
        x[i] = inside ? image + (iy * p.input_w + ix) * p.input_c : kZeros;
      }
      packed_run<MR, NV>(x, w, stride, p.input_c, acc);
      w += p.input_c * stride;
    }
  }
  // bias + sum, then the portable clamp (a NaN passes: max/min return their
  // second operand when either is NaN); channels past C_out are masked.
  const __m256 lo = _mm256_set1_ps(p.act_min_f);
  const __m256 hi = _mm256_set1_ps(p.act_max_f);
  for (int v = 0; v < NV; ++v) {
    const int32_t c = oc + 8 * v;
    const int32_t n = p.output_c - c;
    const __m256i mask = tail_mask(n < 8 ? n : 8);
    const __m256 b =
        bias ? _mm256_maskload_ps(bias + c, mask) : _mm256_setzero_ps();
    for (int i = 0; i < MR; ++i) {
      const __m256 y =
          _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc[i][v], b)));
      if (n >= 8) {
        _mm256_storeu_ps(blk.out[i] + c, y);
      } else {
        _mm256_maskstore_ps(blk.out[i] + c, mask, y);
      }
    }
  }
}

// The broadcast path for MR pixels at a time, each image's in raster order
// (a short last block repeats its last pixel, writing the same values twice):
// 12 pixels x 8 channels when C_out <= 8, else 6 pixels x 16 channels, 12
// accumulators either way.
template <int MR>
TM_AVX2_FMA void conv_packed(const TmConvParams& p, const float* input,
                             const float* packed, const float* bias,
                             float* output) {
  const int32_t stride = packed_stride(p);
  const int32_t plane = p.output_h * p.output_w;
  for (int32_t b = 0; b < p.batches; ++b) {
    const float* image = input + b * p.input_h * p.input_w * p.input_c;
    int32_t oy = 0, ox = 0;  // the next block's first pixel
    for (int32_t q = 0; q < plane; q += MR) {
      PixelBlock blk;
      const int m = plane - q < MR ? plane - q : MR;
      for (int i = 0; i < MR; ++i) {
        blk.iy0[i] = oy * p.stride_h - p.pad_h;
        blk.ix0[i] = ox * p.stride_w - p.pad_w;
        blk.out[i] = output;
        if (i + 1 < m) {
          output += p.output_c;
          if (++ox == p.output_w) ox = 0, ++oy;
        }
      }
      output += p.output_c;
      if (++ox == p.output_w) ox = 0, ++oy;
      if (MR == 2 * kBlockPixels) {
        packed_block<MR, 1>(p, image, blk, packed, bias, 0);
        continue;
      }
      int32_t oc = 0;
      for (; oc + 16 <= stride; oc += 16)
        packed_block<MR, 2>(p, image, blk, packed, bias, oc);
      if (oc < stride) packed_block<MR, 1>(p, image, blk, packed, bias, oc);
    }
  }
}

// The walk of a window clipped to rows x cols taps. Without dilation and
// groups a window row is one contiguous run of cols x C_in floats in both the
// input and the filter; otherwise each tap is a run of the group's channels.
RunGeometry window_geometry(const TmConvParams& p, int32_t rows,
                            int32_t cols) {
  const bool contiguous = p.dilation_w == 1 && p.filter_c == p.input_c;
  RunGeometry g;
  g.rows = rows;
  g.runs = contiguous ? 1 : cols;
  g.run_len = contiguous ? cols * p.filter_c : p.filter_c;
  g.x_run_step = p.dilation_w * p.input_c;
  g.x_row_step = p.dilation_h * p.input_w * p.input_c;
  g.w_run_step = p.filter_c;
  g.w_row_step = p.filter_w * p.filter_c;
  return g;
}

// All output channels of MR pixels whose windows share geometry g: x[i] is
// pixel i's first input tap (channel 0), w_first the offset of that tap in
// each channel's filter, out[i] pixel i's outputs.
template <int MR>
TM_AVX2_FMA void conv_pixels(const TmConvParams& p, const RunGeometry& g,
                             const float* const* x, const float* filter,
                             int32_t w_first, const float* bias,
                             float* const* out) {
  const int32_t filter_size = p.filter_h * p.filter_w * p.filter_c;
  const int32_t groups = p.input_c / p.filter_c;
  for (int32_t group = 0; group < groups; ++group) {
    const float* xg[MR];
    for (int i = 0; i < MR; ++i) xg[i] = x[i] + group * p.filter_c;
    const int32_t oc_end = (group + 1) * p.filters_per_group;
    int32_t oc = group * p.filters_per_group;
    for (; oc + kChannels <= oc_end; oc += kChannels) {
      const float* w[kChannels];
      for (int j = 0; j < kChannels; ++j)
        w[j] = filter + (oc + j) * filter_size + w_first;
      float* o[MR];
      for (int i = 0; i < MR; ++i) o[i] = out[i] + oc;
      output_block<MR, kChannels>(g, xg, w, bias ? bias + oc : nullptr,
                                  p.act_min_f, p.act_max_f, o);
    }
    for (; oc < oc_end; ++oc) {
      const float* w[1] = {filter + oc * filter_size + w_first};
      float* o[MR];
      for (int i = 0; i < MR; ++i) o[i] = out[i] + oc;
      output_block<MR, 1>(g, xg, w, bias ? bias + oc : nullptr, p.act_min_f,
                          p.act_max_f, o);
    }
  }
}

// The dot-product path: windows clipped per pixel, runs of kPixels pixels
// sharing their clipping.
TM_AVX2_FMA void conv_runs(const TmConvParams& p, const float* input,
                           const float* filter, const float* bias,
                           float* output) {
  const int32_t row = p.input_w * p.input_c;
  for (int32_t b = 0; b < p.batches; ++b) {
    const float* image = input + b * p.input_h * row;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      int32_t fy_lo, fy_hi;
      window_taps(iy0, p.dilation_h, p.input_h, p.filter_h, &fy_lo, &fy_hi);
      int32_t fx_lo[kPixels], fx_hi[kPixels];
      for (int32_t ox = 0; ox < p.output_w;) {
        // How many pixels from ox on (up to kPixels) share ox's clipping.
        int n = 0;
        for (; n < kPixels && ox + n < p.output_w; ++n) {
          window_taps((ox + n) * p.stride_w - p.pad_w, p.dilation_w,
                         p.input_w, p.filter_w, &fx_lo[n], &fx_hi[n]);
          if (fx_lo[n] != fx_lo[0] || fx_hi[n] != fx_hi[0]) break;
        }
        const int32_t rows = fy_hi - fy_lo, cols = fx_hi[0] - fx_lo[0];
        const RunGeometry g = window_geometry(p, rows, cols);
        const int32_t w_first = (fy_lo * p.filter_w + fx_lo[0]) * p.filter_c;
        const int m = n == kPixels ? kPixels : 1;
        const float* x[kPixels];
        float* out[kPixels];
        for (int i = 0; i < m; ++i) {
          const int32_t ix = (ox + i) * p.stride_w - p.pad_w;
          // An empty window reads nothing; keep its pointer in the image.
          x[i] = rows > 0 && cols > 0
                     ? image + (iy0 + p.dilation_h * fy_lo) * row +
                           (ix + p.dilation_w * fx_lo[0]) * p.input_c
                     : image;
          out[i] = output + i * p.output_c;
        }
        if (m == kPixels) {
          conv_pixels<kPixels>(p, g, x, filter, w_first, bias, out);
        } else {
          conv_pixels<1>(p, g, x, filter, w_first, bias, out);
        }
        output += m * p.output_c;
        ox += m;
      }
    }
  }
}

}  // namespace

TM_AVX2_FMA void conv_f32_avx2(const TmConvParams& p, const float* input,
                               const float* filter, const float* bias,
                               float* output) {
  if (packed_path(p)) {
    alignas(32) float packed[kPackedFloats];
    pack_filter(p, filter, packed);
    if (packed_stride(p) == 8) {
      conv_packed<kMaxBlockPixels>(p, input, packed, bias, output);
    } else {
      conv_packed<kBlockPixels>(p, input, packed, bias, output);
    }
  } else {
    conv_runs(p, input, filter, bias, output);
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
