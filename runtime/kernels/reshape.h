/* RESHAPE, SQUEEZE and EXPAND_DIMS: the bytes do not change, only the shape
 * the model gives the output, so one copy kernel serves all three. */
#ifndef TIERML_KERNELS_RESHAPE_H_
#define TIERML_KERNELS_RESHAPE_H_

#include <stddef.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks that output has input's type and element count (the static shapes
 * of the model are used as they are). Fills *bytes with the copy size. */
TmStatus tm_reshape_prepare(const TmTensor* input, const TmTensor* output,
                            size_t* bytes);

/* Copies bytes from input to output; a no-op when the planner placed both
 * in the same memory. Overlapping buffers are allowed. */
void tm_reshape(const void* input, void* output, size_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_RESHAPE_H_ */
