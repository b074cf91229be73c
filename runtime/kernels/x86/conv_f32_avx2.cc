// CONV_2D float32 with AVX2, groups of 1.
//
// The filter is transposed into panels of output channels, [K = taps x
// C_in][panel], so that eight adjacent output channels are one vector: 6
// pixels x 16 channels (12 x 8 when C_out <= 8) accumulate along K, each
// input value broadcast to eight channels at once. Every sum runs over the
// taps in the filter's order, each product rounded before its addition, as
// in the portable loop; padded taps add exact zeros (the portable loop skips
// them), so the results are the portable loop's bits.
//
// The interpreter transposes the whole filter once, at prepare, into its
// arena (conv_f32_avx2_pack), any depth. Without that copy (tm_conv_f32, the
// generated C) each panel is transposed onto the stack per invoke, one pass
// over the filter, for filters of up to kMaxDepth values per channel.
#if defined(__x86_64__)

#include "kernels/x86/conv_f32_avx2.h"
#include "kernels/x86/packed_gemm_avx2.h"
#include "kernels/x86/util_f32_avx2.h"

namespace tierml {
namespace x86 {
namespace {

constexpr int32_t kPanel = 16;       // output channels per packed panel
constexpr int32_t kMaxDepth = 1024;  // a stack panel is 64 KiB
constexpr int kBlockPixels = 6;      // 6 x 2 accumulators + 2 weight vectors
constexpr int kMaxBlockPixels = 2 * kBlockPixels;  // 12 x 1 when C_out <= 8

// Stands in for padded taps and filter rows, kZerosLen values at a time.
constexpr int32_t kZerosLen = 1024;
alignas(32) const float kZeros[kZerosLen] = {};

int32_t depth_of(const TmConvParams& p) {
  return p.filter_h * p.filter_w * p.filter_c;
}

// Output channels per panel: 8 when C_out <= 8 (12 x 8 tiles), else 16.
int32_t panel_width(const TmConvParams& p) {
  return p.output_c <= 8 ? 8 : kPanel;
}

// packed[k][j] = filter[oc + j][k] for j < width, zero past C_out.
void pack_panel(const TmConvParams& p, const float* filter, int32_t oc,
                int32_t width, float* packed) {
  const int32_t depth = depth_of(p);
  for (int32_t j = 0; j < width; ++j) {
    const float* f = filter + (oc + j) * depth;
    const bool real = oc + j < p.output_c;
    for (int32_t k = 0; k < depth; ++k) {
      packed[k * width + j] = real ? f[k] : 0.0f;
    }
  }
}

// Where a block's pixels start: window origin in the input, and output.
struct PixelBlock {
  int32_t iy0[kMaxBlockPixels], ix0[kMaxBlockPixels];
  float* out[kMaxBlockPixels];
};

// acc += x * w over n consecutive k from x[i] and the packed panel w (NV
// vectors wide): product rounded, then added, as in the portable loop.
template <int MR, int NV>
TM_AVX2 inline void packed_run(const float* const* x, const float* w,
                               int32_t n, __m256 (&acc)[MR][NV]) {
  for (int32_t k = 0; k < n; ++k) {
    __m256 wv[NV];
    for (int v = 0; v < NV; ++v) wv[v] = _mm256_loadu_ps(w + 8 * v);
    for (int i = 0; i < MR; ++i) {
      const __m256 xv = _mm256_broadcast_ss(x[i] + k);
      for (int v = 0; v < NV; ++v)
        acc[i][v] = _mm256_add_ps(acc[i][v], _mm256_mul_ps(wv[v], xv));
    }
    w += 8 * NV;
  }
}

// packed_run in pieces of at most kZerosLen values, so that kZeros can stand
// in for padding of any length; the sums keep their order.
template <int MR, int NV>
TM_AVX2 inline void packed_span(const float* const* x, const float* w,
                                int32_t n, __m256 (&acc)[MR][NV]) {
  for (int32_t k0 = 0; k0 < n; k0 += kZerosLen) {
    const float* xs[MR];
    for (int i = 0; i < MR; ++i) xs[i] = x[i] == kZeros ? kZeros : x[i] + k0;
    const int32_t len = n - k0 < kZerosLen ? n - k0 : kZerosLen;
    packed_run<MR, NV>(xs, w + k0 * 8 * NV, len, acc);
  }
}

// Output channels [oc, oc + 8 x NV) of MR pixels of one image from their
// packed panel, over every tap of the filter in order; taps in the padding
// read zeros. A filter row whose taps are inside the input for every pixel
// is one run of filter_w x C_in values (without dilation), as it is in the
// packed panel.
template <int MR, int NV>
TM_AVX2 void packed_block(const TmConvParams& p, const float* image,
                          const PixelBlock& blk, const float* panel,
                          const float* bias, int32_t oc) {
  const int32_t row_run = p.filter_w * p.input_c;
  __m256 acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  bool cols_inside = p.dilation_w == 1;
  for (int i = 0; i < MR; ++i) {
    cols_inside = cols_inside && blk.ix0[i] >= 0 &&
                  blk.ix0[i] + p.filter_w <= p.input_w;
  }
  const float* w = panel;
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
      packed_span<MR, NV>(x, w, row_run, acc);
      w += row_run * 8 * NV;
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
      packed_span<MR, NV>(x, w, p.input_c, acc);
      w += p.input_c * 8 * NV;
    }
  }
  // bias after the sum, then the portable clamp (a NaN passes: max/min
  // return their second operand when either is NaN); channels past C_out
  // are masked.
  const __m256 lo = _mm256_set1_ps(p.act_min_f);
  const __m256 hi = _mm256_set1_ps(p.act_max_f);
  for (int v = 0; v < NV; ++v) {
    const int32_t c = oc + 8 * v;
    const int32_t n = p.output_c - c;
    if (n <= 0) break;
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

// One panel's channels [oc, oc + 8 x NV) for every pixel, MR at a time in
// each image's raster order (a short last block repeats its last pixel,
// writing the same values twice).
template <int MR, int NV>
TM_AVX2 void panel_pixels(const TmConvParams& p, const float* input,
                          const float* panel, const float* bias, int32_t oc,
                          float* output) {
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
      packed_block<MR, NV>(p, image, blk, panel, bias, oc);
    }
  }
}

// Channels [oc, oc + panel_width) for every pixel from their panel.
TM_AVX2 void run_panel(const TmConvParams& p, const float* input,
                       const float* panel, const float* bias, int32_t oc,
                       float* output) {
  if (p.output_c <= 8) {
    panel_pixels<kMaxBlockPixels, 1>(p, input, panel, bias, oc, output);
  } else {
    panel_pixels<kBlockPixels, 2>(p, input, panel, bias, oc, output);
  }
}

// The arena's copy: panels back to back from the first 32-byte boundary of
// the buffer (packed_gemm_avx2.h's rule, so that no load splits a line).
const float* panels_of(const void* packed) {
  return reinterpret_cast<const float*>(panels_in(packed));
}

}  // namespace

