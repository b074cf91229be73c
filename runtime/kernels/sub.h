/* SUB: output = input1 - input2 with broadcasting and a fused activation;
 * the quantized scheme is ADD's (see add.h) with the second operand negated
 * after rescaling. TFLM runs int16 only through that general scheme. */
#ifndef TIERML_KERNELS_SUB_H_
#define TIERML_KERNELS_SUB_H_

#include <stdint.h>

#include "kernels/add.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef TmAddParams TmSubParams;

TmStatus tm_sub_prepare(const TmElementwiseAttrs* attrs, const TmTensor* input1,
                        const TmTensor* input2, const TmTensor* output,
                        TmSubParams* params);
/* output may alias an input of the output's shape. */
void tm_sub_s8(const TmSubParams* p, const int8_t* input1, const int8_t* input2,
               int8_t* output);
void tm_sub_s16(const TmSubParams* p, const int16_t* input1,
                const int16_t* input2, int16_t* output);
void tm_sub_f32(const TmSubParams* p, const float* input1, const float* input2,
                float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_SUB_H_ */
