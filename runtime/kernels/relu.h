/* RELU and RELU6, as TFLM runs them. Quantized RELU requantizes from the
 * input's scale to the output's and clamps at the output's zero (and at the
 * type's limits). Quantized RELU6 does not requantize: TFLM clamps the raw
 * input values between the input's quantized 0 and 6. */
#ifndef TIERML_KERNELS_RELU_H_
#define TIERML_KERNELS_RELU_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count;
  int32_t input_offset, output_offset;
  int32_t multiplier, shift;
  int32_t act_min, act_max; /* RELU6: quantized 0 and 6 */
} TmReluParams;

/* Same type in and out: INT8, INT16 (zero points 0) or FLOAT32. */
TmStatus tm_relu_prepare(const TmTensor* input, const TmTensor* output,
                         TmReluParams* params);
TmStatus tm_relu6_prepare(const TmTensor* input, const TmTensor* output,
                          TmReluParams* params);
/* All of these allow output == input. */
void tm_relu_s8(const TmReluParams* p, const int8_t* input, int8_t* output);
void tm_relu_s16(const TmReluParams* p, const int16_t* input, int16_t* output);
void tm_relu_f32(const TmReluParams* p, const float* input, float* output);
void tm_relu6_s8(const TmReluParams* p, const int8_t* input, int8_t* output);
void tm_relu6_s16(const TmReluParams* p, const int16_t* input, int16_t* output);
void tm_relu6_f32(const TmReluParams* p, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_RELU_H_ */
