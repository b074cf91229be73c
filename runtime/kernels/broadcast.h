/* Broadcasting of two operands against one output, as TFLite's elementwise
 * kernels do it (shapes aligned at the trailing dimension, a dimension of 1
 * repeats). Shared by ADD, SUB, MUL and PRELU: prepare computes the strides
 * once, invoke walks them. */
#ifndef TIERML_KERNELS_BROADCAST_H_
#define TIERML_KERNELS_BROADCAST_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TM_BROADCAST_DIMS TM_MAX_DIMS

typedef struct {
  int32_t count; /* output elements */
  int32_t same;  /* 1 when both operands have the output's element count */
  /* Output extents padded with leading 1s, and each operand's element
   * stride per output dimension (0 where the operand repeats). */
  int32_t dims[TM_BROADCAST_DIMS];
  int32_t stride1[TM_BROADCAST_DIMS];
  int32_t stride2[TM_BROADCAST_DIMS];
} TmBroadcast;

/* kTmErrorBadArgument when the operands do not broadcast to exactly the
 * output shape. */
TmStatus tm_broadcast_prepare(const TmShape* input1, const TmShape* input2,
                              const TmShape* output, TmBroadcast* broadcast);

#ifdef __cplusplus
}

namespace tierml {

// Calls f(index1, index2, output_index) for every output element in order.
// Each output element is written after both its operands are read, and only
// once, so an output aliasing a full-shape operand is safe.
template <typename F>
inline void broadcast_walk(const TmBroadcast& b, F f) {
  if (b.count == 0) return;
  if (b.same) {
    for (int32_t i = 0; i < b.count; ++i) f(i, i, i);
    return;
  }
  constexpr int kLast = TM_BROADCAST_DIMS - 1;
  const int32_t inner = b.dims[kLast];
  const int32_t outer = b.count / inner;
  int32_t index[TM_BROADCAST_DIMS] = {};
  int32_t base1 = 0, base2 = 0, out = 0;
  for (int32_t n = 0; n < outer; ++n) {
    int32_t i1 = base1, i2 = base2;
    for (int32_t c = 0; c < inner; ++c) {
      f(i1, i2, out++);
      i1 += b.stride1[kLast];
      i2 += b.stride2[kLast];
    }
    for (int d = kLast - 1; d >= 0; --d) {
      base1 += b.stride1[d];
      base2 += b.stride2[d];
      if (++index[d] < b.dims[d]) break;
      base1 -= b.stride1[d] * b.dims[d];
      base2 -= b.stride2[d] * b.dims[d];
      index[d] = 0;
    }
  }
}

}  // namespace tierml
#endif

#endif /* TIERML_KERNELS_BROADCAST_H_ */
