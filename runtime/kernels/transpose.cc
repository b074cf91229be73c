#include "kernels/transpose.h"

namespace {

template <typename T>
void transpose(const TmTransposeParams* p, const T* input, T* output) {
  static_assert(TM_MAX_DIMS == 6, "one loop per dim");
  const int32_t* n = p->count;
  const int32_t* s = p->step;
  for (int32_t i0 = 0, o0 = 0; i0 < n[0]; ++i0, o0 += s[0]) {
    for (int32_t i1 = 0, o1 = o0; i1 < n[1]; ++i1, o1 += s[1]) {
      for (int32_t i2 = 0, o2 = o1; i2 < n[2]; ++i2, o2 += s[2]) {
        for (int32_t i3 = 0, o3 = o2; i3 < n[3]; ++i3, o3 += s[3]) {
          for (int32_t i4 = 0, o4 = o3; i4 < n[4]; ++i4, o4 += s[4]) {
            for (int32_t i5 = 0, o5 = o4; i5 < n[5]; ++i5, o5 += s[5]) {
              *output++ = input[o5];
            }
          }
        }
      }
    }
  }
}

}  // namespace

extern "C" {

TmStatus tm_transpose_prepare(const TmTensor* input, const int32_t* perm,
                              int32_t perm_count, const TmTensor* output,
                              TmTransposeParams* params) {
  const TmType type = input->type;
  if (type != kTmInt8 && type != kTmInt16 && type != kTmInt32 &&
      type != kTmFloat32) {
    return kTmErrorUnsupported;
  }
  const int32_t rank = input->shape.rank;
  if (rank > TM_MAX_DIMS) return kTmErrorUnsupported;
  if (output->type != type || perm_count != rank ||
      output->shape.rank != rank) {
    return kTmErrorBadArgument;
  }
  int32_t in_stride[TM_MAX_DIMS];
  int32_t elems = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    in_stride[d] = elems;
    elems *= input->shape.dims[d];
  }
  bool used[TM_MAX_DIMS] = {};
  const int32_t pad = TM_MAX_DIMS - rank;
  for (int32_t d = 0; d < pad; ++d) {
    params->count[d] = 1;
    params->step[d] = 0;
  }
  for (int32_t d = 0; d < rank; ++d) {
    const int32_t from = perm[d];
    if (from < 0 || from >= rank || used[from]) return kTmErrorBadArgument;
    used[from] = true;
    if (output->shape.dims[d] != input->shape.dims[from]) {
      return kTmErrorBadArgument;
    }
    params->count[pad + d] = input->shape.dims[from];
    params->step[pad + d] = in_stride[from];
  }
  return kTmOk;
}

void tm_transpose_s8(const TmTransposeParams* p, const int8_t* input,
                     int8_t* output) {
  transpose(p, input, output);
}

void tm_transpose_s16(const TmTransposeParams* p, const int16_t* input,
                      int16_t* output) {
  transpose(p, input, output);
}

void tm_transpose_i32(const TmTransposeParams* p, const int32_t* input,
                      int32_t* output) {
  transpose(p, input, output);
}

void tm_transpose_f32(const TmTransposeParams* p, const float* input,
                      float* output) {
  transpose(p, input, output);
}

}  // extern "C"
