/* DEPTHWISE_CONV_2D, bit-exact with TensorFlow Lite's reference kernels.
 *
 * Layouts: input [N, H, W, C_in], filter [1, KH, KW, C_out], output
 * [N, OH, OW, C_out] with C_out = C_in * depth_multiplier; output channel
 * c * depth_multiplier + m reads input channel c. */
#ifndef TIERML_KERNELS_DEPTHWISE_CONV_H_
#define TIERML_KERNELS_DEPTHWISE_CONV_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;
  int32_t input_h, input_w, input_c;
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t depth_multiplier;
  int32_t stride_w, stride_h;
  int32_t dilation_w, dilation_h;
  int32_t pad_w, pad_h;
  int32_t input_offset;  /* -input zero point (int8) */
  int32_t output_offset; /* output zero point (int8) */
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
  const int32_t* multipliers; /* per output channel */
  const int32_t* shifts;
  /* int8 only, or NULL: bias + input_offset * sum of the channel's weights,
   * used for outputs whose window lies wholly inside the input. */
  const int32_t* folded_bias;
} TmDepthwiseConvParams;

/* Validates types and shapes and fills params; the depth multiplier is
 * C_out / C_in (TFLite's kernels assume the option agrees). The output extent
 * must be the one TFLite computes from the padding. Quantized types need
 * multipliers and shifts with C_out entries each. folded_bias (C_out entries,
 * may be NULL) is filled for int8 when the filter (and bias, if any) data are
 * known now, i.e. constant.
 *
 * Type combinations: int8 with int32 bias; int16 input/output with int8
 * filter and int64 bias; float32. */
TmStatus tm_depthwise_conv_prepare(const TmDepthwiseConvAttrs* attrs,
                                   const TmTensor* input,
                                   const TmTensor* filter, const TmTensor* bias,
                                   const TmTensor* output, int32_t* multipliers,
                                   int32_t* shifts, int32_t* folded_bias,
                                   TmDepthwiseConvParams* params);

/* bias may be NULL in every variant. */
void tm_depthwise_conv_s8(const TmDepthwiseConvParams* p, const int8_t* input,
                          const int8_t* filter, const int32_t* bias,
                          int8_t* output);
void tm_depthwise_conv_s16(const TmDepthwiseConvParams* p, const int16_t* input,
                           const int8_t* filter, const int64_t* bias,
                           int16_t* output);
void tm_depthwise_conv_f32(const TmDepthwiseConvParams* p, const float* input,
                           const float* filter, const float* bias,
                           float* output);
/* The portable float loop, whatever the CPU: tm_depthwise_conv_f32 runs it
 * where no SIMD variant (kernels/x86/) applies; tests hold the variants to
 * it. */
void tm_depthwise_conv_f32_portable(const TmDepthwiseConvParams* p,
                                    const float* input, const float* filter,
                                    const float* bias, float* output);

#ifdef __cplusplus
}

namespace tierml {
/* The portable int8 path: tm_depthwise_conv_s8 runs it, or the AVX2 one of
 * x86/depthwise_conv_avx2.h where the CPU has it; tests run each explicitly. */
void depthwise_conv_s8_portable(const TmDepthwiseConvParams& p,
                                const int8_t* input, const int8_t* filter,
                                const int32_t* bias, int8_t* output);
}  // namespace tierml
#endif

#endif /* TIERML_KERNELS_DEPTHWISE_CONV_H_ */
