// int8 AVERAGE_POOL_2D with AVX2: for each output pixel, eight channels at a
// time summed in int32 lanes over the window clipped to the input (the
// portable loop strides through the window one channel at a time), then the
// portable rounding division (average_of) for each channel. Integer sums
// are the same in any order; channels past the last group of eight are
// summed one by one.
#include "kernels/x86/average_pool_avx2.h"

#ifdef TM_X86_AVX2

#include <immintrin.h>

#include "kernels/quantization.h"

namespace tierml {

TM_AVX2 void average_pool_s8_avx2(const TmPoolParams& p, const int8_t* input,
                                  int8_t* output) {
  const int32_t row = p.input_w * p.depth;
  const int32_t vector_end = p.depth & ~7;
  for (int32_t b = 0; b < p.batches; ++b) {
    const int8_t* image = input + b * p.input_h * row;
    for (int32_t oy = 0; oy < p.output_h; ++oy) {
      const int32_t y0 = oy * p.stride_h - p.pad_h;
      const int32_t fy_begin = y0 < 0 ? -y0 : 0;
      const int32_t fy_end =
          p.filter_h < p.input_h - y0 ? p.filter_h : p.input_h - y0;
      for (int32_t ox = 0; ox < p.output_w; ++ox, output += p.depth) {
        const int32_t x0 = ox * p.stride_w - p.pad_w;
        const int32_t fx_begin = x0 < 0 ? -x0 : 0;
        const int32_t fx_end =
            p.filter_w < p.input_w - x0 ? p.filter_w : p.input_w - x0;
        const int32_t count = (fy_end - fy_begin) * (fx_end - fx_begin);
        const int8_t* first = image + (y0 + fy_begin) * row + x0 * p.depth;
        for (int32_t c = 0; c < p.depth; c += c < vector_end ? 8 : 1) {
          alignas(32) int32_t sums[8] = {};
          const int32_t lanes = c < vector_end ? 8 : 1;
          __m256i acc = _mm256_setzero_si256();
          for (int32_t fy = fy_begin; fy < fy_end; ++fy) {
            const int8_t* line = first + (fy - fy_begin) * row + c;
            for (int32_t fx = fx_begin; fx < fx_end; ++fx) {
              const int8_t* x = line + fx * p.depth;
              if (lanes == 8) {
                acc = _mm256_add_epi32(
                    acc, _mm256_cvtepi8_epi32(_mm_loadl_epi64(
                             reinterpret_cast<const __m128i*>(x))));
              } else {
                sums[0] += *x;
              }
            }
          }
          if (lanes == 8) {
            _mm256_store_si256(reinterpret_cast<__m256i*>(sums), acc);
          }
          for (int32_t i = 0; i < lanes; ++i) {
            output[c + i] = static_cast<int8_t>(
                clamp_i32(average_of(sums[i], count), p.act_min, p.act_max));
          }
        }
      }
    }
  }
}

}  // namespace tierml

#endif  // TM_X86_AVX2
