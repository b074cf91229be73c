#include "kernels/add.h"

#include "kernels/int8_dot.h"
#include "kernels/quantization.h"
#include "kernels/x86/add_avx2.h"

namespace tierml {
namespace {

bool per_tensor(const TmTensor* t) { return t->quant.count == 1; }

// The scales differ between ADD and SUB only in the precision TFLM computes
// the ratios with; callers pass the three real multipliers.
TmStatus quantized_multipliers(double m1, double m2, double m_out,
                               TmAddParams* p) {
  // TFLite's QuantizeMultiplierSmallerThanOneExp: every factor in (0, 1).
  if (!(m1 > 0.0 && m1 < 1.0 && m2 > 0.0 && m2 < 1.0 && m_out > 0.0 &&
        m_out < 1.0))
    return kTmErrorUnsupported;
  int shift;
  quantize_multiplier(m1, &p->input1_multiplier, &shift);
  p->input1_shift = shift;
  quantize_multiplier(m2, &p->input2_multiplier, &shift);
  p->input2_shift = shift;
  quantize_multiplier(m_out, &p->output_multiplier, &shift);
  p->output_shift = shift;
  return kTmOk;
}

// TFLite's quantized ADD of one element pair (MultiplyByQuantizedMultiplier
// in int8_dot.h's cheaper exact form: three per element are the kernel's
// whole cost).
inline int32_t add_quantized_one(const TmAddParams& p, int32_t x1, int32_t x2) {
  const int32_t a = (p.input1_offset + x1) * (1 << p.left_shift);
  const int32_t b = (p.input2_offset + x2) * (1 << p.left_shift);
  const int32_t sum = multiply_by_quantized_multiplier_fast(
                          a, p.input1_multiplier, p.input1_shift) +
                      multiply_by_quantized_multiplier_fast(
                          b, p.input2_multiplier, p.input2_shift);
  const int32_t raw = multiply_by_quantized_multiplier_fast(
                          sum, p.output_multiplier, p.output_shift) +
                      p.output_offset;
  return clamp_i32(raw, p.act_min, p.act_max);
}

#ifdef TM_INT8_MVE
// add_quantized_one on four lanes (arm/int8_dot_mve.h); the number of
// leading elements done, a multiple of four. Each group of four outputs is
// stored after its inputs are read, so an aliased operand is safe.
int32_t add_same_shape_mve(const TmAddParams& p, const int8_t* input1,
                           const int8_t* input2, int8_t* output,
                           int32_t count) {
  const int32x4_t left = vdupq_n_s32(p.left_shift);
  const int32x4_t m1 = vdupq_n_s32(p.input1_multiplier);
  const int32x4_t s1 = vdupq_n_s32(p.input1_shift);
  const int32x4_t m2 = vdupq_n_s32(p.input2_multiplier);
  const int32x4_t s2 = vdupq_n_s32(p.input2_shift);
  const int32x4_t m_out = vdupq_n_s32(p.output_multiplier);
  const int32x4_t s_out = vdupq_n_s32(p.output_shift);
  int32_t i = 0;
  for (; i + 4 <= count; i += 4) {
    const int32x4_t a =
        vshlq_s32(vaddq_n_s32(vldrbq_s32(input1 + i), p.input1_offset), left);
    const int32x4_t b =
        vshlq_s32(vaddq_n_s32(vldrbq_s32(input2 + i), p.input2_offset), left);
    const int32x4_t sum =
        vaddq_s32(mve::multiply_by_quantized_multiplier4(a, m1, s1),
                  mve::multiply_by_quantized_multiplier4(b, m2, s2));
    mve::store4_s8(mve::multiply_by_quantized_multiplier4(sum, m_out, s_out),
                   p.output_offset, p.act_min, p.act_max, output + i);
  }
  return i;
}
#endif

template <typename T>
void add_quantized(const TmAddParams& p, const T* input1, const T* input2,
                   T* output) {
  broadcast_walk(p.broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    output[o] = static_cast<T>(add_quantized_one(p, input1[i1], input2[i2]));
  });
}

}  // namespace

