// int8 DEPTHWISE_CONV_2D with AVX2, for one output channel per input
// channel (the MobileNet and DS-CNN case; other depth multipliers go to the
// portable path). Channels are the vector lanes: for each output pixel, 16
// (then 8) adjacent channels at a time run over the window's taps inside the
// input, two taps per vpmaddwd: the two taps' inputs (offset added) and
// weights are interleaved as int16 pairs, so each int32 lane receives
// w_t * (x_t + offset) + w_u * (x_u + offset), exactly (see
// int8_gemm_avx2.h). Padded taps are skipped, as in TFLite; the sums start
// from the bias. Channels beyond the last group of 8 run the scalar sum.
#include "kernels/x86/depthwise_conv_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>

#include "kernels/int8_dot.h"
#include "kernels/window_padding.h"
#include "kernels/x86/int8_gemm_avx2.h"
#include "kernels/x86/requantize_avx2.h"

namespace tierml {
namespace {

// Filters with more taps take the portable path.
constexpr int32_t kMaxWindowTaps = 256;

// One tap inside the input: its channel-0 input byte (counted from the
// window's first tap inside the input) and filter byte.
struct Tap {
  int32_t x, w;
};

// The taps of a window inside the input.
struct WindowTaps {
  Tap tap[kMaxWindowTaps];
  int32_t count;
};

// The output channels' parameters that the lanes need.
struct Lanes {
  const int32_t* bias;  // may be NULL
  const int32_t* multipliers;
  const int32_t* shifts;
  x86::ClampLanes clamp;
  int32_t offset;
};

TM_AVX2 inline __m256i widen16(const int8_t* p) {
  return _mm256_cvtepi8_epi16(
      _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

TM_AVX2 inline __m128i widen8(const int8_t* p) {
  return _mm_cvtepi8_epi16(
      _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}

// lo, hi += the products of two taps a, b (inputs with offset, weights) on
// 16 channels, interleaved so that vpmaddwd adds each channel's two.
TM_AVX2 inline void mac_pair16(__m256i xa, __m256i wa, __m256i xb, __m256i wb,
                               __m256i* lo, __m256i* hi) {
  *lo = _mm256_add_epi32(*lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, xb),
                                                _mm256_unpacklo_epi16(wa, wb)));
  *hi = _mm256_add_epi32(*hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, xb),
                                                _mm256_unpackhi_epi16(wa, wb)));
}

// The same on 8 channels.
TM_AVX2 inline void mac_pair8(__m128i xa, __m128i wa, __m128i xb, __m128i wb,
                              __m128i* lo, __m128i* hi) {
  *lo = _mm_add_epi32(*lo, _mm_madd_epi16(_mm_unpacklo_epi16(xa, xb),
                                          _mm_unpacklo_epi16(wa, wb)));
  *hi = _mm_add_epi32(*hi, _mm_madd_epi16(_mm_unpackhi_epi16(xa, xb),
                                          _mm_unpackhi_epi16(wa, wb)));
}

// Channels c..c+15 of one pixel: the two accumulators hold, in order of
// their 128-bit halves, channels 0-3, 8-11 (interleaved low halves) and
// 4-7, 12-15 (high halves), put back in order before the requantization.
TM_AVX2 void channels16(const int8_t* x, const int8_t* filter,
                        const WindowTaps& taps, int32_t c, const Lanes& l,
                        int8_t* out) {
  const __m256i offsets = _mm256_set1_epi16(static_cast<int16_t>(l.offset));
  __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
  // Whole pairs, then a last unpaired tap against zeros.
  int32_t t = 0;
  for (; t + 2 <= taps.count; t += 2) {
    const Tap a = taps.tap[t], b = taps.tap[t + 1];
    mac_pair16(_mm256_add_epi16(widen16(x + a.x + c), offsets),
               widen16(filter + a.w + c),
               _mm256_add_epi16(widen16(x + b.x + c), offsets),
               widen16(filter + b.w + c), &lo, &hi);
  }
  if (t < taps.count) {
    const Tap a = taps.tap[t];
    const __m256i zero = _mm256_setzero_si256();
    mac_pair16(_mm256_add_epi16(widen16(x + a.x + c), offsets),
               widen16(filter + a.w + c), zero, zero, &lo, &hi);
  }
  __m256i first = _mm256_permute2x128_si256(lo, hi, 0x20);
  __m256i second = _mm256_permute2x128_si256(lo, hi, 0x31);
  if (l.bias) {
    first = _mm256_add_epi32(
        first,
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.bias + c)));
    second = _mm256_add_epi32(
        second,
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.bias + c + 8)));
  }
  for (int32_t half = 0; half < 2; ++half) {
    const int32_t k = c + 8 * half;
    x86::requantize8_store(
        half ? second : first,
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.multipliers + k)),
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.shifts + k)),
        l.clamp, out + k);
  }
}

