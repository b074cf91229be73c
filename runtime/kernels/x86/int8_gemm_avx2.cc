#include "kernels/x86/int8_gemm_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>
#include <string.h>

#include "kernels/int8_dot.h"

namespace tierml {
namespace x86 {
namespace {

// Output channels per pass of the sums buffer (its width).
constexpr int32_t kChannelChunk = 64;

// The eight sums of eight int32x8 accumulators, in order, as one vector:
// pairwise horizontal adds leave each 128-bit half with four half-sums, and
// the two halves add up.
TM_AVX2 inline __m256i reduce8(const __m256i* acc) {
  const __m256i t0 = _mm256_hadd_epi32(acc[0], acc[1]);
  const __m256i t1 = _mm256_hadd_epi32(acc[2], acc[3]);
  const __m256i t2 = _mm256_hadd_epi32(acc[4], acc[5]);
  const __m256i t3 = _mm256_hadd_epi32(acc[6], acc[7]);
  const __m256i u0 = _mm256_hadd_epi32(t0, t1);
  const __m256i u1 = _mm256_hadd_epi32(t2, t3);
  return _mm256_add_epi32(_mm256_permute2x128_si256(u0, u1, 0x20),
                          _mm256_permute2x128_si256(u0, u1, 0x31));
}

// A weight row's last 16 taps (positions taps - 16 .. taps - 1, the ones
// finish_window lines up with), widened. For rows shorter than 16 taps near
// the start of the buffer, that load would begin before it: the row is then
// copied behind zeros instead.
TM_AVX2 inline __m256i weight_tail(const int8_t* row, int32_t taps,
                                   const int8_t* base) {
  if (row - base >= 16 - taps) {
    return _mm256_cvtepi8_epi16(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + taps - 16)));
  }
  alignas(16) int8_t padded[16] = {};
  memcpy(padded + 16 - taps, row, static_cast<size_t>(taps));
  return _mm256_cvtepi8_epi16(
      _mm_load_si128(reinterpret_cast<const __m128i*>(padded)));
}

TM_AVX2 inline __m256i widen16(const int8_t* w) {
  return _mm256_cvtepi8_epi16(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(w)));
}

TM_AVX2 inline __m256i load16(const int16_t* x) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(x));
}

// The whole 16-tap vectors of a tile: acc[p * C + c] = x[p] . w[c] over
// taps [0, full), for four pixels by two channels and for one pixel by eight
// channels. Written out with one named accumulator each, and kept out of
// line: from arrays, or inlined into the code that finishes the sums, GCC
// copies every accumulator between registers on each iteration.
TM_NOINLINE TM_AVX2 void tile_4x2(const int16_t* const* x,
                                  const int8_t* const* w, int32_t full,
                                  __m256i* acc) {
  const int16_t *x0 = x[0], *x1 = x[1], *x2 = x[2], *x3 = x[3];
  const int8_t *w0 = w[0], *w1 = w[1];
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
          a5 = a0, a6 = a0, a7 = a0;
  for (int32_t k = 0; k < full; k += 16) {
    const __m256i u = widen16(w0 + k), v = widen16(w1 + k);
    __m256i xv = load16(x0 + k);
    a0 = mac(a0, xv, u);
    a1 = mac(a1, xv, v);
    xv = load16(x1 + k);
    a2 = mac(a2, xv, u);
    a3 = mac(a3, xv, v);
    xv = load16(x2 + k);
    a4 = mac(a4, xv, u);
    a5 = mac(a5, xv, v);
    xv = load16(x3 + k);
    a6 = mac(a6, xv, u);
    a7 = mac(a7, xv, v);
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}

TM_NOINLINE TM_AVX2 void tile_1x8(const int16_t* const* x,
                                  const int8_t* const* w, int32_t full,
                                  __m256i* acc) {
  const int16_t* x0 = x[0];
  const int8_t *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3], *w4 = w[4],
               *w5 = w[5], *w6 = w[6], *w7 = w[7];
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
          a5 = a0, a6 = a0, a7 = a0;
  for (int32_t k = 0; k < full; k += 16) {
    const __m256i xv = load16(x0 + k);
    a0 = mac(a0, xv, widen16(w0 + k));
    a1 = mac(a1, xv, widen16(w1 + k));
    a2 = mac(a2, xv, widen16(w2 + k));
    a3 = mac(a3, xv, widen16(w3 + k));
    a4 = mac(a4, xv, widen16(w4 + k));
    a5 = mac(a5, xv, widen16(w5 + k));
    a6 = mac(a6, xv, widen16(w6 + k));
    a7 = mac(a7, xv, widen16(w7 + k));
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}

// The sums of tile_4x2 or tile_1x8 (P pixels by C channels) over all taps:
// the whole vectors, then the tail vector (see finish_window), reduced and
// stored at sums[p][c0 + c]. Every slot of the tile is stored: rows and
// columns beyond the block's pixels and channels are scratch (C divides
// kChannelChunk, so they stay inside the buffer).
template <int P, int C>
TM_AVX2 inline void dot_tile(const int16_t* const* x, const int8_t* const* w,
                             int32_t taps, const int8_t* base,
                             int32_t (*sums)[kChannelChunk], int32_t c0) {
  static_assert(P * C == 8 && kChannelChunk % C == 0, "eight accumulators");
  __m256i acc[8];
  const int32_t full = taps & ~15;
  if (P == 4) {
    tile_4x2(x, w, full, acc);
  } else {
    tile_1x8(x, w, full, acc);
  }
  if (full != taps) {
    for (int c = 0; c < C; ++c) {
      const __m256i wv = weight_tail(w[c], taps, base);
      for (int p = 0; p < P; ++p) {
        acc[p * C + c] = mac(acc[p * C + c], load16(x[p] + full), wv);
      }
    }
  }
  const __m256i tile = reduce8(acc);  // [p][c] order
  if (P == 4) {
    const __m128i low = _mm256_castsi256_si128(tile);
    const __m128i high = _mm256_extracti128_si256(tile, 1);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(sums[0] + c0), low);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(sums[1] + c0),
                     _mm_unpackhi_epi64(low, low));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(sums[2] + c0), high);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(sums[3] + c0),
                     _mm_unpackhi_epi64(high, high));
  } else {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums[0] + c0), tile);
  }
}

