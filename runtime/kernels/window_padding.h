/* Output size and padding of a sliding window (convolutions, pooling), as
 * TensorFlow Lite computes them (GetWindowedOutputSize semantics): SAME pads
 * so that out = ceil(in / stride), with the odd padding element at the end;
 * VALID never pads. */
#ifndef TIERML_KERNELS_WINDOW_PADDING_H_
#define TIERML_KERNELS_WINDOW_PADDING_H_

#include <stdint.h>

#include "tierml/op_attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Output extent along one axis; 0 for a zero stride or an unknown padding. */
static inline int32_t tm_window_out_size(TmPadding padding, int32_t in_size,
                                         int32_t filter_size, int32_t stride,
                                         int32_t dilation) {
  const int32_t effective_filter = (filter_size - 1) * dilation + 1;
  if (stride <= 0) return 0;
  switch (padding) {
    case kTmPaddingSame:
      return (in_size + stride - 1) / stride;
    case kTmPaddingValid:
      return (in_size + stride - effective_filter) / stride;
    default:
      return 0;
  }
}

/* Padding before the first element along one axis, for a given output
 * extent. *offset receives the extra element padded at the end when the total
 * padding is odd. */
static inline int32_t tm_window_padding(int32_t stride, int32_t dilation,
                                        int32_t in_size, int32_t filter_size,
                                        int32_t out_size, int32_t* offset) {
  const int32_t effective_filter = (filter_size - 1) * dilation + 1;
  int32_t total = (out_size - 1) * stride + effective_filter - in_size;
  if (total < 0) total = 0;
  if (offset) *offset = total % 2;
  return total / 2;
}

/* The filter taps [*lo, *hi) of one axis whose input position
 * origin + dilation * tap lies inside [0, size): the window's part that is
 * not padding. */
static inline void tm_window_taps(int32_t origin, int32_t dilation,
                                  int32_t size, int32_t taps, int32_t* lo,
                                  int32_t* hi) {
  int32_t l = origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;
  const int32_t remaining = size - origin;
  int32_t h = remaining <= 0 ? 0 : (remaining + dilation - 1) / dilation;
  if (h > taps) h = taps;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_WINDOW_PADDING_H_ */
