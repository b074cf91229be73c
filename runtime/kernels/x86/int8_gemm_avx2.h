// The AVX2 core shared by CONV_2D and FULLY_CONNECTED: a block of up to four
// output pixels, each with its input window laid out as one row of int16
// values, times the int8 weight rows of the output channels, then the
// requantization.
//
// Products: vpmaddwd multiplies int16 lanes exactly and adds pairs into
// int32 (int8 weights never reach its one overflowing case, -2^15 * -2^15
// twice), and int32 lanes wrap like the portable sums,
// so the sums are TFLite's integers: bias + sum of w * (x + offset) over the
// taps inside the input. The window rows are filled once per pixel for every
// output channel; the callers choose what they hold (with the offset added
// and the plain bias, or as they are and the folded bias).
#ifndef TIERML_KERNELS_X86_INT8_GEMM_AVX2_H_
#define TIERML_KERNELS_X86_INT8_GEMM_AVX2_H_

#include <stdint.h>

#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>

#include "kernels/x86/requantize_avx2.h"

namespace tierml {
namespace x86 {

constexpr int32_t kBlockPixels = 4;
// The longest window the block holds (taps = KH * KW * C_in per group, or a
// FULLY_CONNECTED depth); longer ones take the portable path.
constexpr int32_t kMaxTaps = 4096;
// Input offsets for which x + offset fits an int16 lane.
constexpr int32_t kMaxInputOffset = 32000;

// Rows of int16 window values, 32-byte aligned, each followed by room for
// the tail vector (see finish_window).
struct WindowBlock {
  alignas(32) int16_t x[kBlockPixels][kMaxTaps + 16];
};

// acc + the pairwise int16 products of x and w, summed into int32 lanes.
TM_AVX2 inline __m256i mac(__m256i acc, __m256i x, __m256i w) {
  return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w));
}

// dst[i] = src[i] + offset, i < n.
TM_AVX2 void widen_with_offset(const int8_t* src, int32_t n, int32_t offset,
                               int16_t* dst);

// Once a row holds its `taps` values: moves the last taps % 16 of them into
// the top lanes of the 16 starting at taps & ~15, zeroing the lanes below, so
// that the tail is one vector matched against the weights' last 16 bytes.
void finish_window(int16_t* row, int32_t taps);

// The requantization of int8 outputs (see requantize_row).
struct Requant {
  const int32_t* multipliers;
  const int32_t* shifts;
  bool per_channel;  // false: multipliers[0] and shifts[0] for every channel
  int32_t output_offset, act_min, act_max;
  bool vector;  // set by make_requant: the AVX2 form is exact here
};

// q with .vector decided for channels [0, channels).
Requant make_requant(const int32_t* multipliers, const int32_t* shifts,
                     bool per_channel, int32_t output_offset, int32_t act_min,
                     int32_t act_max, int32_t channels);

// Eight channels' bias (zeros without one) and requantization in lanes,
// derived once for the sums of several pixels; q.vector only.
struct ChannelLanes {
  __m256i bias;
  MultiplierLanes multiplier;
  ClampLanes clamp;
};
TM_AVX2 inline ChannelLanes channel_lanes(const Requant& q, const int32_t* bias,
                                          int32_t channel) {
  const int32_t i = q.per_channel ? channel : 0;
  const __m256i m =
      q.per_channel ? _mm256_loadu_si256(
                          reinterpret_cast<const __m256i*>(q.multipliers + i))
                    : _mm256_set1_epi32(q.multipliers[0]);
  const __m256i shift =
      q.per_channel
          ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q.shifts + i))
          : _mm256_set1_epi32(q.shifts[0]);
  return {bias ? _mm256_loadu_si256(
                     reinterpret_cast<const __m256i*>(bias + channel))
               : _mm256_setzero_si256(),
          multiplier_lanes(m, shift),
          clamp_lanes(q.output_offset, q.act_min, q.act_max)};
}

// The eight int8 outputs of eight sums of l's channels, stored at out.
TM_AVX2 inline void requantize_lanes_store(__m256i sums, const ChannelLanes& l,
                                           int8_t* out) {
  clamp8_store(multiply_by_quantized_multiplier8(_mm256_add_epi32(sums, l.bias),
                                                 l.multiplier),
               l.clamp, out);
}

// out[c] for c < n: sums[c] + bias[c] (bias may be NULL), requantized with
// channel channel0 + c's parameters; eight at a time where q.vector.
TM_AVX2 void requantize_row(const int32_t* sums, const int32_t* bias, int32_t n,
                            const Requant& q, int32_t channel0, int8_t* out);

// Weight rows: channel c's taps at first + c * stride; base is the start of
// the weight buffer (no load reaches before it or past the last row).
struct WeightRows {
  const int8_t* base;
  const int8_t* first;
  int32_t stride;
};

// out[i * out_stride + c] for pixel i < pixels and channel c < channels:
// the requantized bias[c] (bias may be NULL) + window i . weight row c.
// Multipliers and shifts are q's entries channel0 + c.
TM_AVX2 void window_block_outputs(const WindowBlock& block, int32_t pixels,
                                  int32_t taps, const WeightRows& w,
                                  int32_t channels, const int32_t* bias,
                                  const Requant& q, int32_t channel0,
                                  int8_t* out, int32_t out_stride);

}  // namespace x86
}  // namespace tierml

#endif  // TM_X86_AVX2
#endif  // TIERML_KERNELS_X86_INT8_GEMM_AVX2_H_
