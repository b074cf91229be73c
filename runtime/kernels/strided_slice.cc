#include "kernels/strided_slice.h"

namespace {

constexpr int kMaxDims = TM_STRIDED_SLICE_MAX_DIMS;

// One dim of the slice after ellipsis and new axes are expanded.
struct Axis {
  int32_t size;  // of the (effective) input
  int32_t begin, end, stride;
  bool begin_mask, end_mask, shrink;
};

int32_t clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

int32_t resolve_start(const Axis& a) {
  if (a.begin_mask) return a.stride > 0 ? 0 : a.size - 1;
  const int32_t start = a.begin < 0 ? a.begin + a.size : a.begin;
  return a.stride > 0 ? clamp(start, 0, a.size) : clamp(start, -1, a.size - 1);
}

int32_t resolve_stop(const Axis& a, int32_t start, bool offset) {
  // An index past the end shrinks to nothing, which prepare rejects.
  if (a.shrink) return start >= a.size ? start : start + 1;
  if (a.end_mask) return a.stride > 0 ? a.size : -1;
  int32_t stop = offset ? a.end + start : a.end;
  if (stop < 0) stop += a.size;
  return a.stride > 0 ? clamp(stop, 0, a.size) : clamp(stop, -1, a.size - 1);
}

int32_t steps(int32_t start, int32_t stop, int32_t stride) {
  if (stride > 0)
    return stop > start ? (stop - start + stride - 1) / stride : 0;
  return start > stop ? (start - stop - stride - 1) / -stride : 0;
}

// Expands the ellipsis and new axes the way TFLite's StridedSlice does,
// giving one Axis per effective dim. Returns the effective rank, or -1.
int32_t expand(const TmStridedSliceAttrs* attrs, const TmShape& shape,
               const int32_t* begin, const int32_t* end, const int32_t* strides,
               int32_t count, Axis* axes) {
  const int32_t rank = shape.rank;
  int32_t added = 0;
  for (int32_t i = 0; i < count; ++i) {
    const int32_t bit = 1 << i;
    if (!(attrs->ellipsis_mask & bit) && (attrs->new_axis_mask & bit)) ++added;
  }
  const int32_t dims = rank + added;
  if (dims > kMaxDims) return -1;

  // An ellipsis covers as many dims as the index vectors leave unnamed; a
  // new axis at the ellipsis' own position has no effect.
  int32_t ellipsis = 0, new_axis = 0, ellipsis_start = dims, expanded = 0;
  for (int32_t i = 0; i < dims;) {
    if (attrs->ellipsis_mask & (1 << i)) {
      ellipsis_start = i;
      int32_t stop = i + 1 + added + rank - count;
      if (stop > dims) stop = dims;
      if (stop < i + 1) stop = i + 1;
      expanded = stop - i - 1;
      for (; i < stop; ++i) ellipsis |= 1 << i;
      continue;
    }
    if (attrs->new_axis_mask & (1 << (i - expanded))) new_axis |= 1 << i;
    ++i;
  }

  int32_t skipped = 0, inserted = 0;
  for (int32_t i = 0; i < dims; ++i) {
    Axis& a = axes[i];
    a = Axis{1, 0, 1, 1, false, false, false};
    if (new_axis & (1 << i)) {
      ++inserted;
      continue;
    }
    if (i - inserted >= rank) return -1;
    a.size = shape.dims[i - inserted];
    if (ellipsis & (1 << i)) {
      skipped = i - ellipsis_start;
      a.begin_mask = a.end_mask = true;
    } else if (i >= count + expanded) {
      a.begin_mask = a.end_mask = true;
    } else {
      const int32_t k = i - skipped;
      if (k < 0 || k >= count) return -1;
      a.begin = begin[k];
      a.end = end[k];
      a.stride = strides[k];
      a.begin_mask = attrs->begin_mask & (1 << k);
      a.end_mask = attrs->end_mask & (1 << k);
      a.shrink = attrs->shrink_axis_mask & (1 << k);
    }
  }
  return dims;
}

template <typename T>
void slice(const TmStridedSliceParams* p, const T* input, T* output) {
  const int32_t* n = p->count;
  const int32_t* s = p->step;
  for (int32_t i0 = 0, o0 = p->first; i0 < n[0]; ++i0, o0 += s[0]) {
    for (int32_t i1 = 0, o1 = o0; i1 < n[1]; ++i1, o1 += s[1]) {
      for (int32_t i2 = 0, o2 = o1; i2 < n[2]; ++i2, o2 += s[2]) {
        for (int32_t i3 = 0, o3 = o2; i3 < n[3]; ++i3, o3 += s[3]) {
          for (int32_t i4 = 0, o4 = o3; i4 < n[4]; ++i4, o4 += s[4]) {
            *output++ = input[o4];
          }
        }
      }
    }
  }
}

}  // namespace

