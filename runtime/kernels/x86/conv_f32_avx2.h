// x86-64 AVX2 float32 CONV_2D: tm_conv_f32 runs it when the CPU has AVX2
// (cpu_has_avx2()) and the shape is covered, the portable loop otherwise.
// It gives the portable loop's bits: the same sums in the same order,
// without fused multiply-adds (TFLite's reference kernels round each
// product, and the golden float outputs cancel too much to allow anything
// else).
#ifndef TIERML_KERNELS_X86_CONV_F32_AVX2_H_
#define TIERML_KERNELS_X86_CONV_F32_AVX2_H_

#include <stddef.h>

#include "kernels/conv.h"
#include "kernels/x86/cpu_features.h"

#ifdef TM_X86_AVX2
namespace tierml {
namespace x86 {

// Groups of 1 and at most 1024 filter values per output channel, with any
// strides, dilation and padding.
bool conv_f32_avx2_covers(const TmConvParams& p);
void conv_f32_avx2(const TmConvParams& p, const float* input,
                   const float* filter, const float* bias, float* output);

// The same with the filter transposed once, at prepare, for any depth: the
// bytes of that copy, 0 for groups other than 1; the packing; and the
// invoke, for parameters of nonzero bytes only. Callers must have checked
// cpu_has_avx2().
size_t conv_f32_avx2_packed_bytes(const TmConvParams& p);
void conv_f32_avx2_pack(const TmConvParams& p, const float* filter,
                        void* packed);
void conv_f32_avx2_packed(const TmConvParams& p, const void* packed,
                          const float* input, const float* bias, float* output);

}  // namespace x86
}  // namespace tierml
#endif  // TM_X86_AVX2

#endif  // TIERML_KERNELS_X86_CONV_F32_AVX2_H_
