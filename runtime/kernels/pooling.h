/* AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors. They share the window
 * walk: a window clipped to the input (padded positions are skipped, not
 * counted). Quantized averages are of the raw values, rounded half away
 * from zero; input and output share quantization, as TFLM assumes. */
#ifndef TIERML_KERNELS_POOLING_H_
#define TIERML_KERNELS_POOLING_H_

#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches, depth;
  int32_t input_h, input_w, output_h, output_w;
  int32_t filter_h, filter_w, stride_h, stride_w;
  int32_t pad_h, pad_w; /* leading padding */
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
} TmPoolParams;

/* 4-D input/output of one type (INT8, INT16, FLOAT32); the output's spatial
 * extents must be the ones padding and stride give (window_padding.h). */
TmStatus tm_pool_prepare(const TmPoolAttrs* attrs, const TmTensor* input,
                         const TmTensor* output, TmPoolParams* params);

void tm_average_pool_s8(const TmPoolParams* p, const int8_t* input,
                        int8_t* output);
void tm_average_pool_s16(const TmPoolParams* p, const int16_t* input,
                         int16_t* output);
void tm_average_pool_f32(const TmPoolParams* p, const float* input,
                         float* output);
void tm_max_pool_s8(const TmPoolParams* p, const int8_t* input, int8_t* output);
void tm_max_pool_s16(const TmPoolParams* p, const int16_t* input,
                     int16_t* output);
void tm_max_pool_f32(const TmPoolParams* p, const float* input, float* output);

#ifdef __cplusplus
}

namespace tierml {
/* A quantized window's average: its sum over its count (> 0) of elements,
 * rounded half away from zero. */
inline int32_t average_of(int32_t sum, int32_t count) {
  const int32_t half = count / 2;
  return sum > 0 ? (sum + half) / count : (sum - half) / count;
}

/* The portable int8 average: tm_average_pool_s8 runs it, or the AVX2 one of
 * x86/average_pool_avx2.h where the CPU has it; tests run each explicitly. */
void average_pool_s8_portable(const TmPoolParams& p, const int8_t* input,
                              int8_t* output);
}  // namespace tierml
#endif

#endif /* TIERML_KERNELS_POOLING_H_ */
