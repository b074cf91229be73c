/* LOGISTIC: 1 / (1 + exp(-x)), bit-exact with TFLite Micro's kernels.
 * int8: the input (minus its zero point) is rescaled into Q4.27 and
 * evaluated in gemmlowp-style fixed point; inputs beyond the radius where
 * the result saturates skip the arithmetic. The output must have scale 1/256
 * and zero point -128.
 * int16: symmetric input, the interpolated sigmoid table of
 * sigmoid_tanh_s16.h; the output must be Q0.15 (scale 2^-15, zero point 0).
 * float32: TFLite's cut-off approximation (exp(x) below -9, 1 above
 * 16.619...). */
#ifndef TIERML_KERNELS_LOGISTIC_H_
#define TIERML_KERNELS_LOGISTIC_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t size; /* elements */
  int32_t input_zero_point;
  int32_t input_range_radius; /* int8 */
  int32_t input_multiplier;   /* int16: 0 means the power-of-two case */
  int32_t input_left_shift;
} TmLogisticParams;

/* Input and output types equal: INT8, INT16 or FLOAT32; equal shapes. */
TmStatus tm_logistic_prepare(const TmTensor* input, const TmTensor* output,
                             TmLogisticParams* params);

void tm_logistic_s8(const TmLogisticParams* p, const int8_t* input,
                    int8_t* output);
void tm_logistic_s16(const TmLogisticParams* p, const int16_t* input,
                     int16_t* output);
void tm_logistic_f32(const TmLogisticParams* p, const float* input,
                     float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_LOGISTIC_H_ */
