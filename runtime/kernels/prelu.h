/* PRELU: x for x >= 0, alpha * x otherwise, alpha a tensor broadcast
 * against the input (typically one value per channel). Quantized: the
 * positive branch rescales by s_in / s_out, the negative one multiplies the
 * offset input by the offset alpha and rescales by s_in * s_alpha / s_out. */
#ifndef TIERML_KERNELS_PRELU_H_
#define TIERML_KERNELS_PRELU_H_

#include <stdint.h>

#include "kernels/broadcast.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  TmBroadcast broadcast;
  int32_t input_offset, alpha_offset, output_offset;
  int32_t identity_multiplier, identity_shift;
  int32_t alpha_multiplier, alpha_shift;
} TmPreluParams;

/* INT8 input, alpha and output, or FLOAT32 throughout; the output has the
 * input's shape. */
TmStatus tm_prelu_prepare(const TmTensor* input, const TmTensor* alpha,
                          const TmTensor* output, TmPreluParams* params);
/* Both allow output == input. */
void tm_prelu_s8(const TmPreluParams* p, const int8_t* input,
                 const int8_t* alpha, int8_t* output);
void tm_prelu_f32(const TmPreluParams* p, const float* input,
                  const float* alpha, float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_PRELU_H_ */
