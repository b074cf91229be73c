/* Integer helpers of the fixed-point feature path: square roots, base-2
 * logarithms and powers of two, each computed bit by bit so that every
 * target gives the same result (no floating point, no libm). */
#ifndef TIERML_DSP_FIXED_MATH_H_
#define TIERML_DSP_FIXED_MATH_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Q16 value of log2 of the smallest representable input: used for log(0)
 * when no offset is added before the logarithm. */
#define TM_LOG2_Q16_MIN (-(int32_t)(200 << 16))

/* floor(sqrt(v)). */
uint32_t tm_isqrt64(uint64_t v);

/* log2(v) in Q16 (v > 0; v == 0 gives TM_LOG2_Q16_MIN). The mantissa is
 * normalised to [1, 2) and its fraction found by 16 squarings, so the error
 * is at most 2 units of 2^-16. */
int32_t tm_log2_q16(uint64_t v);

/* 2^(-d / 65536) in Q30 for d >= 0, from a product of 16 exact constants
 * (one per fraction bit) and a shift; error at most 16 units of 2^-30. */
uint32_t tm_exp2_neg_q16(int32_t d);

/* log2(2^a + 2^b) for a, b in Q16: the larger plus log2(1 + 2^-|a-b|). */
int32_t tm_log2_add_q16(int32_t a, int32_t b);

/* Highest set bit of v (v > 0), -1 for v == 0. */
int32_t tm_msb64(uint64_t v);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_DSP_FIXED_MATH_H_ */
