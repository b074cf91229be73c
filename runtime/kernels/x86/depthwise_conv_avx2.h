// int8 DEPTHWISE_CONV_2D with AVX2 (depthwise_conv_avx2.cc).
#ifndef TIERML_KERNELS_X86_DEPTHWISE_CONV_AVX2_H_
#define TIERML_KERNELS_X86_DEPTHWISE_CONV_AVX2_H_

#include "kernels/depthwise_conv.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
// Callers must have checked cpu_has_avx2(). Returns false, having written
// nothing, for parameters it does not cover (filters of more than 256 tap
// pairs, windows spanning more than 64 input rows); the caller then runs the
// portable path.
bool depthwise_conv_s8_avx2(const TmDepthwiseConvParams& p, const int8_t* input,
                            const int8_t* filter, const int32_t* bias,
                            int8_t* output);
}  // namespace tierml
#endif

#endif  // TIERML_KERNELS_X86_DEPTHWISE_CONV_AVX2_H_