void add_s8_portable(const TmAddParams& p, const int8_t* input1,
                     const int8_t* input2, int8_t* output) {
#ifdef TM_INT8_MVE
  if (p.broadcast.same) {
    const int32_t count = p.broadcast.count;
    int32_t i = add_same_shape_mve(p, input1, input2, output, count);
    for (; i < count; ++i)
      output[i] =
          static_cast<int8_t>(add_quantized_one(p, input1[i], input2[i]));
    return;
  }
#endif
  add_quantized(p, input1, input2, output);
}

// Also used by SUB, which computes its ratios in float as TFLM does.
TmStatus add_sub_prepare(const TmElementwiseAttrs* attrs,
                         const TmTensor* input1, const TmTensor* input2,
                         const TmTensor* output, bool float_ratios,
                         TmAddParams* p) {
  if (input1->type != output->type || input2->type != output->type)
    return kTmErrorBadArgument;
  TmStatus status = tm_broadcast_prepare(&input1->shape, &input2->shape,
                                         &output->shape, &p->broadcast);
  if (status != kTmOk) return status;
  if (output->type == kTmFloat32)
    return activation_range_float(attrs->activation, &p->act_min_f,
                                  &p->act_max_f);
  if (output->type != kTmInt8 && output->type != kTmInt16)
    return kTmErrorUnsupported;
  if (!per_tensor(input1) || !per_tensor(input2) || !per_tensor(output))
    return kTmErrorBadArgument;
  const float s1 = input1->quant.scales[0];
  const float s2 = input2->quant.scales[0];
  const float s_out = output->quant.scales[0];
  p->left_shift = output->type == kTmInt16 ? 15 : 20;
  p->input1_offset = -input1->quant.zero_point;
  p->input2_offset = -input2->quant.zero_point;
  p->output_offset = output->quant.zero_point;
  const float twice_max = 2.0f * (s1 > s2 ? s1 : s2);
  const double shifted_one = static_cast<double>(int32_t{1} << p->left_shift);
  if (float_ratios) {
    const float out_denominator =
        static_cast<float>(int32_t{1} << p->left_shift) * s_out;
    status = quantized_multipliers(s1 / twice_max, s2 / twice_max,
                                   twice_max / out_denominator, p);
  } else {
    status = quantized_multipliers(
        static_cast<double>(s1) / twice_max,
        static_cast<double>(s2) / twice_max,
        twice_max / (shifted_one * static_cast<double>(s_out)), p);
  }
  if (status != kTmOk) return status;
  return activation_range_quantized(attrs->activation, output->type, s_out,
                                    output->quant.zero_point, &p->act_min,
                                    &p->act_max);
}

}  // namespace tierml

extern "C" {

TmStatus tm_add_prepare(const TmElementwiseAttrs* attrs, const TmTensor* input1,
                        const TmTensor* input2, const TmTensor* output,
                        TmAddParams* params) {
  return tierml::add_sub_prepare(attrs, input1, input2, output,
                                 /*float_ratios=*/false, params);
}

void tm_add_s8(const TmAddParams* p, const int8_t* input1, const int8_t* input2,
               int8_t* output) {
#ifdef TM_X86_AVX2
  if (tierml::cpu_has_avx2() &&
      tierml::add_s8_avx2(*p, input1, input2, output)) {
    return;
  }
#endif
  tierml::add_s8_portable(*p, input1, input2, output);
}

void tm_add_s16(const TmAddParams* p, const int16_t* input1,
                const int16_t* input2, int16_t* output) {
  tierml::add_quantized(*p, input1, input2, output);
}

void tm_add_f32(const TmAddParams* p, const float* input1, const float* input2,
                float* output) {
  const float lo = p->act_min_f, hi = p->act_max_f;
  tierml::broadcast_walk(p->broadcast, [&](int32_t i1, int32_t i2, int32_t o) {
    const float sum = input1[i1] + input2[i2];
    output[o] = sum < lo ? lo : (sum > hi ? hi : sum);
  });
}

}  // extern "C"