bool conv_f32_avx2_covers(const TmConvParams& p) {
  return p.filter_c == p.input_c && depth_of(p) <= kMaxDepth;
}

size_t conv_f32_avx2_packed_bytes(const TmConvParams& p) {
  if (p.filter_c != p.input_c) return 0;
  const int32_t width = panel_width(p);
  const size_t panels = (p.output_c + width - 1) / width;
  return panels * depth_of(p) * width * sizeof(float) + kPanelSlack;
}

void conv_f32_avx2_pack(const TmConvParams& p, const float* filter,
                        void* packed) {
  const int32_t width = panel_width(p);
  float* panel = const_cast<float*>(panels_of(packed));
  for (int32_t oc = 0; oc < p.output_c; oc += width) {
    pack_panel(p, filter, oc, width, panel);
    panel += depth_of(p) * width;
  }
}

TM_AVX2 void conv_f32_avx2_packed(const TmConvParams& p, const void* packed,
                                  const float* input, const float* bias,
                                  float* output) {
  const int32_t width = panel_width(p);
  const float* panel = panels_of(packed);
  for (int32_t oc = 0; oc < p.output_c; oc += width) {
    run_panel(p, input, panel, bias, oc, output);
    panel += depth_of(p) * width;
  }
}

TM_AVX2 void conv_f32_avx2(const TmConvParams& p, const float* input,
                           const float* filter, const float* bias,
                           float* output) {
  alignas(32) float panel[kMaxDepth * kPanel];
  const int32_t width = panel_width(p);
  for (int32_t oc = 0; oc < p.output_c; oc += width) {
    pack_panel(p, filter, oc, width, panel);
    run_panel(p, input, panel, bias, oc, output);
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
