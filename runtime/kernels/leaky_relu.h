/* LEAKY_RELU: x for x >= 0, alpha * x otherwise. Quantized, each branch has
 * its own multiplier (s_in / s_out and alpha * s_in / s_out, formed in float
 * as TFLM does) applied to the input minus its zero point. */
#ifndef TIERML_KERNELS_LEAKY_RELU_H_
#define TIERML_KERNELS_LEAKY_RELU_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count;
  int32_t input_offset, output_offset;
  int32_t identity_multiplier, identity_shift;
  int32_t alpha_multiplier, alpha_shift;
  float alpha;
} TmLeakyReluParams;

/* Same type in and out: INT8, INT16 or FLOAT32. */
TmStatus tm_leaky_relu_prepare(const TmLeakyReluAttrs* attrs,
                               const TmTensor* input, const TmTensor* output,
                               TmLeakyReluParams* params);
/* All of these allow output == input. */
void tm_leaky_relu_s8(const TmLeakyReluParams* p, const int8_t* input,
                      int8_t* output);
void tm_leaky_relu_s16(const TmLeakyReluParams* p, const int16_t* input,
                       int16_t* output);
void tm_leaky_relu_f32(const TmLeakyReluParams* p, const float* input,
                       float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_LEAKY_RELU_H_ */
