// x86-64 AVX2 float32 DEPTHWISE_CONV_2D: tm_depthwise_conv_f32 runs it when the CPU has AVX2
// (cpu_has_avx2()) and the shape is covered, the portable loop otherwise.
// It gives the portable loop's bits: the same sums in the same order,
// without fused multiply-adds (TFLite's reference kernels round each
// product, and the golden float outputs cancel too much to allow anything
// else).
#ifndef TIERML_KERNELS_X86_DEPTHWISE_CONV_F32_AVX2_H_
#define TIERML_KERNELS_X86_DEPTHWISE_CONV_F32_AVX2_H_

#include "kernels/depthwise_conv.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
namespace x86 {

// Depth multiplier 1 only.
bool depthwise_f32_avx2_covers(const TmDepthwiseConvParams& p);
void depthwise_conv_f32_avx2(const TmDepthwiseConvParams& p,
                             const float* input, const float* filter,
                             const float* bias, float* output);

}  // namespace x86
}  // namespace tierml
#endif  // TM_X86_AVX2

#endif  // TIERML_KERNELS_X86_DEPTHWISE_CONV_F32_AVX2_H_
