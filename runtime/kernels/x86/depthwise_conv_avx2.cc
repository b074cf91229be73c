// int8 DEPTHWISE_CONV_2D with AVX2, any depth multiplier. Eight output
// channels are the lanes of a vector, and each vpmaddwd takes two
// horizontally adjacent taps of a window row (fx, fx + 1) for all eight: the
// input side from a pair row, which holds for input column ix and each
// channel the int16 pair (v(ix), v(ix + dilation_w)), the values as the sum
// domain lays them out (sum_domain.h, padding included); the weight side
// from the filter's pairs, laid out the same way once per invoke (an odd
// last tap pairs with a zero weight). A KH x KW window is then
// KH * ceil(KW / 2) loads and multiply-adds per eight channels, with no
// widening, shuffles or horizontal sums. The products are exact and int32
// lanes wrap like the portable sums (see int8_gemm_avx2.h).
//
// Pair rows are built once per input row and eight channels, on the stack:
// a ring of the rows one window spans ((KH - 1) * dilation_h + 1) and a row
// of padding values for rows outside the input. Inputs too wide for the
// buffer run in bands of output columns.
#include "kernels/x86/depthwise_conv_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>

#include "kernels/x86/int8_gemm_avx2.h"
#include "kernels/x86/sum_domain.h"

namespace tierml {
namespace {

constexpr int32_t kLanes = 8;
// int16 values per pair-row column (and per weight pair): kLanes pairs.
constexpr int32_t kColumnValues = 2 * kLanes;
// Pair-row columns on the stack, ring and padding row together (32 KiB).
constexpr int32_t kPairColumns = 1024;
// Filter rows x pairs per row on the stack (8 KiB); larger filters, and
// windows spanning more rows, take the portable path.
constexpr int32_t kMaxWeightPairs = 256;
constexpr int32_t kMaxSpanRows = 64;

// Output channels c0 .. c0 + 7's input values at column ix of input row
// `row` (NULL: a row outside the input), as int16 in domain d. Channels past
// the last read nothing (their weights are zero).
TM_AVX2 inline __m128i column8(const TmDepthwiseConvParams& p,
                               const x86::Domain& d, const int8_t* row,
                               int32_t ix, int32_t c0) {
  if (row == nullptr || ix < 0 || ix >= p.input_w) {
    return _mm_set1_epi16(d.padding);
  }
  const int8_t* x = row + ix * p.input_c;
  if (p.depth_multiplier == 1 && c0 + kLanes <= p.input_c) {
    return _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64(
                             reinterpret_cast<const __m128i*>(x + c0))),
                         _mm_set1_epi16(static_cast<int16_t>(d.offset)));
  }
  alignas(16) int16_t v[kLanes] = {};
  for (int32_t i = 0; i < kLanes && c0 + i < p.output_c; ++i) {
    v[i] = static_cast<int16_t>(x[(c0 + i) / p.depth_multiplier] + d.offset);
  }
  return _mm_load_si128(reinterpret_cast<const __m128i*>(v));
}

// column8 for a row inside the input, depth multiplier 1 and a whole group
// of eight (x: the row at channel c0): one unsigned comparison per column.
TM_AVX2 inline __m128i whole_column8(const int8_t* x, int32_t ix, int32_t width,
                                     int32_t stride, __m128i offset,
                                     __m128i padding) {
  if (static_cast<uint32_t>(ix) >= static_cast<uint32_t>(width)) {
    return padding;
  }
  return _mm_add_epi16(_mm_cvtepi8_epi16(_mm_loadl_epi64(
                           reinterpret_cast<const __m128i*>(x + ix * stride))),
                       offset);
}

// One pair-row column from its two values, in one store: a load of the
// column spanning two stores would not be forwarded.
TM_AVX2 inline void store_pairs(__m128i a, __m128i b, int16_t* dst) {
  _mm256_store_si256(
      reinterpret_cast<__m256i*>(dst),
      _mm256_set_m128i(_mm_unpackhi_epi16(a, b), _mm_unpacklo_epi16(a, b)));
}

// The pair row of input row `row` (NULL: outside the input) for channels
// c0 .. c0 + 7: column j holds the pairs at input column ix0 + j * step,
// j < columns. When step is the dilation, a column's second value is the
// next one's first.
TM_AVX2 void build_pair_row(const TmDepthwiseConvParams& p,
                            const x86::Domain& d, const int8_t* row,
                            int32_t ix0, int32_t columns, int32_t step,
                            int32_t c0, int16_t* dst) {
  const int32_t dw = p.dilation_w;
  if (row != nullptr && p.depth_multiplier == 1 && c0 + kLanes <= p.input_c) {
    const __m128i offset = _mm_set1_epi16(static_cast<int16_t>(d.offset));
    const __m128i padding = _mm_set1_epi16(d.padding);
    const int8_t* x = row + c0;
    const int32_t w = p.input_w, c = p.input_c;
    __m128i a = whole_column8(x, ix0, w, c, offset, padding);
    for (int32_t j = 0; j < columns; ++j, dst += kColumnValues) {
      const int32_t ix = ix0 + j * step;
      const __m128i b = whole_column8(x, ix + dw, w, c, offset, padding);
      store_pairs(a, b, dst);
      a = step == dw ? b : whole_column8(x, ix + step, w, c, offset, padding);
    }
    return;
  }
  __m128i a = column8(p, d, row, ix0, c0);
  for (int32_t j = 0; j < columns; ++j, dst += kColumnValues) {
    const int32_t ix = ix0 + j * step;
    const __m128i b = column8(p, d, row, ix + dw, c0);
    store_pairs(a, b, dst);
    a = step == dw ? b : column8(p, d, row, ix + step, c0);
  }
}