// sums[p][c] for pixels p < pixels and channels c < channels (at most
// kChannelChunk) of rows w. Missing pixels and channels of a tile read the
// last real ones (in bounds); their sums land in scratch slots.
template <int P, int C>
TM_AVX2 void dot_block(const WindowBlock& block, int32_t pixels, int32_t taps,
                       const WeightRows& w, int32_t channels,
                       int32_t (*sums)[kChannelChunk]) {
  const int16_t* x[P];
  for (int p = 0; p < P; ++p) x[p] = block.x[p < pixels ? p : pixels - 1];
  for (int32_t c0 = 0; c0 < channels; c0 += C) {
    const int8_t* rows[C];
    for (int c = 0; c < C; ++c) {
      const int32_t channel = c0 + c < channels ? c0 + c : channels - 1;
      rows[c] = w.first + channel * w.stride;
    }
    dot_tile<P, C>(x, rows, taps, w.base, sums, c0);
  }
}

}  // namespace

TM_AVX2 void widen_with_offset(const int8_t* src, int32_t n, int32_t offset,
                               int16_t* dst) {
  const __m256i offsets = _mm256_set1_epi16(static_cast<int16_t>(offset));
  int32_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i v = _mm256_cvtepi8_epi16(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i),
                        _mm256_add_epi16(v, offsets));
  }
  if (i + 8 <= n) {
    const __m128i v = _mm_cvtepi8_epi16(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(src + i)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                     _mm_add_epi16(v, _mm256_castsi256_si128(offsets)));
    i += 8;
  }
  for (; i < n; ++i) dst[i] = static_cast<int16_t>(src[i] + offset);
}

void finish_window(int16_t* row, int32_t taps) {
  const int32_t full = taps & ~15;
  const int32_t rest = taps - full;
  if (rest == 0) return;
  int16_t tail[16] = {};
  for (int32_t i = 0; i < rest; ++i) tail[16 - rest + i] = row[full + i];
  memcpy(row + full, tail, sizeof(tail));
}

TM_AVX2 void requantize_row(const int32_t* sums, const int32_t* bias, int32_t n,
                            const Requant& q, int32_t channel0, int8_t* out) {
  int32_t c = 0;
  if (q.vector && n >= 8) {
    // Per-tensor parameters: the lanes once, then only the bias moves.
    ChannelLanes lanes = channel_lanes(q, bias, channel0);
    for (; c + 8 <= n; c += 8) {
      if (c > 0 && q.per_channel) {
        lanes = channel_lanes(q, bias, channel0 + c);
      } else if (c > 0 && bias) {
        lanes.bias = _mm256_loadu_si256(
            reinterpret_cast<const __m256i*>(bias + channel0 + c));
      }
      requantize_lanes_store(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(sums + c)), lanes,
          out + c);
    }
  }
  for (; c < n; ++c) {
    const int32_t i = q.per_channel ? channel0 + c : 0;
    const int32_t acc = sums[c] + (bias ? bias[channel0 + c] : 0);
    out[c] = requantize_s8(acc, q.multipliers[i], q.shifts[i], q.output_offset,
                           q.act_min, q.act_max);
  }
}

Requant make_requant(const int32_t* multipliers, const int32_t* shifts,
                     bool per_channel, int32_t output_offset, int32_t act_min,
                     int32_t act_max, int32_t channels) {
  Requant q = {multipliers, shifts,  per_channel, output_offset,
               act_min,     act_max, false};
  bool exact = requant_clamp_exact(output_offset, act_min, act_max);
  const int32_t count = per_channel ? channels : 1;
  for (int32_t c = 0; c < count && exact; ++c) {
    exact = requant_lanes_exact(multipliers[c], shifts[c]);
  }
  q.vector = exact;
  return q;
}

TM_AVX2 void window_block_outputs(const WindowBlock& block, int32_t pixels,
                                  int32_t taps, const WeightRows& w,
                                  int32_t channels, const int32_t* bias,
                                  const Requant& q, int32_t channel0,
                                  int8_t* out, int32_t out_stride) {
  alignas(32) int32_t sums[kBlockPixels][kChannelChunk];
  for (int32_t c0 = 0; c0 < channels; c0 += kChannelChunk) {
    const int32_t n =
        channels - c0 < kChannelChunk ? channels - c0 : kChannelChunk;
    const WeightRows rows = {w.base, w.first + c0 * w.stride, w.stride};
    // One pixel (a FULLY_CONNECTED batch of one): eight channels per tile
    // instead of four pixel slots of which three would be wasted.
    if (pixels == 1) {
      dot_block<1, 8>(block, pixels, taps, rows, n, sums);
    } else {
      dot_block<4, 2>(block, pixels, taps, rows, n, sums);
    }
    for (int32_t p = 0; p < pixels; ++p) {
      requantize_row(sums[p], bias, n, q, channel0 + c0,
                     out + p * out_stride + c0);
    }
  }
}

}  // namespace x86
}  // namespace tierml

#endif  // TM_X86_AVX2
