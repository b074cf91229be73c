/* Real FFT of power-of-two length n (64 to 2048), float and Q15.
 *
 * Both paths compute an n/2-point complex FFT of the even/odd samples packed
 * as (re, im) pairs -- iterative radix-2, decimation in time after a
 * bit-reversal permutation -- and split it into the n/2 + 1 bins of the real
 * transform. The twiddle table, W^k = exp(-2 pi i k / n) for k < n/2, serves
 * both steps (the half-size FFT uses the even entries). Tables live in
 * caller-provided storage filled once by tm_rfft_init_*: one table per
 * length the application uses, in RAM or copied to flash, rather than a
 * constexpr table of the largest size linked into every image.
 *
 * Output layout: out[2k], out[2k + 1] = Re, Im of bin k, k = 0..n/2, so
 * out holds n + 2 values; out[1] and out[n + 1] are 0. The float result is
 * the unnormalised DFT, sum_t x[t] exp(-2 pi i k t / n) (scipy.fft.rfft).
 *
 * Q15 scaling (deterministic, no overflow for any input): the frame is
 * first shifted by a block exponent s so that max |x| << s lies in
 * [2^13, 2^14) (s in -2..14, s = 0 for a zero frame); the headroom bit keeps
 * the complex pairs below modulus 2^15 / sqrt(2). Each of the log2(n) - 1
 * butterfly stages and the split halve their result (rounding half up), so
 * out = DFT(x * 2^s) / n, i.e. the true DFT of the int16 frame is
 * out * n * 2^-s. Twiddle products round to nearest from Q30.
 *
 * Q31 path (tm_rfft_q31): the same algorithm on int32 data with Q31
 * twiddles and int64 products. Its input is int32, so a frame windowed in
 * Q15 can come in unrounded (int16 x Q15 products, exact). The block
 * exponent puts the peak in [2^29, 2^30) (s = 29 - floor(log2 max|x|), -2..29;
 * rounded right shift when negative), so the result keeps about 16 more bits
 * than the Q15 path: the log-mel frontend uses it, where quiet bands 60-100
 * dB under the frame's peak must still be resolved. Same relation: true DFT
 * of the input = out * n * 2^-s. */
#ifndef TIERML_DSP_RFFT_H_
#define TIERML_DSP_RFFT_H_

#include <stdint.h>

#include "tierml/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TM_RFFT_MIN_LENGTH 64
#define TM_RFFT_MAX_LENGTH 2048
/* Values in a twiddle table for length n (n/2 complex pairs). */
#define TM_RFFT_TWIDDLE_COUNT(n) (n)

typedef struct {
  int32_t n;
  int32_t log2n;
  const float* twiddle_f32;   /* cos, -sin pairs; NULL on the Q15 path */
  const int16_t* twiddle_q15; /* the same in Q15 (Q15 path only) */
  const int32_t* twiddle_q31; /* the same in Q31 (Q31 path only) */
} TmRfft;

/* kTmErrorBadArgument unless n is a power of two in [64, 2048]. */
TmStatus tm_rfft_init_f32(int32_t n, float* twiddles, TmRfft* fft);
TmStatus tm_rfft_init_q15(int32_t n, int16_t* twiddles, TmRfft* fft);
TmStatus tm_rfft_init_q31(int32_t n, int32_t* twiddles, TmRfft* fft);

/* in: n samples, out: n + 2 values (see above). in and out must not
 * overlap. */
void tm_rfft_f32(const TmRfft* fft, const float* in, float* out);
/* Return the block exponent s. */
int32_t tm_rfft_q15(const TmRfft* fft, const int16_t* in, int16_t* out);
int32_t tm_rfft_q31(const TmRfft* fft, const int32_t* in, int32_t* out);

/* The block exponent tm_rfft_q15 would choose for this frame. */
int32_t tm_block_exponent_q15(const int16_t* x, int32_t length);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_RFFT_H_ */