// Channels c..c+7, the same way in 128-bit vectors: lo holds channels 0-3,
// hi 4-7.
TM_AVX2 void channels8(const int8_t* x, const int8_t* filter,
                       const WindowTaps& taps, int32_t c, const Lanes& l,
                       int8_t* out) {
  const __m128i offsets = _mm_set1_epi16(static_cast<int16_t>(l.offset));
  __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
  int32_t t = 0;
  for (; t + 2 <= taps.count; t += 2) {
    const Tap a = taps.tap[t], b = taps.tap[t + 1];
    mac_pair8(_mm_add_epi16(widen8(x + a.x + c), offsets),
              widen8(filter + a.w + c),
              _mm_add_epi16(widen8(x + b.x + c), offsets),
              widen8(filter + b.w + c), &lo, &hi);
  }
  if (t < taps.count) {
    const Tap a = taps.tap[t];
    const __m128i zero = _mm_setzero_si128();
    mac_pair8(_mm_add_epi16(widen8(x + a.x + c), offsets),
              widen8(filter + a.w + c), zero, zero, &lo, &hi);
  }
  __m256i sums = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
  if (l.bias) {
    sums = _mm256_add_epi32(
        sums, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.bias + c)));
  }
  x86::requantize8_store(
      sums,
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.multipliers + c)),
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(l.shifts + c)),
      l.clamp, out + c);
}

// The taps of filter rows [fy_lo, fy_hi) and columns [fx_lo, fx_hi), their
// input bytes counted from the input at tap (fy_lo, fx_lo).
void window_taps(const TmDepthwiseConvParams& p, int32_t fy_lo, int32_t fy_hi,
                 int32_t fx_lo, int32_t fx_hi, WindowTaps* taps) {
  int32_t n = 0;
  for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
    for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
      taps->tap[n++] = {((fy - fy_lo) * p.dilation_h * p.input_w +
                         (fx - fx_lo) * p.dilation_w) *
                            p.input_c,
                        (fy * p.filter_w + fx) * p.output_c};
    }
  }
  taps->count = n;
}

// The outputs of one pixel, all channels; x is the input at the window's
// first tap, to which the taps' input offsets are added.
TM_AVX2 void pixel_outputs(const TmDepthwiseConvParams& p, const int8_t* x,
                           const int8_t* filter, const WindowTaps& taps,
                           const Lanes& lanes, int32_t vector_end,
                           int8_t* out) {
  int32_t c = 0;
  for (; c + 16 <= vector_end; c += 16) {
    channels16(x, filter, taps, c, lanes, out);
  }
  for (; c < vector_end; c += 8) channels8(x, filter, taps, c, lanes, out);
  for (; c < p.output_c; ++c) {
    int32_t acc = lanes.bias ? lanes.bias[c] : 0;
    for (int32_t t = 0; t < taps.count; ++t) {
      const Tap tap = taps.tap[t];
      acc += filter[tap.w + c] * (x[tap.x + c] + lanes.offset);
    }
    out[c] = requantize_s8(acc, p.multipliers[c], p.shifts[c], p.output_offset,
                           p.act_min, p.act_max);
  }
}

}  // namespace

bool depthwise_conv_s8_avx2(const TmDepthwiseConvParams& p, const int8_t* input,
                            const int8_t* filter, const int32_t* bias,
                            int8_t* output) {
  if (p.depth_multiplier != 1 || p.filter_h * p.filter_w > kMaxWindowTaps ||
      p.input_offset > x86::kMaxInputOffset ||
      p.input_offset < -x86::kMaxInputOffset) {
    return false;
  }
  const int32_t channels = p.output_c;
  const x86::Requant q =
      x86::make_requant(p.multipliers, p.shifts, true, p.output_offset,
                        p.act_min, p.act_max, channels);
  // Without the exact lanes every channel runs the scalar tail.
  const int32_t vector_end = q.vector ? channels & ~7 : 0;
  const Lanes lanes = {bias, p.multipliers, p.shifts,
                       x86::clamp_lanes(p.output_offset, p.act_min, p.act_max),
                       p.input_offset};
  // Windows wholly inside the input start from the folded bias where there
  // is one (bias + input_offset * sum of the channel's weights; the
  // generated code passes no plain bias when every window is inside), so
  // their inputs go without the offset.
  Lanes folded = lanes;
  if (p.folded_bias != nullptr) {
    folded.bias = p.folded_bias;
    folded.offset = 0;
  }
  const int32_t row = p.input_w * p.input_c;
  // Windows wholly inside the input share one tap list, built once.
  WindowTaps whole, clipped;
  window_taps(p, 0, p.filter_h, 0, p.filter_w, &whole);
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* image = input + b * p.input_h * row;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      const int32_t iy0 = oy * p.stride_h - p.pad_h;
      int32_t fy_lo, fy_hi;
      tm_window_taps(iy0, p.dilation_h, p.input_h, p.filter_h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < p.output_w; ++ox, output += channels) {
        const int32_t ix0 = ox * p.stride_w - p.pad_w;
        int32_t fx_lo, fx_hi;
        tm_window_taps(ix0, p.dilation_w, p.input_w, p.filter_w, &fx_lo,
                       &fx_hi);
        const bool inside = fy_lo == 0 && fy_hi == p.filter_h && fx_lo == 0 &&
                            fx_hi == p.filter_w;
        if (!inside) window_taps(p, fy_lo, fy_hi, fx_lo, fx_hi, &clipped);
        const bool empty = fy_lo >= fy_hi || fx_lo >= fx_hi;
        const int8_t* x = empty ? image
                                : image + (iy0 + fy_lo * p.dilation_h) * row +
                                      (ix0 + fx_lo * p.dilation_w) * p.input_c;
        pixel_outputs(p, x, filter, inside ? whole : clipped,
                      inside ? folded : lanes, vector_end, output);
      }
    }
  }
  return true;
}

}  // namespace tierml

#endif  // TM_X86_AVX2
