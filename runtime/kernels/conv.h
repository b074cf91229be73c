/* CONV_2D, bit-exact with TensorFlow Lite's reference kernels.
 *
 * Layouts: input [N, H, W, C_in], filter [C_out, KH, KW, C_in / groups],
 * output [N, OH, OW, C_out]. Grouped convolution (filter depth below the
 * input depth) follows TFLite: output channel c reads the input channels of
 * group c / (C_out / groups). */
#ifndef TIERML_KERNELS_CONV_H_
#define TIERML_KERNELS_CONV_H_

#include <stddef.h>
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
  int32_t filter_h, filter_w, filter_c; /* filter_c: input channels per group */
  int32_t output_h, output_w, output_c;
  int32_t filters_per_group;
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
} TmConvParams;

/* Validates types and shapes and fills params. The output extent must be the
 * one TFLite computes from the padding. Quantized types need multipliers and
 * shifts with C_out entries each. folded_bias (C_out entries, may be NULL)
 * is filled for int8 when the filter (and bias, if any) data are known now;
 * params->folded_bias is NULL otherwise.
 *
 * Type combinations: int8 input/filter/output with int32 bias; int16
 * input/output with int8 filter and int64 bias (tm_conv_s16) or int32 bias or
 * no bias (tm_conv_s16_acc32, as TFLite Micro does); float32 throughout.
 * kTmErrorUnsupported for other types or fused TANH/SIGN_BIT,
 * kTmErrorBadArgument for inconsistent shapes or quantization. */
TmStatus tm_conv_prepare(const TmConvAttrs* attrs, const TmTensor* input,
                         const TmTensor* filter, const TmTensor* bias,
                         const TmTensor* output, int32_t* multipliers,
                         int32_t* shifts, int32_t* folded_bias,
                         TmConvParams* params);

/* bias may be NULL in every variant. */
void tm_conv_s8(const TmConvParams* p, const int8_t* input,
                const int8_t* filter, const int32_t* bias, int8_t* output);
void tm_conv_s16(const TmConvParams* p, const int16_t* input,
                 const int8_t* filter, const int64_t* bias, int16_t* output);
void tm_conv_s16_acc32(const TmConvParams* p, const int16_t* input,
                       const int8_t* filter, const int32_t* bias,
                       int16_t* output);
void tm_conv_f32(const TmConvParams* p, const float* input, const float* filter,
                 const float* bias, float* output);
/* The portable float loop, whatever the CPU: tm_conv_f32 runs it where no
 * SIMD variant (kernels/x86/) applies; tests hold the variants to it. */
void tm_conv_f32_portable(const TmConvParams* p, const float* input,
                          const float* filter, const float* bias,
                          float* output);

#ifdef __cplusplus
}

namespace tierml {
/* The portable int8 path: tm_conv_s8 runs it, or the AVX2 one of
 * x86/conv_avx2.h where the CPU has it; tests run each explicitly. */
void conv_s8_portable(const TmConvParams& p, const int8_t* input,
                      const int8_t* filter, const int32_t* bias,
                      int8_t* output);

/* The int8 filter laid out once, at prepare, for this CPU's fastest path
 * (x86-64 with AVX2: x86/packed_gemm_avx2.h). The bytes of that copy are 0
 * where no path wants one (Cortex-M, CPUs without AVX2, shapes the path does
 * not cover); conv_s8_packed then takes packed NULL and runs tm_conv_s8.
 * The generated C calls tm_conv_s8 and never packs. */
size_t conv_s8_packed_filter_bytes(const TmConvParams& p);
void conv_s8_pack_filter(const TmConvParams& p, const int8_t* filter,
                         void* packed);
void conv_s8_packed(const TmConvParams& p, const void* packed,
                    const int8_t* input, const int8_t* filter,
                    const int32_t* bias, int8_t* output);

/* The same for float32 (x86-64 with AVX2: x86/conv_f32_avx2.h, groups of
 * 1, any depth); conv_f32_packed with packed NULL runs tm_conv_f32. */
size_t conv_f32_packed_filter_bytes(const TmConvParams& p);
void conv_f32_pack_filter(const TmConvParams& p, const float* filter,
                          void* packed);
void conv_f32_packed(const TmConvParams& p, const void* packed,
                     const float* input, const float* filter, const float* bias,
                     float* output);
}  // namespace tierml
#endif

#endif /* TIERML_KERNELS_CONV_H_ */
