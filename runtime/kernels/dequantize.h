/* DEQUANTIZE: int8/int16/uint8 -> float32 as scale * (q - zero_point),
 * computed in double and rounded once to float, as TFLite does. */
#ifndef TIERML_KERNELS_DEQUANTIZE_H_
#define TIERML_KERNELS_DEQUANTIZE_H_

#include <stdint.h>

#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count;
  int32_t zero_point;
  double scale;
} TmDequantizeParams;

TmStatus tm_dequantize_prepare(const TmTensor* input, const TmTensor* output,
                               TmDequantizeParams* params);
void tm_dequantize_s8(const TmDequantizeParams* p, const int8_t* input,
                      float* output);
void tm_dequantize_s16(const TmDequantizeParams* p, const int16_t* input,
                       float* output);
void tm_dequantize_u8(const TmDequantizeParams* p, const uint8_t* input,
                      float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_DEQUANTIZE_H_ */
