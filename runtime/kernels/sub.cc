#include "kernels/sub.h"

#include "kernels/quantization.h"

namespace tierml {
namespace {

template <typename T>
void sub_quantized(const TmSubParams& p, const T* input1, const T* input2,
                   T* output) {
  broadcast_walk(p.broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    const int32_t a = (p.input1_offset + input1[i1]) * (1 << p.left_shift);
    const int32_t b = (p.input2_offset + input2[i2]) * (1 << p.left_shift);
    const int32_t difference = multiply_by_quantized_multiplier(
                                   a, p.input1_multiplier, p.input1_shift) -
                               multiply_by_quantized_multiplier(
                                   b, p.input2_multiplier, p.input2_shift);
    const int32_t raw = multiply_by_quantized_multiplier(
                            difference, p.output_multiplier, p.output_shift) +
                        p.output_offset;
    output[o] = static_cast<T>(clamp_i32(raw, p.act_min, p.act_max));
  });
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_sub_prepare(const TmElementwiseAttrs* attrs, const TmTensor* input1,
                        const TmTensor* input2, const TmTensor* output,
                        TmSubParams* params) {
  return tierml::add_sub_prepare(attrs, input1, input2, output,
                                 /*float_ratios=*/true, params);
}

void tm_sub_s8(const TmSubParams* p, const int8_t* input1, const int8_t* input2,
               int8_t* output) {
  tierml::sub_quantized(*p, input1, input2, output);
}

void tm_sub_s16(const TmSubParams* p, const int16_t* input1,
                const int16_t* input2, int16_t* output) {
  tierml::sub_quantized(*p, input1, input2, output);
}

void tm_sub_f32(const TmSubParams* p, const float* input1, const float* input2,
                float* output) {
  const float lo = p->act_min_f, hi = p->act_max_f;
  tierml::broadcast_walk(p->broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    const float difference = input1[i1] - input2[i2];
    output[o] = difference < lo ? lo : (difference > hi ? hi : difference);
  });
}

}  // extern "C"
