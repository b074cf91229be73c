// int8 CONV_2D with AVX2 (conv_avx2.cc).
#ifndef TIERML_KERNELS_X86_CONV_AVX2_H_
#define TIERML_KERNELS_X86_CONV_AVX2_H_

#include <stddef.h>

#include "kernels/conv.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
// Callers must have checked cpu_has_avx2(). Returns false, having written
// nothing, for parameters it does not cover (windows longer than 4096 taps);
// the caller then runs the portable path.
bool conv_s8_avx2(const TmConvParams& p, const int8_t* input,
                  const int8_t* filter, const int32_t* bias, int8_t* output);

// The same with the filter packed once, at prepare (packed_gemm_avx2.h):
// the bytes of that copy, 0 where conv_s8_avx2 would return false; the
// packing; and the invoke, for parameters of nonzero bytes only.
size_t conv_s8_avx2_packed_bytes(const TmConvParams& p);
void conv_s8_avx2_pack(const TmConvParams& p, const int8_t* filter,
                       void* packed);
void conv_s8_avx2_packed(const TmConvParams& p, const void* packed,
                         const int8_t* input, const int32_t* bias,
                         int8_t* output);
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_CONV_AVX2_H_
