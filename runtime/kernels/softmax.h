/* SOFTMAX over the last dimension, bit-exact with TFLite's reference kernels.
 * int8 input: differences to the row maximum are rescaled by beta * scale
 * into Q5.26, exponentiated in gemmlowp-style fixed point, summed in Q12.19
 * and normalized with a fixed-point reciprocal; the output is int8 (scale
 * 1/256, zero point -128) or int16 (scale 1/65536, zero point -32768).
 * int16 input: exp and 1/(1+x) come from 513-entry interpolated tables built
 * at prepare time; the output is int16 (scale 1/32768, zero point 0). */
#ifndef TIERML_KERNELS_SOFTMAX_H_
#define TIERML_KERNELS_SOFTMAX_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Entries of each int16 lookup table (512 segments plus the end point). */
#define TM_SOFTMAX_LUT_ENTRIES 513

typedef struct {
  int32_t outer_size; /* rows */
  int32_t depth;      /* elements per row (the last dimension) */
  float beta;         /* float32 */
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;       /* int8 input: differences below it give exp = 0 */
  const int16_t* exp_lut; /* int16 input only */
  const int16_t* one_over_one_plus_x_lut;
} TmSoftmaxParams;

/* Input FLOAT32 -> FLOAT32, INT8 -> INT8, INT8 -> INT16 or INT16 -> INT16,
 * with equal shapes. For INT16 input the caller passes storage for the two
 * tables (TM_SOFTMAX_LUT_ENTRIES each), which prepare fills and params then
 * points to; for other types they may be NULL. */
TmStatus tm_softmax_prepare(const TmSoftmaxAttrs* attrs, const TmTensor* input,
                            const TmTensor* output, int16_t* exp_lut,
                            int16_t* one_over_one_plus_x_lut,
                            TmSoftmaxParams* params);

void tm_softmax_f32(const TmSoftmaxParams* p, const float* input,
                    float* output);
void tm_softmax_s8(const TmSoftmaxParams* p, const int8_t* input,
                   int8_t* output);
void tm_softmax_s8_s16(const TmSoftmaxParams* p, const int8_t* input,
                       int16_t* output);
void tm_softmax_s16(const TmSoftmaxParams* p, const int16_t* input,
                    int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_SOFTMAX_H_ */
