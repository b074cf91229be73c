// DEPTHWISE_CONV_2D float32 with AVX2, depth multiplier 1: channels are
// contiguous in the input, the filter and the output, so each 8-channel
// vector is eight outputs summed tap by tap in the portable loop's order
// (padded taps skipped), each product rounded before its addition as there:
// the portable loop's bits. Runs of four
// horizontally adjacent pixels with the same clipping share each weight load
// (four independent sums in flight); pixels at the edges of a row go one at
// a time. Channel tails use masked loads and stores.
#if defined(__x86_64__)

#include "kernels/x86/util_f32_avx2.h"
#include "kernels/x86/depthwise_conv_f32_avx2.h"

namespace tierml {
namespace x86 {
namespace {

constexpr int kPixels = 4;

// MR pixels' windows clipped alike to rows x cols taps: pixel i's first tap
// at input x[i] (channel 0), the filter's at w.
struct Windows {
  const float* x[kPixels];
  const float* w;
  int32_t rows, cols;
  int32_t x_col_step, x_row_step;  // between taps in the input
  int32_t w_col_step, w_row_step;  // between taps in the filter
};

template <bool kMasked>
TM_AVX2 inline __m256 load8(const float* a, __m256i mask) {
  return kMasked ? _mm256_maskload_ps(a, mask) : _mm256_loadu_ps(a);
}

// Channels [c, c + 8 x NV) of MR pixels; with kMasked (NV = 1) only the
// first n of them (n < 8), the rest neither read nor written.
template <int MR, int NV, bool kMasked>
TM_AVX2 inline void channels(const TmDepthwiseConvParams& p,
                                 const Windows& win, int32_t c, int32_t n,
                                 const float* bias, float* const* out) {
  const __m256i mask = tail_mask(n);
  __m256 acc[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  for (int32_t r = 0; r < win.rows; ++r) {
    const int32_t x_row = r * win.x_row_step + c;
    const float* w = win.w + r * win.w_row_step + c;
    for (int32_t t = 0; t < win.cols; ++t) {
      const int32_t x_off = x_row + t * win.x_col_step;
      for (int v = 0; v < NV; ++v) {
        const __m256 wv = load8<kMasked>(w + 8 * v, mask);
        for (int i = 0; i < MR; ++i) {
          acc[i][v] = _mm256_add_ps(
              acc[i][v],
              _mm256_mul_ps(load8<kMasked>(win.x[i] + x_off + 8 * v, mask),
                            wv));
        }
      }
      w += win.w_col_step;
    }
  }
  // bias after the sum, then the portable clamp (a NaN passes: max/min
  // return their second operand when either is NaN).
  const __m256 lo = _mm256_set1_ps(p.act_min_f);
  const __m256 hi = _mm256_set1_ps(p.act_max_f);
  for (int v = 0; v < NV; ++v) {
    const __m256 b = bias ? load8<kMasked>(bias + c + 8 * v, mask) : _mm256_setzero_ps();
    for (int i = 0; i < MR; ++i) {
      const __m256 y =
          _mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_add_ps(acc[i][v], b)));
      if (kMasked) {
        _mm256_maskstore_ps(out[i] + c, mask, y);
      } else {
        _mm256_storeu_ps(out[i] + c + 8 * v, y);
      }
    }
  }
}

// All channels of MR pixels.
template <int MR>
TM_AVX2 void pixels(const TmDepthwiseConvParams& p, const Windows& win,
                        const float* bias, float* const* out) {
  const int32_t channels_end = p.output_c;
  int32_t c = 0;
  for (; c + 16 <= channels_end; c += 16)
    channels<MR, 2, false>(p, win, c, 8, bias, out);
  for (; c + 8 <= channels_end; c += 8)
    channels<MR, 1, false>(p, win, c, 8, bias, out);
  if (c < channels_end)
    channels<MR, 1, true>(p, win, c, channels_end - c, bias, out);
}

}  // namespace

bool depthwise_f32_avx2_covers(const TmDepthwiseConvParams& p) {
  return p.depth_multiplier == 1;
}

TM_AVX2 void depthwise_conv_f32_avx2(const TmDepthwiseConvParams& p,
                                         const float* input,
                                         const float* filter,
                                         const float* bias, float* output) {
  const int32_t channels = p.output_c;
  const int32_t row = p.input_w * channels;
  Windows win = {};
  win.x_col_step = p.dilation_w * channels;
  win.x_row_step = p.dilation_h * row;
  win.w_col_step = channels;
  win.w_row_step = p.filter_w * channels;
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
        win.rows = fy_hi - fy_lo;
        win.cols = fx_hi[0] - fx_lo[0];
        const bool empty = win.rows <= 0 || win.cols <= 0;
        // An empty window reads nothing; keep its pointers in the tensors.
        win.w = empty ? filter
                      : filter + (fy_lo * p.filter_w + fx_lo[0]) * channels;
        const int m = n == kPixels ? kPixels : 1;
        float* out[kPixels];
        for (int i = 0; i < m; ++i) {
          const int32_t ix0 = (ox + i) * p.stride_w - p.pad_w;
          win.x[i] = empty ? image
                           : image + (iy0 + p.dilation_h * fy_lo) * row +
                                 (ix0 + p.dilation_w * fx_lo[0]) * channels;
          out[i] = output + i * channels;
        }
        if (m == kPixels) {
          pixels<kPixels>(p, win, bias, out);
        } else {
          pixels<1>(p, win, bias, out);
        }
        output += m * channels;
        ox += m;
      }
    }
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