extern "C" {

TmStatus tm_strided_slice_prepare(const TmStridedSliceAttrs* attrs,
                                  const TmTensor* input, const int32_t* begin,
                                  const int32_t* end, const int32_t* strides,
                                  int32_t num_indices, const TmTensor* output,
                                  TmStridedSliceParams* params) {
  const TmType type = input->type;
  if (type != kTmInt8 && type != kTmInt16 && type != kTmInt32 &&
      type != kTmFloat32) {
    return kTmErrorUnsupported;
  }
  if (output->type != type) return kTmErrorBadArgument;
  if (input->shape.rank > kMaxDims) return kTmErrorUnsupported;
  if (num_indices < 0 || num_indices > kMaxDims) return kTmErrorBadArgument;
  Axis axes[kMaxDims];
  const int32_t dims =
      expand(attrs, input->shape, begin, end, strides, num_indices, axes);
  if (dims < 0) return kTmErrorUnsupported;

  int32_t stride_elems[kMaxDims];
  int32_t elems = 1;
  for (int32_t d = dims - 1; d >= 0; --d) {
    stride_elems[d] = elems;
    elems *= axes[d].size;
  }
  const int32_t pad = kMaxDims - dims;
  params->first = 0;
  for (int32_t d = 0; d < pad; ++d) {
    params->count[d] = 1;
    params->step[d] = 0;
  }
  int32_t out_rank = 0;
  for (int32_t d = 0; d < dims; ++d) {
    const Axis& a = axes[d];
    if (a.stride == 0 || a.stride == -2147483647 - 1) {
      return kTmErrorBadArgument;
    }
    const int32_t start = resolve_start(a);
    const int32_t stop = resolve_stop(a, start, attrs->offset != 0);
    const int32_t count = steps(start, stop, a.stride);
    if (a.shrink) {
      // A shrunk index must name one element (TFLite would yield none).
      if (count != 1) return kTmErrorBadArgument;
    } else {
      if (out_rank >= output->shape.rank ||
          output->shape.dims[out_rank] != count) {
        return kTmErrorBadArgument;
      }
      ++out_rank;
    }
    params->count[pad + d] = count;
    // One element needs no step, and a hostile stride times the axis's
    // stride could overflow; with two or more, |stride| is below the axis
    // size, so the product stays within the tensor.
    params->step[pad + d] = count > 1 ? a.stride * stride_elems[d] : 0;
    if (count > 0) params->first += start * stride_elems[d];
  }
  if (out_rank != output->shape.rank) return kTmErrorBadArgument;
  return kTmOk;
}

void tm_strided_slice_s8(const TmStridedSliceParams* p, const int8_t* input,
                         int8_t* output) {
  slice(p, input, output);
}

void tm_strided_slice_s16(const TmStridedSliceParams* p, const int16_t* input,
                          int16_t* output) {
  slice(p, input, output);
}

void tm_strided_slice_i32(const TmStridedSliceParams* p, const int32_t* input,
                          int32_t* output) {
  slice(p, input, output);
}

void tm_strided_slice_f32(const TmStridedSliceParams* p, const float* input,
                          float* output) {
  slice(p, input, output);
}

}  // extern "C"
