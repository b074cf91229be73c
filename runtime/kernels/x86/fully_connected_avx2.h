// int8 FULLY_CONNECTED with AVX2 (fully_connected_avx2.cc).
#ifndef TIERML_KERNELS_X86_FULLY_CONNECTED_AVX2_H_
#define TIERML_KERNELS_X86_FULLY_CONNECTED_AVX2_H_

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
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_FULLY_CONNECTED_AVX2_H_
