/* STRIDED_SLICE with TFLite's full index semantics: begin/end/shrink masks,
 * ellipsis and new-axis masks, negative indices and strides, and the offset
 * attribute (end counts from begin). Up to 5 dims including new axes. */
#ifndef TIERML_KERNELS_STRIDED_SLICE_H_
#define TIERML_KERNELS_STRIDED_SLICE_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TM_STRIDED_SLICE_MAX_DIMS 5

/* The slice as nested loops over the input, outermost first: count[d]
 * steps of step[d] elements, starting at element first. */
typedef struct {
  int32_t first;
  int32_t count[TM_STRIDED_SLICE_MAX_DIMS];
  int32_t step[TM_STRIDED_SLICE_MAX_DIMS];
} TmStridedSliceParams;

/* begin, end and strides hold num_indices values each (the constant index
 * inputs). Checks that the slice has exactly the output's shape.
 * kTmErrorUnsupported for types or ranks it cannot run. */
TmStatus tm_strided_slice_prepare(const TmStridedSliceAttrs* attrs,
                                  const TmTensor* input, const int32_t* begin,
                                  const int32_t* end, const int32_t* strides,
                                  int32_t num_indices, const TmTensor* output,
                                  TmStridedSliceParams* params);

void tm_strided_slice_s8(const TmStridedSliceParams* p, const int8_t* input,
                         int8_t* output);
void tm_strided_slice_s16(const TmStridedSliceParams* p, const int16_t* input,
                          int16_t* output);
void tm_strided_slice_i32(const TmStridedSliceParams* p, const int32_t* input,
                          int32_t* output);
void tm_strided_slice_f32(const TmStridedSliceParams* p, const float* input,
                          float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_STRIDED_SLICE_H_ */
