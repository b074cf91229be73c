/* MEAN over any set of axes, as TFLM's reduce kernel computes it:
 * - int8/int16: the int32 sum less count * input zero point, requantized by
 *   input_scale / output_scale with 1/count folded into the multiplier, plus
 *   the output zero point, saturated. TFLM takes this path even when input
 *   and output share their quantization (older TFLite versions divided the
 *   raw sum instead, and had a 4-D fast path; TFLM no longer does either).
 * - float32: the sum in input order divided by the count.
 * The integer path keeps one int32 sum per output in scratch. */
#ifndef TIERML_KERNELS_MEAN_H_
#define TIERML_KERNELS_MEAN_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Input dims extended at the front to TM_MAX_DIMS, and the output stride
   * that goes with each (0 for a reduced dim). */
  int32_t count[TM_MAX_DIMS];
  int32_t out_step[TM_MAX_DIMS];
  int32_t num_outputs;
  int32_t num_reduced; /* input elements per output */
  int32_t input_zero_point, output_zero_point;
  int32_t multiplier, shift; /* with 1/num_reduced folded in */
} TmMeanParams;

/* axes: the constant axis values (negative allowed, duplicates ignored).
 * Checks that the output holds one element per kept position. */
TmStatus tm_mean_prepare(const TmReducerAttrs* attrs, const TmTensor* input,
                         const int32_t* axes, int32_t num_axes,
                         const TmTensor* output, TmMeanParams* params,
                         size_t* scratch_bytes);

/* scratch: num_outputs int32 values. */
void tm_mean_s8(const TmMeanParams* p, const int8_t* input, int8_t* output,
                int32_t* scratch);
void tm_mean_s16(const TmMeanParams* p, const int16_t* input, int16_t* output,
                 int32_t* scratch);
void tm_mean_f32(const TmMeanParams* p, const float* input, float* output);

#ifdef __cplusplus
}
#endif

#endif /* TIERML_KERNELS_MEAN_H_ */
