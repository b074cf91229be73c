// int8 ADD with AVX2 (add_avx2.cc).
#ifndef TIERML_KERNELS_X86_ADD_AVX2_H_
#define TIERML_KERNELS_X86_ADD_AVX2_H_

#include "kernels/add.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
// Callers must have checked cpu_has_avx2(). Returns false, having written
// nothing, for parameters it does not cover (broadcasting); the caller then
// runs the portable path.
bool add_s8_avx2(const TmAddParams& p, const int8_t* input1,
                 const int8_t* input2, int8_t* output);
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_ADD_AVX2_H_
