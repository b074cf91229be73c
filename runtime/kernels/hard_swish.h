/* HARD_SWISH: x * relu6(x + 3) / 6, bit-exact with TFLite's reference int8
 * kernel. The input (minus its zero point) is lifted to a 16-bit "hi-res"
 * scale (x 2^7); one 16-bit fixed-point multiplier takes it to the output
 * scale, another to the "reluish" scale on which +-3 maps to +-1, and the
 * product of the two, truncated (not rounded) to cancel the rounding bias,
 * is shifted onto the output scale. */
#ifndef TIERML_KERNELS_HARD_SWISH_H_
#define TIERML_KERNELS_HARD_SWISH_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t size; /* elements */
  int16_t input_zero_point;
  int16_t output_zero_point;
  int16_t reluish_multiplier; /* Q0.15 */
  int16_t output_multiplier;  /* Q0.15 */
  int32_t reluish_exponent;   /* any sign */
  int32_t output_exponent;    /* <= 0 */
} TmHardSwishParams;

/* Input and output types equal: INT8 (per-tensor) or FLOAT32; equal shapes.
 * INT8 needs input_scale / output_scale < 128 (TFLite's limit). */
TmStatus tm_hard_swish_prepare(const TmTensor* input, const TmTensor* output,
                               TmHardSwishParams* params);

void tm_hard_swish_s8(const TmHardSwishParams* p, const int8_t* input,
                      int8_t* output);
void tm_hard_swish_f32(const TmHardSwishParams* p, const float* input,
                       float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_HARD_SWISH_H_ */
