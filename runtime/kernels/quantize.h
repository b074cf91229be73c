/* QUANTIZE: float32 -> int8/int16 (round half away from zero of x / scale,
 * plus the zero point, saturated), and requantization between the integer
 * types TFLM supports: int8 -> int8/int16/int32, int16 -> int8/int16/int32,
 * int32 -> int8/int16, uint8 <-> int8. */
#ifndef TIERML_KERNELS_QUANTIZE_H_
#define TIERML_KERNELS_QUANTIZE_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count;
  TmType input_type, output_type;
  float output_scale; /* float input */
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* integer input: s_in / s_out */
  int32_t output_min, output_max;
} TmQuantizeParams;

/* kTmErrorUnsupported for type pairs TFLM does not run. The output must be
 * per-tensor quantized; so must an integer input. */
TmStatus tm_quantize_prepare(const TmTensor* input, const TmTensor* output,
                             TmQuantizeParams* params);
/* Float input; output of the type chosen at prepare. */
void tm_quantize_f32(const TmQuantizeParams* p, const float* input,
                     void* output);
/* Integer input and output of the types chosen at prepare. output may alias
 * input when both have the same type. */
void tm_requantize(const TmQuantizeParams* p, const void* input, void* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_QUANTIZE_H_ */
