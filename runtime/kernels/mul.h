/* MUL: output = input1 * input2 with broadcasting and a fused activation.
 * Quantized: the product of the offset operands is rescaled once by
 * s1 * s2 / s_out (TFLite's reference scheme; int16 requires zero points 0). */
#ifndef TIERML_KERNELS_MUL_H_
#define TIERML_KERNELS_MUL_H_

#include <stdint.h>

#include "kernels/broadcast.h"
#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  TmBroadcast broadcast;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_multiplier, output_shift;
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
} TmMulParams;

TmStatus tm_mul_prepare(const TmElementwiseAttrs* attrs, const TmTensor* input1,
                        const TmTensor* input2, const TmTensor* output,
                        TmMulParams* params);
/* output may alias an input of the output's shape. */
void tm_mul_s8(const TmMulParams* p, const int8_t* input1, const int8_t* input2,
               int8_t* output);
void tm_mul_s16(const TmMulParams* p, const int16_t* input1,
                const int16_t* input2, int16_t* output);
void tm_mul_f32(const TmMulParams* p, const float* input1, const float* input2,
                float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_MUL_H_ */
