#include "kernels/broadcast.h"

namespace {

// Extent of dimension d (of TM_BROADCAST_DIMS, right-aligned) of shape.
int32_t aligned_dim(const TmShape* shape, int d) {
  const int lead = TM_BROADCAST_DIMS - shape->rank;
  return d < lead ? 1 : shape->dims[d - lead];
}

// Row-major element strides of shape, right-aligned; 0 where the extent is 1
// so that a size-1 dimension repeats.
void aligned_strides(const TmShape* shape, int32_t* strides) {
  int32_t stride = 1;
  for (int d = TM_BROADCAST_DIMS - 1; d >= 0; --d) {
    const int32_t extent = aligned_dim(shape, d);
    strides[d] = extent == 1 ? 0 : stride;
    stride *= extent;
  }
}

}  // namespace

extern "C" TmStatus tm_broadcast_prepare(const TmShape* input1,
                                         const TmShape* input2,
                                         const TmShape* output,
                                         TmBroadcast* b) {
  if (input1->rank > TM_BROADCAST_DIMS || input2->rank > TM_BROADCAST_DIMS ||
      output->rank > TM_BROADCAST_DIMS || input1->rank < 0 ||
      input2->rank < 0 || output->rank < 0)
    return kTmErrorUnsupported;
  const int rank = input1->rank > input2->rank ? input1->rank : input2->rank;
  if (output->rank != rank) return kTmErrorBadArgument;
  for (int d = 0; d < TM_BROADCAST_DIMS; ++d) {
    const int32_t e1 = aligned_dim(input1, d);
    const int32_t e2 = aligned_dim(input2, d);
    const int32_t e = e1 == 1 ? e2 : e1;
    if ((e1 != e2 && e1 != 1 && e2 != 1) || aligned_dim(output, d) != e)
      return kTmErrorBadArgument;
    b->dims[d] = e;
  }
  aligned_strides(input1, b->stride1);
  aligned_strides(input2, b->stride2);
  b->count = tm_shape_elements(output);
  b->same = tm_shape_elements(input1) == b->count &&
            tm_shape_elements(input2) == b->count;
  return kTmOk;
}
