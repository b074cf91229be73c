/* SVDF: a rank-decomposed time convolution with state. Each invoke shifts the
 * state (a variable tensor [batches, num_filters * memory_size]) left by one
 * element, writes the new feature projection of the input into the last slot
 * of every filter's memory, then reduces the memory against weights_time.
 *
 * Integer variants follow TFLM's reference kernel: int8 input and
 * weights_feature, weights_time and state both int16 or both int8, int32 bias,
 * int8 output clamped to the int8 range only (TFLM ignores the fused
 * activation on the integer path). The filter-to-unit reduction is fused, so
 * no scratch memory is needed. */
#ifndef TIERML_KERNELS_SVDF_H_
#define TIERML_KERNELS_SVDF_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches, input_size, num_filters, num_units, rank, memory_size;
  /* Integer variants. */
  int32_t input_zero_point, state_zero_point, output_zero_point;
  int32_t feature_multiplier, feature_shift; /* input x feature -> state */
  int32_t time_multiplier, time_shift;       /* state x time -> output */
  /* float32 variant. */
  TmActivation activation;
} TmSvdfParams;

/* Validates types and shapes as TFLM does and fills params. bias may be NULL.
 * On failure *why (if why is not NULL) names the failed check. */
TmStatus tm_svdf_prepare(const TmSvdfAttrs* attrs, const TmTensor* input,
                         const TmTensor* weights_feature,
                         const TmTensor* weights_time, const TmTensor* bias,
                         const TmTensor* state, const TmTensor* output,
                         TmSvdfParams* params, const char** why);

/* int16 weights_time and state. */
void tm_svdf_s8_s16(const TmSvdfParams* p, const int8_t* input,
                    const int8_t* weights_feature, const int16_t* weights_time,
                    const int32_t* bias, int16_t* state, int8_t* output);
/* int8 weights_time and state. */
void tm_svdf_s8_s8(const TmSvdfParams* p, const int8_t* input,
                   const int8_t* weights_feature, const int8_t* weights_time,
                   const int32_t* bias, int8_t* state, int8_t* output);
void tm_svdf_f32(const TmSvdfParams* p, const float* input,
                 const float* weights_feature, const float* weights_time,
                 const float* bias, float* state, float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_SVDF_H_ */
