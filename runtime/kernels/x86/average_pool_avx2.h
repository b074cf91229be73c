// int8 AVERAGE_POOL_2D with AVX2 (average_pool_avx2.cc).
#ifndef TIERML_KERNELS_X86_AVERAGE_POOL_AVX2_H_
#define TIERML_KERNELS_X86_AVERAGE_POOL_AVX2_H_

#include "kernels/pooling.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
// Callers must have checked cpu_has_avx2(). Covers every shape.
void average_pool_s8_avx2(const TmPoolParams& p, const int8_t* input,
                          int8_t* output);
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_AVERAGE_POOL_AVX2_H_
