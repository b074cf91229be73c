#include "kernels/hard_swish.h"

#include "kernels/fixed_point.h"
#include "kernels/quantization.h"

namespace tierml {
namespace {

bool same_shape(const TmShape& a, const TmShape& b) {
  if (a.rank != b.rank) return false;
  for (int32_t i = 0; i < a.rank; ++i) {
    if (a.dims[i] != b.dims[i]) return false;
  }
  return true;
}

bool per_tensor(const TmTensor* t) {
  return t->quant.count == 1 && t->quant.scales != nullptr;
}

// A Q31 multiplier rounded to Q15, saturating near 1.
int16_t downscale_multiplier(int32_t multiplier) {
  constexpr int32_t kRounding = 1 << 15;
  if (multiplier >= kInt32Max - kRounding) return 32767;
  return static_cast<int16_t>((multiplier + kRounding) >> 16);
}

TmStatus prepare(const TmTensor* input, const TmTensor* output,
                 TmHardSwishParams* params) {
  if (input == nullptr || output == nullptr || params == nullptr) {
    return kTmErrorBadArgument;
  }
  if (!same_shape(input->shape, output->shape)) return kTmErrorBadArgument;
  *params = TmHardSwishParams{};
  params->size = tm_shape_elements(&input->shape);
  if (input->type != output->type) return kTmErrorUnsupported;
  if (input->type == kTmFloat32) return kTmOk;
  if (input->type != kTmInt8 || !per_tensor(input) || !per_tensor(output)) {
    return kTmErrorUnsupported;
  }
  params->input_zero_point = static_cast<int16_t>(input->quant.zero_point);
  params->output_zero_point = static_cast<int16_t>(output->quant.zero_point);
  // Scale ratios are formed in float, as TFLM does, then widened.
  const float hires_input_scale = (1.0f / 128.0f) * input->quant.scales[0];
  const float reluish_scale = 3.0f / 32768.0f;
  int32_t multiplier = 0;
  int exponent = 0;
  quantize_multiplier(
      static_cast<double>(hires_input_scale / output->quant.scales[0]),
      &multiplier, &exponent);
  if (exponent > 0) return kTmErrorUnsupported;
  params->output_multiplier = downscale_multiplier(multiplier);
  params->output_exponent = exponent;
  quantize_multiplier(static_cast<double>(hires_input_scale / reluish_scale),
                      &multiplier, &exponent);
  params->reluish_multiplier = downscale_multiplier(multiplier);
  params->reluish_exponent = exponent;
  return kTmOk;
}

void hard_swish_s8(const TmHardSwishParams* p, const int8_t* input,
                   int8_t* output) {
  for (int32_t i = 0; i < p->size; ++i) {
    const int16_t x = static_cast<int16_t>(input[i] - p->input_zero_point);
    // |x| <= 255, so 2^7 x still fits 16 bits with most of them significant.
    const int16_t x_hires = static_cast<int16_t>(x * (1 << 7));
    // x on the output scale before the final right shift: the x >= 3 result.
    const int16_t x_preshift_output = saturating_rounding_doubling_high_mul_i16(
        x_hires, p->output_multiplier);
    // relu6(x + 3) / 6 as a Q0.15 factor: x rescaled so that 3 maps to
    // 32768 (saturating), then moved from [-1, 1] to [0, 1]. A left shift is
    // done one bit short before the multiply and finished after it, so any
    // saturation that matters happens in the last step.
    int16_t reluish = x_hires;
    if (p->reluish_exponent > 0) {
      reluish = saturating_left_shift_i16(reluish, p->reluish_exponent - 1);
    }
    reluish = saturating_rounding_doubling_high_mul_i16(reluish,
                                                        p->reluish_multiplier);
    if (p->reluish_exponent > 0) {
      reluish = saturating_left_shift_i16(reluish, 1);
    } else if (p->reluish_exponent < 0) {
      reluish = rounding_divide_by_pot_i16(reluish, -p->reluish_exponent);
    }
    reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);
    // Truncating here offsets the upward bias of the rounded products above.
    const int16_t preshift_output =
        saturating_doubling_high_mul_i16(reluish, x_preshift_output);
    int16_t y =
        rounding_divide_by_pot_i16(preshift_output, -p->output_exponent);
    // 16-bit addition as TFLite's, then the int8 clamp.
    y = static_cast<int16_t>(y + p->output_zero_point);
    output[i] = static_cast<int8_t>(clamp_i32(y, -128, 127));
  }
}

void hard_swish_f32(const TmHardSwishParams* p, const float* input,
                    float* output) {
  for (int32_t i = 0; i < p->size; ++i) {
    const float x = input[i];
    const float shifted = x + 3.0f;
    // Comparisons ordered as TFLite's max(0, .) then min(6, .), NaN included.
    const float relu = 0.0f < shifted ? shifted : 0.0f;
    const float relu6 = relu < 6.0f ? relu : 6.0f;
    output[i] = x * relu6 / 6.0f;
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_hard_swish_prepare(const TmTensor* input, const TmTensor* output,
                               TmHardSwishParams* params) {
  return tierml::prepare(input, output, params);
}

void tm_hard_swish_s8(const TmHardSwishParams* p, const int8_t* input,
                      int8_t* output) {
  tierml::hard_swish_s8(p, input, output);
}

void tm_hard_swish_f32(const TmHardSwishParams* p, const float* input,
                       float* output) {
  tierml::hard_swish_f32(p, input, output);
}

}  // extern "C"
