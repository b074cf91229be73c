// The inner block of the AVX2+FMA float kernels that reduce over contiguous
// runs (CONV_2D, FULLY_CONNECTED): MR outputs pixels (or batches) x NR output
// channels (or units), each sum an 8-lane vector accumulated along the runs
// of its window and reduced once at the end. No weight packing is needed: in
// NHWC a conv window row (and an FC input row) is a contiguous run in both
// the input and the filter.
//
// Summation order differs from the portable loops (eight interleaved partial
// sums, then a fixed tree; fused multiply-adds) but is the same for every
// output with the same window geometry, whichever MR x NR block computes it.
// Tails are masked loads, so nothing beyond a run is read.
//
// Only included by kernels/x86/*_f32_avx2.cc, inside their x86-64 guard.
#ifndef TIERML_KERNELS_X86_DOT_F32_AVX2_H_
#define TIERML_KERNELS_X86_DOT_F32_AVX2_H_

#include <immintrin.h>
#include <stdint.h>

#include "kernels/window_padding.h"

#define TM_AVX2_FMA __attribute__((target("avx2,fma")))

namespace tierml {
namespace x86 {

// How one output's window is walked: rows x runs runs of run_len floats; the
// steps are the distances between consecutive runs (in a row) and rows, in
// the input and in the filter.
struct RunGeometry {
  int32_t rows, runs, run_len;
  int32_t x_run_step, x_row_step;
  int32_t w_run_step, w_row_step;
};

// tm_window_taps without its divisions for windows wholly inside the input
// (most of them): the kernels call it once per output pixel.
inline void window_taps(int32_t origin, int32_t dilation, int32_t size,
                        int32_t taps, int32_t* lo, int32_t* hi) {
  if (origin >= 0 && origin + (taps - 1) * dilation < size) {
    *lo = 0;
    *hi = taps;
  } else {
    tm_window_taps(origin, dilation, size, taps, lo, hi);
  }
}

// Lanes [0, n) set, for masked loads of a run's last n < 8 floats.
TM_AVX2_FMA inline __m256i tail_mask(int32_t n) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lanes);
}

// Four accumulators reduced to their four sums, one per lane, by the same
// tree for each: ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)).
TM_AVX2_FMA inline __m128 reduce4(__m256 a, __m256 b, __m256 c, __m256 d) {
  const __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
  return _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
}

// out[j] = clamp(sum[j] + bias[j]) for the first n (4 or 1) lanes, as the
// portable loops finish: bias after the sum, then the activation range (a
// NaN passes: max/min return their second operand when either is NaN).
TM_AVX2_FMA inline void finish4(__m128 sum, const float* bias, int32_t n,
                                __m128 lo, __m128 hi, float* out) {
  if (n == 4) {
    const __m128 v = bias ? _mm_add_ps(sum, _mm_loadu_ps(bias)) : sum;
    _mm_storeu_ps(out, _mm_min_ps(hi, _mm_max_ps(lo, v)));
  } else {
    const __m128 v = bias ? _mm_add_ss(sum, _mm_load_ss(bias)) : sum;
    _mm_store_ss(out, _mm_min_ss(hi, _mm_max_ss(lo, v)));
  }
}

// Accumulates MR x NR window dot products: x[i] is pixel i's first input
// value, w[j] channel j's first weight, all with geometry g. acc[i][j] holds
// the eight partial sums of pixel i, channel j.
template <int MR, int NR>
TM_AVX2_FMA inline void dot_block(const RunGeometry& g,
                                  const float* const* x,
                                  const float* const* w, __m256 (&acc)[MR][NR]) {
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = _mm256_setzero_ps();
  const int32_t full = g.run_len & ~7;
  const __m256i mask = tail_mask(g.run_len - full);
  for (int32_t r = 0; r < g.rows; ++r) {
    for (int32_t c = 0; c < g.runs; ++c) {
      const int32_t x_off = r * g.x_row_step + c * g.x_run_step;
      const int32_t w_off = r * g.w_row_step + c * g.w_run_step;
      const float* xr[MR];
      const float* wr[NR];
      for (int i = 0; i < MR; ++i) xr[i] = x[i] + x_off;
      for (int j = 0; j < NR; ++j) wr[j] = w[j] + w_off;
      for (int32_t k = 0; k < full; k += 8) {
        __m256 xv[MR];
        for (int i = 0; i < MR; ++i) xv[i] = _mm256_loadu_ps(xr[i] + k);
        for (int j = 0; j < NR; ++j) {
          const __m256 wv = _mm256_loadu_ps(wr[j] + k);
          for (int i = 0; i < MR; ++i)
            acc[i][j] = _mm256_fmadd_ps(xv[i], wv, acc[i][j]);
        }
      }
      if (full < g.run_len) {
        __m256 xv[MR];
        for (int i = 0; i < MR; ++i)
          xv[i] = _mm256_maskload_ps(xr[i] + full, mask);
        for (int j = 0; j < NR; ++j) {
          const __m256 wv = _mm256_maskload_ps(wr[j] + full, mask);
          for (int i = 0; i < MR; ++i)
            acc[i][j] = _mm256_fmadd_ps(xv[i], wv, acc[i][j]);
        }
      }
    }
  }
}

// Computes and writes an MR x NR block of outputs: out[i] is pixel i's
// output at the block's first channel; bias (or NULL) at that channel.
// NR is 4 or 1; a single channel goes through the same reduction tree.
template <int MR, int NR>
TM_AVX2_FMA inline void output_block(const RunGeometry& g,
                                     const float* const* x,
                                     const float* const* w, const float* bias,
                                     float act_min, float act_max,
                                     float* const* out) {
  __m256 acc[MR][NR];
  dot_block<MR, NR>(g, x, w, acc);
  const __m128 lo = _mm_set1_ps(act_min), hi = _mm_set1_ps(act_max);
  for (int i = 0; i < MR; ++i) {
    const __m256 a = acc[i][0];
    const __m256 b = acc[i][NR > 1 ? 1 : 0];
    const __m256 c = acc[i][NR > 2 ? 2 : 0];
    const __m256 d = acc[i][NR > 3 ? 3 : 0];
    finish4(reduce4(a, b, c, d), bias, NR, lo, hi, out[i]);
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // TIERML_KERNELS_X86_DOT_F32_AVX2_H_
