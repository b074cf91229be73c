/* FULLY_CONNECTED, bit-exact with TensorFlow Lite's reference kernels.
 *
 * Layouts: filter [units, depth]; the input is read as [batches, depth] and
 * the output as [batches, units], whatever their ranks (keep_num_dims only
 * changes the output's shape, which the model states). */
#ifndef TIERML_KERNELS_FULLY_CONNECTED_H_
#define TIERML_KERNELS_FULLY_CONNECTED_H_

#include <stddef.h>
#include <stdint.h>

#include "tierml/op_attrs.h"
#include "tierml/status.h"
#include "tierml/tensor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches, depth, units;
  int32_t input_offset;  /* -input zero point (int8) */
  int32_t filter_offset; /* -filter zero point, per-tensor weights only */
  int32_t output_offset; /* output zero point (int8) */
  int32_t per_channel;   /* 1: multipliers[unit], 0: multipliers[0] */
  int32_t act_min, act_max;
  float act_min_f, act_max_f;
  const int32_t* multipliers;
  const int32_t* shifts;
  /* int8 with a zero filter offset only, or NULL: bias + input_offset * sum of
   * the unit's weights. */
  const int32_t* folded_bias;
} TmFullyConnectedParams;

/* Number of multiplier/shift entries prepare fills: units for per-channel
 * weights, 1 for per-tensor ones, 0 for float. */
int32_t tm_fully_connected_multiplier_count(const TmTensor* input,
                                            const TmTensor* filter);

/* Validates types and shapes and fills params. multipliers and shifts hold
 * tm_fully_connected_multiplier_count() entries. folded_bias (units entries,
 * may be NULL) is filled for int8 when the filter (and bias, if any) data are
 * known now, i.e. constant.
 *
 * Type combinations: int8 with int32 bias; int16 input/output with int8
 * filter and int64 bias; float32. The per-tensor multiplier is formed from
 * the float product of the input and filter scales, the per-channel ones in
 * double, as TFLite does. */
TmStatus tm_fully_connected_prepare(
    const TmFullyConnectedAttrs* attrs, const TmTensor* input,
    const TmTensor* filter, const TmTensor* bias, const TmTensor* output,
    int32_t* multipliers, int32_t* shifts, int32_t* folded_bias,
    TmFullyConnectedParams* params);

/* bias may be NULL in every variant. */
void tm_fully_connected_s8(const TmFullyConnectedParams* p, const int8_t* input,
                           const int8_t* filter, const int32_t* bias,
                           int8_t* output);
void tm_fully_connected_s16(const TmFullyConnectedParams* p,
                            const int16_t* input, const int8_t* filter,
                            const int64_t* bias, int16_t* output);
void tm_fully_connected_f32(const TmFullyConnectedParams* p, const float* input,
                            const float* filter, const float* bias,
                            float* output);
/* The portable float loop, whatever the CPU: tm_fully_connected_f32 runs it
 * where no SIMD variant (kernels/x86/) applies; tests hold the variants to
 * it. */
void tm_fully_connected_f32_portable(const TmFullyConnectedParams* p,
                                     const float* input, const float* filter,
                                     const float* bias, float* output);

#ifdef __cplusplus
}

namespace tierml {
/* The portable int8 path: tm_fully_connected_s8 runs it, or the AVX2 one of
 * x86/fully_connected_avx2.h where the CPU has it; tests run each explicitly.
 */
void fully_connected_s8_portable(const TmFullyConnectedParams& p,
                                 const int8_t* input, const int8_t* filter,
                                 const int32_t* bias, int8_t* output);

/* The int8 filter laid out once, at prepare, for this CPU's fastest path, as
 * conv_s8_packed_filter_bytes and its companions in conv.h: 0 bytes where no
 * path wants a copy (fully_connected_s8_packed then takes NULL and runs
 * tm_fully_connected_s8). */
size_t fully_connected_s8_packed_filter_bytes(const TmFullyConnectedParams& p);
void fully_connected_s8_pack_filter(const TmFullyConnectedParams& p,
                                    const int8_t* filter, void* packed);
void fully_connected_s8_packed(const TmFullyConnectedParams& p,
                               const void* packed, const int8_t* input,
                               const int8_t* filter, const int32_t* bias,
                               int8_t* output);
}  // namespace tierml
#endif

#endif /* TIERML_KERNELS_FULLY_CONNECTED_H_ */
