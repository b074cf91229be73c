// x86-64 AVX2 variants of the float32 CONV_2D, DEPTHWISE_CONV_2D and
// FULLY_CONNECTED kernels. tm_conv_f32, tm_depthwise_conv_f32 and
// tm_fully_connected_f32 call them when the CPU has AVX2 (checked once) and
// the shape is covered; the portable loops run otherwise. They give the portable loops' bits: the same sums in the same
// order, without fused multiply-adds (TFLite's reference kernels round each
// product, and the golden outputs cancel too much to allow anything else).
//
// The kernels dispatch to them only where TM_X86_F32 is defined:
// runtime/CMakeLists.txt defines it on x86-64, where it builds these files.
// Generated C projects compile kernels/*.cc only, so they keep the portable
// loops.
#ifndef TIERML_KERNELS_X86_F32_AVX2_H_
#define TIERML_KERNELS_X86_F32_AVX2_H_

#if defined(__x86_64__)

#include "kernels/conv.h"
#include "kernels/depthwise_conv.h"
#include "kernels/fully_connected.h"

namespace tierml {
namespace x86 {

// True when the CPU (and OS) support AVX2; detected on first call.
bool f32_avx2_supported();

// Groups of 1 and at most 1024 filter values per output channel, with any
// strides, dilation and padding.
bool conv_f32_avx2_covers(const TmConvParams& p);
void conv_f32_avx2(const TmConvParams& p, const float* input,
                   const float* filter, const float* bias, float* output);

// Depth multiplier 1 only; see depthwise_f32_avx2_covers.
bool depthwise_f32_avx2_covers(const TmDepthwiseConvParams& p);
void depthwise_conv_f32_avx2(const TmDepthwiseConvParams& p,
                             const float* input, const float* filter,
                             const float* bias, float* output);

// At least 8 units and a depth of 8: smaller layers (a sine model's 1 -> 16
// -> 1) run faster through the portable loop than through 8 x 8 tiles.
bool fully_connected_f32_avx2_covers(const TmFullyConnectedParams& p);
void fully_connected_f32_avx2(const TmFullyConnectedParams& p,
                              const float* input, const float* filter,
                              const float* bias, float* output);

}  // namespace x86
}  // namespace tierml

#endif  // __x86_64__
#endif  // TIERML_KERNELS_X86_F32_AVX2_H_
