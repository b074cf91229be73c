/* TANH, bit-exact with TFLite Micro's kernels.
 * int8: the input (minus its zero point) is rescaled into Q4.27 and
 * evaluated in gemmlowp-style fixed point; inputs beyond the radius where
 * the result saturates skip the arithmetic. The kernel produces Q0.7, so the
 * output must have scale 1/128 and zero point 0 (TFLM assumes it without
 * checking; tierml refuses anything else).
 * int16: symmetric input, the interpolated sigmoid table of
 * sigmoid_tanh_s16.h (tanh(x) = 2 sigmoid(2x) - 1); the output must be Q0.15.
 * float32: tanhf. */
#ifndef TIERML_KERNELS_TANH_H_
#define TIERML_KERNELS_TANH_H_

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
} TmTanhParams;

/* Input and output types equal: INT8, INT16 or FLOAT32; equal shapes. */
TmStatus tm_tanh_prepare(const TmTensor* input, const TmTensor* output,
                         TmTanhParams* params);

void tm_tanh_s8(const TmTanhParams* p, const int8_t* input, int8_t* output);
void tm_tanh_s16(const TmTanhParams* p, const int16_t* input, int16_t* output);
void tm_tanh_f32(const TmTanhParams* p, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_TANH_H_ */