// Channels c0 .. c0 + 7's weights as pairs, [fy][pair][channel][2], zero
// past the last tap of a row and the last channel: the two taps' eight
// weights widened and interleaved, or for a last partial group one by one.
TM_AVX2 void pack_weight_pairs(const TmDepthwiseConvParams& p,
                               const int8_t* filter, int32_t pairs, int32_t c0,
                               int16_t* dst) {
  const bool whole = c0 + kLanes <= p.output_c;
  for (int32_t fy = 0; fy < p.filter_h; ++fy) {
    for (int32_t fx = 0; fx < 2 * pairs; fx += 2, dst += kColumnValues) {
      const int8_t* w = filter + (fy * p.filter_w + fx) * p.output_c + c0;
      if (whole) {
        const __m128i zero = _mm_setzero_si128();
        const __m128i a = _mm_cvtepi8_epi16(
            _mm_loadl_epi64(reinterpret_cast<const __m128i*>(w)));
        const __m128i b =
            fx + 1 < p.filter_w
                ? _mm_cvtepi8_epi16(_mm_loadl_epi64(
                      reinterpret_cast<const __m128i*>(w + p.output_c)))
                : zero;
        _mm_store_si128(reinterpret_cast<__m128i*>(dst),
                        _mm_unpacklo_epi16(a, b));
        _mm_store_si128(reinterpret_cast<__m128i*>(dst + kLanes),
                        _mm_unpackhi_epi16(a, b));
        continue;
      }
      for (int32_t i = 0; i < kLanes; ++i) {
        const bool real = c0 + i < p.output_c;
        dst[2 * i] = real ? w[i] : 0;
        dst[2 * i + 1] = real && fx + 1 < p.filter_w ? w[p.output_c + i] : 0;
      }
    }
  }
}

// What the outputs of one row of a band need: the eight channels' weight
// pairs and requantization, and the output's layout.
struct RowJob {
  const int16_t* weights;
  int32_t filter_h, pairs;
  int32_t pair_step;   // int16 values between a row's pairs (dilation)
  int32_t pixel_step;  // int16 values between adjacent outputs' windows
  int32_t out_step;    // bytes between adjacent outputs
  bool lanes_exact;    // requantize in lanes (else requantize_row)
  const x86::ChannelLanes* lanes;
  const x86::Requant* q;
  const int32_t* init;
  int32_t c0, n;
};

// count outputs of eight channels, rows[fy] the pair row of their windows'
// row fy at the first output's first column. KH x KP: the filter's rows and
// pairs per row, fixed for the common 3 x 3 (weights held in registers) or
// 0 x 0, read from the job.
template <int KH, int KP>
TM_AVX2 void row_outputs(const RowJob& job, const int16_t* const* rows,
                         int32_t count, int8_t* out) {
  const int32_t filter_h = KH ? KH : job.filter_h;
  const int32_t pairs = KP ? KP : job.pairs;
  __m256i held[KH * KP ? KH * KP : 1];
  for (int32_t i = 0; i < KH * KP; ++i) {
    held[i] = _mm256_load_si256(
        reinterpret_cast<const __m256i*>(job.weights + i * kColumnValues));
  }
  for (int32_t o = 0; o < count; ++o, out += job.out_step) {
    const int32_t at = o * job.pixel_step;
    __m256i sums = _mm256_setzero_si256();
    for (int32_t fy = 0; fy < filter_h; ++fy) {
      const int16_t* x = rows[fy] + at;
      for (int32_t k = 0; k < pairs; ++k, x += job.pair_step) {
        const __m256i w =
            KH * KP ? held[fy * KP + k]
                    : _mm256_load_si256(reinterpret_cast<const __m256i*>(
                          job.weights + (fy * pairs + k) * kColumnValues));
        sums = _mm256_add_epi32(
            sums,
            _mm256_madd_epi16(
                _mm256_load_si256(reinterpret_cast<const __m256i*>(x)), w));
      }
    }
    if (job.lanes_exact) {
      x86::requantize_lanes_store(sums, *job.lanes, out);
      continue;
    }
    alignas(32) int32_t scalar[kLanes];
    _mm256_store_si256(reinterpret_cast<__m256i*>(scalar), sums);
    x86::requantize_row(scalar, job.init, job.n, *job.q, job.c0, out);
  }
}

}  // namespace

