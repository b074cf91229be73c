// int8 FULLY_CONNECTED with AVX2 (fully_connected_avx2.cc).
#ifndef TIERML_KERNELS_X86_FULLY_CONNECTED_AVX2_H_
#define TIERML_KERNELS_X86_FULLY_CONNECTED_AVX2_H_

#include <stddef.h>

#include "kernels/fully_connected.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
// Callers must have checked cpu_has_avx2(). Returns false, having written
// nothing, for parameters it does not cover (weights with a zero point, depths
// beyond 4096); the caller then runs the portable path.
bool fully_connected_s8_avx2(const TmFullyConnectedParams& p,
                             const int8_t* input, const int8_t* filter,
                             const int32_t* bias, int8_t* output);

// The same with the filter packed once, at prepare (packed_gemm_avx2.h):
// the bytes of that copy, 0 where fully_connected_s8_avx2 would return
// false or for a batch of one; the packing; and the invoke, for parameters
// of nonzero bytes only.
size_t fully_connected_s8_avx2_packed_bytes(const TmFullyConnectedParams& p);
void fully_connected_s8_avx2_pack(const TmFullyConnectedParams& p,
                                  const int8_t* filter, void* packed);
void fully_connected_s8_avx2_packed(const TmFullyConnectedParams& p,
                                    const void* packed, const int8_t* input,
                                    const int32_t* bias, int8_t* output);
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_FULLY_CONNECTED_AVX2_H_
