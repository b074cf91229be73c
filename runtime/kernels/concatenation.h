/* CONCATENATION along one axis, any number of inputs, up to TM_MAX_DIMS
 * dims. Like TFLM, quantized inputs are copied as they are, so prepare
 * requires every input to share the output's scale and zero point (TFLite
 * would requantize; TFLM does not). */
#ifndef TIERML_KERNELS_CONCATENATION_H_
#define TIERML_KERNELS_CONCATENATION_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t num_inputs;
  int32_t outer;        /* product of the dims before the axis */
  const int32_t* inner; /* per input: elements copied per outer step */
} TmConcatenationParams;

/* inputs: one data pointer per input, of the output's type.
 * inner: num_inputs entries of caller-owned storage, filled here.
 * kTmErrorUnsupported for types, ranks, fused activations or quantization
 * mismatches it does not run; kTmErrorBadArgument for shapes that do not
 * concatenate into output. */
TmStatus tm_concatenation_prepare(const TmConcatenationAttrs* attrs,
                                  const TmTensor* const* inputs,
                                  int32_t num_inputs, const TmTensor* output,
                                  int32_t* inner,
                                  TmConcatenationParams* params);

void tm_concatenation_s8(const TmConcatenationParams* p,
                         const void* const* inputs, int8_t* output);
void tm_concatenation_s16(const TmConcatenationParams* p,
                          const void* const* inputs, int16_t* output);
void tm_concatenation_i32(const TmConcatenationParams* p,
                          const void* const* inputs, int32_t* output);
void tm_concatenation_f32(const TmConcatenationParams* p,
                          const void* const* inputs, float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_CONCATENATION_H_ */