TM_AVX2 bool depthwise_conv_s8_avx2(const TmDepthwiseConvParams& p,
                                    const int8_t* input, const int8_t* filter,
                                    const int32_t* bias, int8_t* output) {
  const int32_t pairs = (p.filter_w + 1) / 2;
  const int32_t span_rows = (p.filter_h - 1) * p.dilation_h + 1;
  // Windows start every stride_w input columns and their pairs every
  // 2 * dilation_w: pair rows need only every step-th column (every other
  // one for a stride of 2).
  int32_t step = p.stride_w, rest = 2 * p.dilation_w;
  while (rest != 0) {
    const int32_t r = step % rest;
    step = rest;
    rest = r;
  }
  const int32_t pixel_columns = p.stride_w / step;
  // Pair-row columns one output pixel's window reads, and per ring row.
  const int32_t window_columns = 2 * (pairs - 1) * p.dilation_w / step + 1;
  const int32_t row_columns = kPairColumns / (span_rows + 1);
  if (p.filter_h * pairs > kMaxWeightPairs || span_rows > kMaxSpanRows ||
      window_columns > row_columns || p.input_offset > x86::kMaxInputOffset ||
      p.input_offset < -x86::kMaxInputOffset) {
    return false;
  }
  const int32_t band = (row_columns - window_columns) / pixel_columns + 1;
  const x86::Requant q =
      x86::make_requant(p.multipliers, p.shifts, true, p.output_offset,
                        p.act_min, p.act_max, p.output_c);
  const x86::Domain d = x86::domain_of(p, bias);
  const int32_t row_bytes = p.input_w * p.input_c;

  alignas(32) int16_t ring[kPairColumns * kColumnValues];
  alignas(32) int16_t weights[kMaxWeightPairs * kColumnValues];
  int16_t* const padding_row = ring + span_rows * row_columns * kColumnValues;
  // As wide as a band's rows get.
  const int32_t widest = (band < p.output_w ? band : p.output_w) - 1;
  build_pair_row(p, d, nullptr, 0, widest * pixel_columns + window_columns,
                 step, 0, padding_row);

  for (int32_t c0 = 0; c0 < p.output_c; c0 += kLanes) {
    const int32_t n = p.output_c - c0 < kLanes ? p.output_c - c0 : kLanes;
    const bool lanes_exact = q.vector && n == kLanes;
    const x86::ChannelLanes lanes =
        lanes_exact ? x86::channel_lanes(q, d.init, c0) : x86::ChannelLanes{};
    pack_weight_pairs(p, filter, pairs, c0, weights);
    const RowJob job = {weights,
                        p.filter_h,
                        pairs,
                        2 * p.dilation_w / step * kColumnValues,
                        pixel_columns * kColumnValues,
                        p.output_c,
                        lanes_exact,
                        &lanes,
                        &q,
                        d.init,
                        c0,
                        n};
    for (int32_t b = 0; b < p.batches; ++b) {
      const int8_t* image = input + b * p.input_h * row_bytes;
      int8_t* image_out = output + b * p.output_h * p.output_w * p.output_c;
      for (int32_t ox0 = 0; ox0 < p.output_w; ox0 += band) {
        const int32_t ox1 = ox0 + band < p.output_w ? ox0 + band : p.output_w;
        const int32_t ix0 = ox0 * p.stride_w - p.pad_w;
        const int32_t columns =
            (ox1 - 1 - ox0) * pixel_columns + window_columns;
        int32_t held[kMaxSpanRows];  // the input row each ring slot holds
        for (int32_t i = 0; i < span_rows; ++i) held[i] = -1;
        // Input row iy lives in slot iy mod span_rows (the rows of one
        // window are distinct modulo span_rows); first_slot is the window's
        // first row's, stepped along without divisions.
        int32_t first_slot = (-p.pad_h % span_rows + span_rows) % span_rows;
        const int32_t slot_step = p.stride_h % span_rows;
        for (int32_t oy = 0; oy < p.output_h; ++oy) {
          const int16_t* rows[kMaxSpanRows];
          for (int32_t fy = 0; fy < p.filter_h; ++fy) {
            const int32_t iy = oy * p.stride_h - p.pad_h + fy * p.dilation_h;
            if (iy < 0 || iy >= p.input_h) {
              rows[fy] = padding_row;
              continue;
            }
            int32_t slot = first_slot + fy * p.dilation_h;
            if (slot >= span_rows) slot -= span_rows;
            int16_t* pair_row = ring + slot * row_columns * kColumnValues;
            if (held[slot] != iy) {
              build_pair_row(p, d, image + iy * row_bytes, ix0, columns, step,
                             c0, pair_row);
              held[slot] = iy;
            }
            rows[fy] = pair_row;
          }
          first_slot += slot_step;
          if (first_slot >= span_rows) first_slot -= span_rows;
          int8_t* out = image_out + (oy * p.output_w + ox0) * p.output_c + c0;
          if (p.filter_h == 3 && pairs == 2) {
            row_outputs<3, 2>(job, rows, ox1 - ox0, out);
          } else {
            row_outputs<0, 0>(job, rows, ox1 - ox0, out);
          }
        }
      }
    }
  }
  return true;
}

}  // namespace tierml

#endif  // TM_X86_AVX2
