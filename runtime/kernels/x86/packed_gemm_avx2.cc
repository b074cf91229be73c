#include "kernels/x86/packed_gemm_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>
#include <string.h>

#include "kernels/int8_dot.h"

namespace tierml {
namespace x86 {
namespace {

constexpr int32_t kPanelChannels = 8;

int32_t pairs_of(int32_t taps) { return (taps + 1) / 2; }
int32_t panels_of(int32_t channels) {
  return (channels + kPanelChannels - 1) / kPanelChannels;
}
// int16 values per panel.
size_t panel_values(int32_t taps) {
  return static_cast<size_t>(pairs_of(taps)) * 2 * kPanelChannels;
}

// A window's values 2k and 2k + 1 (at x) in every int32 lane.
TM_AVX2 inline __m256i broadcast_pair(const int16_t* x) {
  int32_t pair;
  memcpy(&pair, x, sizeof(pair));
  return _mm256_set1_epi32(pair);
}

TM_AVX2 inline __m256i load_panel_row(const int16_t* w) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
}

// acc[p * NP + j] = window p . panel j over all tap pairs, for four pixels
// by two panels (a block of pixels) and one pixel by four panels (a
// FULLY_CONNECTED batch of one). Named accumulators, out of line, for the
// reason given in int8_gemm_avx2.cc: GCC otherwise copies them around.
TM_NOINLINE TM_AVX2 void tile_4x2(const int16_t* const* x,
                                  const int16_t* const* w, int32_t pairs,
                                  __m256i* acc) {
  const int16_t *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
  const int16_t *w0 = w[0], *w1 = w[1];
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
          a5 = a0, a6 = a0, a7 = a0;
  for (int32_t k = 0; k < pairs; ++k) {
    const __m256i u = load_panel_row(w0 + 16 * k);
    const __m256i v = load_panel_row(w1 + 16 * k);
    __m256i xv = broadcast_pair(x0 + 2 * k);
    a0 = mac(a0, xv, u);
    a1 = mac(a1, xv, v);
    xv = broadcast_pair(x1 + 2 * k);
    a2 = mac(a2, xv, u);
    a3 = mac(a3, xv, v);
    xv = broadcast_pair(x2 + 2 * k);
    a4 = mac(a4, xv, u);
    a5 = mac(a5, xv, v);
    xv = broadcast_pair(x3 + 2 * k);
    a6 = mac(a6, xv, u);
    a7 = mac(a7, xv, v);
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}

// tile_4x2's first panel alone (acc[p * 2]), for a last odd panel: eight
// output channels (a first layer's) would otherwise run a copy of their panel
// in the second one.
TM_NOINLINE TM_AVX2 void tile_4x1(const int16_t* const* x,
                                  const int16_t* const* w, int32_t pairs,
                                  __m256i* acc) {
  const int16_t *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
  const int16_t* w0 = w[0];
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  for (int32_t k = 0; k < pairs; ++k) {
    const __m256i u = load_panel_row(w0 + 16 * k);
    a0 = mac(a0, broadcast_pair(x0 + 2 * k), u);
    a1 = mac(a1, broadcast_pair(x1 + 2 * k), u);
    a2 = mac(a2, broadcast_pair(x2 + 2 * k), u);
    a3 = mac(a3, broadcast_pair(x3 + 2 * k), u);
  }
  acc[0] = a0, acc[2] = a1, acc[4] = a2, acc[6] = a3;
}

// One pixel by two panels (acc[0], acc[1]), for a run's last pixel: four
// slots of tile_4x2 would compute it four times.
TM_NOINLINE TM_AVX2 void tile_1x2(const int16_t* const* x,
                                  const int16_t* const* w, int32_t pairs,
                                  __m256i* acc) {
  const int16_t* x0 = x[0];
  const int16_t *w0 = w[0], *w1 = w[1];
  __m256i a0 = _mm256_setzero_si256(), a1 = a0;
  for (int32_t k = 0; k < pairs; ++k) {
    const __m256i xv = broadcast_pair(x0 + 2 * k);
    a0 = mac(a0, xv, load_panel_row(w0 + 16 * k));
    a1 = mac(a1, xv, load_panel_row(w1 + 16 * k));
  }
  acc[0] = a0, acc[1] = a1;
}

TM_NOINLINE TM_AVX2 void tile_1x4(const int16_t* const* x,
                                  const int16_t* const* w, int32_t pairs,
                                  __m256i* acc) {
  const int16_t* x0 = x[0];
  const int16_t *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  for (int32_t k = 0; k < pairs; ++k) {
    const __m256i xv = broadcast_pair(x0 + 2 * k);
    a0 = mac(a0, xv, load_panel_row(w0 + 16 * k));
    a1 = mac(a1, xv, load_panel_row(w1 + 16 * k));
    a2 = mac(a2, xv, load_panel_row(w2 + 16 * k));
    a3 = mac(a3, xv, load_panel_row(w3 + 16 * k));
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

// The outputs of `pixels` pixels, NP panels at a time, and within those P
// pixels at a time: each panel's requantization constants are derived once
// for all the pixels. Missing pixels and panels of a tile read the last real
// ones (in bounds); their sums are dropped. Whole panels requantize in their
// lanes; a last partial panel, or parameters the lanes do not cover, go
// through requantize_row.
template <int P, int NP>
TM_AVX2 void run_outputs(const int16_t* rows, int32_t row_stride,
                         int32_t pixels, int32_t taps, const int16_t* packed,
                         int32_t channels, const int32_t* bias,
                         const Requant& q, int32_t channel0, int8_t* out,
                         int32_t out_stride) {
  const int32_t last = panels_of(channels) - 1;
  const size_t panel_stride = panel_values(taps);
  for (int32_t panel = 0; panel <= last; panel += NP) {
    const int16_t* w[NP];
    ChannelLanes lanes[NP];
    bool in_lanes[NP];
    int32_t width[NP];  // the panel's real channels (0: none)
    for (int j = 0; j < NP; ++j) {
      w[j] = packed + (panel + j < last ? panel + j : last) * panel_stride;
      const int32_t c = (panel + j) * kPanelChannels;
      width[j] = channels - c < kPanelChannels ? channels - c : kPanelChannels;
      in_lanes[j] = q.vector && width[j] == kPanelChannels;
      if (in_lanes[j]) lanes[j] = channel_lanes(q, bias, channel0 + c);
    }
    for (int32_t first = 0; first < pixels; first += P) {
      const int32_t n = pixels - first < P ? pixels - first : P;
      const int16_t* x[P];
      for (int p = 0; p < P; ++p) {
        x[p] = rows + (first + (p < n ? p : n - 1)) * row_stride;
      }
      __m256i acc[P * NP];
      if constexpr (P == 4) {
        if (n == 1) {
          tile_1x2(x, w, pairs_of(taps), acc);
        } else if (panel == last) {
          tile_4x1(x, w, pairs_of(taps), acc);
        } else {
          tile_4x2(x, w, pairs_of(taps), acc);
        }
      } else {
        tile_1x4(x, w, pairs_of(taps), acc);
      }
      for (int j = 0; j < NP && width[j] > 0; ++j) {
        int8_t* o = out + first * out_stride + (panel + j) * kPanelChannels;
        for (int32_t p = 0; p < n; ++p, o += out_stride) {
          if (in_lanes[j]) {
            requantize_lanes_store(acc[p * NP + j], lanes[j], o);
            continue;
          }
          alignas(32) int32_t sums[kPanelChannels];
          _mm256_store_si256(reinterpret_cast<__m256i*>(sums), acc[p * NP + j]);
          requantize_row(sums, bias, width[j], q,
                         channel0 + (panel + j) * kPanelChannels, o);
        }
      }
    }
  }
}

}  // namespace

size_t packed_weights_bytes(int32_t channels, int32_t taps) {
  return static_cast<size_t>(panels_of(channels)) * panel_values(taps) *
         sizeof(int16_t);
}

void pack_weights(const int8_t* rows, int32_t channels, int32_t taps,
                  int16_t* packed) {
  const int32_t pairs = pairs_of(taps);
  for (int32_t c0 = 0; c0 < channels; c0 += kPanelChannels) {
    for (int32_t k = 0; k < pairs; ++k) {
      for (int32_t c = c0; c < c0 + kPanelChannels; ++c) {
        for (int32_t t = 2 * k; t < 2 * k + 2; ++t) {
          *packed++ = c < channels && t < taps ? rows[c * taps + t] : 0;
        }
      }
    }
  }
}

TM_AVX2 const int16_t* widen_rows(const int8_t* src, int32_t rows, int32_t taps,
                                  int32_t offset, WindowBlock* block) {
  // The block's rows hold kBlockPixels * (kMaxTaps + 16) values in one array.
  int16_t* flat = &block->x[0][0];
  widen_with_offset(src, rows * taps, offset, flat);
  flat[rows * taps] = 0;
  return flat;
}

TM_AVX2 void packed_block_outputs(const int16_t* rows, int32_t row_stride,
                                  int32_t pixels, int32_t taps,
                                  const int16_t* packed, int32_t channels,
                                  const int32_t* bias, const Requant& q,
                                  int32_t channel0, int8_t* out,
                                  int32_t out_stride) {
  if (pixels == 1) {
    run_outputs<1, 4>(rows, row_stride, pixels, taps, packed, channels, bias, q,
                      channel0, out, out_stride);
  } else {
    run_outputs<4, 2>(rows, row_stride, pixels, taps, packed, channels, bias, q,
                      channel0, out, out_stride);
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // TM_X86_AVX2
