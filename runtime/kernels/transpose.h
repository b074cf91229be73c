/* TRANSPOSE: output dim i is input dim perm[i]. Up to TM_MAX_DIMS dims. */
#ifndef TIERML_KERNELS_TRANSPOSE_H_
#define TIERML_KERNELS_TRANSPOSE_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Output walked in order, extended at the front to TM_MAX_DIMS dims: count
 * per dim and the input step (in elements) that goes with it. */
typedef struct {
  int32_t count[TM_MAX_DIMS];
  int32_t step[TM_MAX_DIMS];
} TmTransposeParams;

/* perm: the constant permutation, rank values. Checks the output shape. */
TmStatus tm_transpose_prepare(const TmTensor* input, const int32_t* perm,
                              int32_t perm_count, const TmTensor* output,
                              TmTransposeParams* params);

void tm_transpose_s8(const TmTransposeParams* p, const int8_t* input,
                     int8_t* output);
void tm_transpose_s16(const TmTransposeParams* p, const int16_t* input,
                      int16_t* output);
void tm_transpose_i32(const TmTransposeParams* p, const int32_t* input,
                      int32_t* output);
void tm_transpose_f32(const TmTransposeParams* p, const float* input,
                      float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_TRANSPOSE_H_ */
