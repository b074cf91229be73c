/* TRANSPOSE_CONV, bit-exact with TensorFlow Lite's reference kernels.
 *
 * The operator's inputs are, in the model's order: 0 the int32 output shape,
 * 1 the filter [C_out, KH, KW, C_in], 2 the input [N, H, W, C_in], 3 an
 * optional bias [C_out]. Each input element is scattered, times the filter,
 * into an accumulator of the output's size (the scratch buffer), which is
 * then biased and requantized. */
#ifndef TIERML_KERNELS_TRANSPOSE_CONV_H_
#define TIERML_KERNELS_TRANSPOSE_CONV_H_

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
  int32_t filter_h, filter_w;
  int32_t output_h, output_w, output_c;
  int32_t stride_w, stride_h;
  int32_t pad_w, pad_h;
  int32_t input_offset;  /* -input zero point (int8) */
  int32_t output_offset; /* output zero point (int8) */
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
  const int32_t* multipliers; /* per output channel */
  const int32_t* shifts;
} TmTransposeConvParams;

/* Validates types and shapes and fills params. output_shape may be NULL or
 * have no data; when its data is known it must agree with output. Padding is
 * TFLite's, computed from the output extent. Quantized types need
 * multipliers and shifts with C_out entries each. *scratch_bytes receives the
 * accumulator size invoke needs: 4 bytes per output element for int8, 8 for
 * int16, none for float32.
 *
 * Type combinations: int8 with int32 bias; int16 input/output with int8
 * filter and int64 bias (or int16 bias, which TFLite Micro widens); float32.
 * A fused activation clamps the output, as in TFLite. */
TmStatus tm_transpose_conv_prepare(
    const TmTransposeConvAttrs* attrs, const TmTensor* output_shape,
    const TmTensor* filter, const TmTensor* input, const TmTensor* bias,
    const TmTensor* output, int32_t* multipliers, int32_t* shifts,
    TmTransposeConvParams* params, size_t* scratch_bytes);

/* bias may be NULL in every variant; scratch is the buffer prepare asked
 * for, aligned for its element type. */
void tm_transpose_conv_s8(const TmTransposeConvParams* p, const int8_t* input,
                          const int8_t* filter, const int32_t* bias,
                          int8_t* output, int32_t* scratch);
void tm_transpose_conv_s16(const TmTransposeConvParams* p, const int16_t* input,
                           const int8_t* filter, const int64_t* bias,
                           int16_t* output, int64_t* scratch);
void tm_transpose_conv_s16_bias16(const TmTransposeConvParams* p,
                                  const int16_t* input, const int8_t* filter,
                                  const int16_t* bias, int16_t* output,
                                  int64_t* scratch);
void tm_transpose_conv_f32(const TmTransposeConvParams* p, const float* input,
                           const float* filter, const float* bias,
                           float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_TRANSPOSE_CONV_H_ */
