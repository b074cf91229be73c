/* PAD and PADV2: copies the input into the middle of the output and fills
 * the borders with one value. Up to TM_MAX_DIMS dims. */
#ifndef TIERML_KERNELS_PAD_H_
#define TIERML_KERNELS_PAD_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Shapes extended at the front with 1s to TM_MAX_DIMS. */
  int32_t input_dims[TM_MAX_DIMS];
  int32_t output_dims[TM_MAX_DIMS];
  int32_t left[TM_MAX_DIMS];
  /* The fill of PAD (no constant input), as TFLM does it: the output zero
   * point for int8, 0 for every other type. */
  int32_t default_pad;
} TmPadParams;

/* paddings: constant INT32 or INT64 [rank, 2] (data must be set);
 * constant_values: PADV2's scalar of the input type, or NULL for PAD. Checks
 * output dims = input dims + paddings and, for int8 PADV2, that the constant
 * shares the output's quantization. */
TmStatus tm_pad_prepare(const TmTensor* input, const TmTensor* paddings,
                        const TmTensor* constant_values, const TmTensor* output,
                        TmPadParams* params);

void tm_pad_s8(const TmPadParams* p, const int8_t* input, int8_t pad_value,
               int8_t* output);
void tm_pad_s16(const TmPadParams* p, const int16_t* input, int16_t pad_value,
                int16_t* output);
void tm_pad_i32(const TmPadParams* p, const int32_t* input, int32_t pad_value,
                int32_t* output);
void tm_pad_f32(const TmPadParams* p, const float* input, float pad_value,
                float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_PAD_H_ */
