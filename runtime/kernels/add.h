/* ADD: output = input1 + input2 with broadcasting and a fused activation.
 * Quantized inputs are rescaled to a common scale after a left shift (20 bits
 * for int8, 15 for int16) so the sum keeps precision in 32 bits, exactly as
 * TFLite's reference kernels do. TFLM runs int16 through this same general
 * scheme whatever the model's pot_scale_int16 says, so tierml does too. */
#ifndef TIERML_KERNELS_ADD_H_
#define TIERML_KERNELS_ADD_H_

#include <stdint.h>

#include "kernels/broadcast.h"
#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Shared by ADD and SUB (their quantized arithmetic is the same but for the
 * sign of the second operand). */
typedef struct {
  TmBroadcast broadcast;
  int32_t left_shift;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_multiplier, input2_multiplier, output_multiplier;
  int32_t input1_shift, input2_shift, output_shift;
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
} TmAddParams;

/* Input and output types must be equal: INT8, INT16 (per-tensor quantized)
 * or FLOAT32. */
TmStatus tm_add_prepare(const TmElementwiseAttrs* attrs, const TmTensor* input1,
                        const TmTensor* input2, const TmTensor* output,
                        TmAddParams* params);
/* output may alias an input of the output's shape. */
void tm_add_s8(const TmAddParams* p, const int8_t* input1, const int8_t* input2,
               int8_t* output);
void tm_add_s16(const TmAddParams* p, const int16_t* input1,
                const int16_t* input2, int16_t* output);
void tm_add_f32(const TmAddParams* p, const float* input1, const float* input2,
                float* output);

#ifdef __cplusplus
}

namespace tierml {
// Prepare shared with SUB: TFLM's SUB forms the scale ratios in float where
// ADD uses double, which can move a multiplier by one unit.
TmStatus add_sub_prepare(const TmElementwiseAttrs* attrs,
                         const TmTensor* input1, const TmTensor* input2,
                         const TmTensor* output, bool float_ratios,
                         TmAddParams* params);
/* The portable int8 path: tm_add_s8 runs it, or the AVX2 one of
 * x86/add_avx2.h where the CPU has it; tests run each explicitly. */
void add_s8_portable(const TmAddParams& p, const int8_t* input1,
                     const int8_t* input2, int8_t* output);
}  // namespace tierml
#endif

#endif /* TIERML_KERNELS_ADD_H_ */
