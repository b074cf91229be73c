#include "kernels/softmax.h"

#include <float.h>
#include <math.h>

#include "kernels/fixed_point.h"
#include "kernels/quantization.h"

namespace tierml {
namespace {

// Scaled differences are Q5.26, so inputs skipped by diff_min (down to -32)
// still fit; exp values (at most 1) are summed in Q12.19, room for 4096.
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

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

bool near(float value, float target, float tolerance) {
  const float delta = value > target ? value - target : target - value;
  return delta <= tolerance;
}

float exp_f(float x) { return expf(x); }
float one_over_one_plus(float x) { return 1.0f / (1.0f + x); }

// An int16 -> int16 table of f over the input range of (input_scale,
// input_zero_point), 512 segments, values in the output's scale. Each entry
// is nudged by half the error the linear interpolation would make at the
// segment's midpoint. All arithmetic in float, in TFLite's order, so the
// table has the same bits as the one TFLM builds.
void populate_lut_s16(float input_scale, int32_t input_zero_point,
                      float output_scale, int32_t output_zero_point,
                      float (*f)(float), int16_t* lut) {
  const float input_min =
      input_scale * static_cast<float>(-32768 - input_zero_point);
  const float input_max =
      input_scale * static_cast<float>(32767 - input_zero_point);
  const float output_min =
      output_scale * static_cast<float>(-32768 - output_zero_point);
  const float output_max =
      output_scale * static_cast<float>(32767 - output_zero_point);
  constexpr int kSteps = 512;
  const float step = (input_max - input_min) / kSteps;
  const float half_step = step / 2;
  const float scaling_inv = 65536.0f / (output_max - output_min);
  auto clamp_to_i16 = [](float v) {
    return static_cast<int16_t>(v < -32768.0f  ? -32768.0f
                                : v > 32767.0f ? 32767.0f
                                               : v);
  };
  for (int i = 0; i < kSteps; ++i) {
    const float start = input_min + static_cast<float>(i) * step;
    const float value = f(start);
    const float value_midpoint = f(start + half_step);
    const float value_next = f(input_min + static_cast<float>(i + 1) * step);
    const float sample = roundf(value * scaling_inv);
    const float midpoint_interpolated =
        roundf((value_next * scaling_inv + roundf(value * scaling_inv)) / 2);
    const float midpoint = roundf(value_midpoint * scaling_inv);
    const float bias = roundf((midpoint_interpolated - midpoint) / 2);
    lut[i] = clamp_to_i16(sample - bias);
  }
  lut[kSteps] = clamp_to_i16(roundf(f(input_max) * scaling_inv));
}

// Linear interpolation in a 513-entry table: the top 9 bits of the input
// select the segment, the low 7 bits the position in it.
int16_t lut_lookup_s16(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);
  const int offset = value & 0x7f;
  const int32_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int32_t delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

TmStatus prepare_s8(const TmSoftmaxAttrs* attrs, const TmTensor* input,
                    const TmTensor* output, TmSoftmaxParams* params) {
  if (output->type == kTmInt8) {
    if (output->quant.zero_point != -128 ||
        output->quant.scales[0] != 1.0f / 256) {
      return kTmErrorUnsupported;
    }
  } else if (output->quant.zero_point != -32768 ||
             !near(output->quant.scales[0], 1.0f / 65536,
                   0.001f * 1.0f / 65536)) {
    return kTmErrorUnsupported;
  }
  // beta * scale as a Q5.26 multiplier, capped where exp of a one-step
  // difference already rounds to zero.
  const double real_multiplier =
      fmin(static_cast<double>(attrs->beta) *
               static_cast<double>(input->quant.scales[0]) *
               static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)),
           static_cast<double>(int64_t{1} << 31) - 1.0);
  // TFLite requires a multiplier above one (it aborts otherwise).
  if (!(real_multiplier > 1.0)) return kTmErrorUnsupported;
  int shift = 0;
  quantize_multiplier(real_multiplier, &params->input_multiplier, &shift);
  if (shift < 0) return kTmErrorUnsupported;
  params->input_left_shift = shift;
  params->diff_min = static_cast<int32_t>(
      -1.0 * calculate_input_radius(kScaledDiffIntegerBits, shift));
  return kTmOk;
}

TmStatus prepare_s16(const TmSoftmaxAttrs* attrs, const TmTensor* input,
                     const TmTensor* output, int16_t* exp_lut,
                     int16_t* one_over_one_plus_x_lut,
                     TmSoftmaxParams* params) {
  if (exp_lut == nullptr || one_over_one_plus_x_lut == nullptr) {
    return kTmErrorBadArgument;
  }
  if (input->quant.zero_point != 0 || output->quant.zero_point != 0 ||
      !near(output->quant.scales[0], 1.0f / 32768, 0.001f * 1.0f / 32768)) {
    return kTmErrorUnsupported;
  }
  // exp on [-10, 0] (exp(-10) is negligible in the sum) into [-1, 1];
  // 1/(1+x) on [0, 1] into [-1, 1].
  const int32_t range = 32767 - (-32768);
  populate_lut_s16(10.0f / static_cast<float>(range), 32767,
                   2.0f / static_cast<float>(range), 0, exp_f, exp_lut);
  populate_lut_s16(1.0f / static_cast<float>(range), -32768,
                   2.0f / static_cast<float>(range), 0, one_over_one_plus,
                   one_over_one_plus_x_lut);
  params->exp_lut = exp_lut;
  params->one_over_one_plus_x_lut = one_over_one_plus_x_lut;
  // Differences scaled so that [-65535, 0] covers [-10, 0].
  const double real_multiplier = static_cast<double>(input->quant.scales[0]) *
                                 static_cast<double>(attrs->beta) /
                                 (10.0 / 65535.0);
  int shift = 0;
  quantize_multiplier(real_multiplier, &params->input_multiplier, &shift);
  params->input_left_shift = shift;
  return kTmOk;
}

template <typename Out>
void softmax_from_s8(const TmSoftmaxParams* p, const int8_t* input, Out* output,
                     int32_t out_min, int32_t out_max) {
  using ScaledDiff = Fixed<kScaledDiffIntegerBits>;
  using Accum = Fixed<kAccumulationIntegerBits>;
  constexpr int kOutputBits = 8 * sizeof(Out);
  const int32_t depth = p->depth;
  for (int32_t row = 0; row < p->outer_size; ++row) {
    const int8_t* in = input + row * depth;
    Out* out = output + row * depth;
    int32_t max_in_row = -128;
    for (int32_t c = 0; c < depth; ++c) {
      if (in[c] > max_in_row) max_in_row = in[c];
    }
    auto exp_of = [&](int32_t diff) {
      const int32_t scaled = multiply_by_quantized_multiplier(
          diff, p->input_multiplier, p->input_left_shift);
      return exp_on_negative_values(ScaledDiff::from_raw(scaled));
    };
    Accum sum = Accum::zero();
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= p->diff_min) {
        sum = sum + rescale<kAccumulationIntegerBits>(exp_of(diff));
      }
    }
    int num_bits_over_unit = 0;
    const Fixed<0> reciprocal = Fixed<0>::from_raw(
        get_reciprocal(sum.raw, kAccumulationIntegerBits, &num_bits_over_unit));
    const int exponent = num_bits_over_unit + 31 - kOutputBits;
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      int32_t value = out_min;
      if (diff >= p->diff_min) {
        const int32_t unsaturated =
            rounding_divide_by_pot((reciprocal * exp_of(diff)).raw, exponent);
        value = clamp_i32(unsaturated + out_min, out_min, out_max);
      }
      out[c] = static_cast<Out>(value);
    }
  }
}

TmStatus prepare(const TmSoftmaxAttrs* attrs, const TmTensor* input,
                 const TmTensor* output, int16_t* exp_lut,
                 int16_t* one_over_one_plus_x_lut, TmSoftmaxParams* params) {
  if (attrs == nullptr || input == nullptr || output == nullptr ||
      params == nullptr) {
    return kTmErrorBadArgument;
  }
  if (input->shape.rank < 1 || !same_shape(input->shape, output->shape)) {
    return kTmErrorBadArgument;
  }
  *params = TmSoftmaxParams{};
  params->depth = input->shape.dims[input->shape.rank - 1];
  params->outer_size =
      params->depth == 0 ? 0 : tm_shape_elements(&input->shape) / params->depth;
  params->beta = attrs->beta;

  if (input->type == kTmFloat32) {
    return output->type == kTmFloat32 ? kTmOk : kTmErrorUnsupported;
  }
  const bool s8_in = input->type == kTmInt8 &&
                     (output->type == kTmInt8 || output->type == kTmInt16);
  const bool s16_in = input->type == kTmInt16 && output->type == kTmInt16;
  if (!s8_in && !s16_in) return kTmErrorUnsupported;
  if (!per_tensor(input) || !per_tensor(output)) return kTmErrorUnsupported;
  return s8_in ? prepare_s8(attrs, input, output, params)
               : prepare_s16(attrs, input, output, exp_lut,
                             one_over_one_plus_x_lut, params);
}

void softmax_f32(const TmSoftmaxParams* p, const float* input, float* output) {
  const int32_t depth = p->depth;
  for (int32_t row = 0; row < p->outer_size; ++row) {
    const float* in = input + row * depth;
    float* out = output + row * depth;
    // Subtracting the maximum keeps exp in range without changing the result.
    float max = -FLT_MAX;
    for (int32_t c = 0; c < depth; ++c) {
      if (max < in[c]) max = in[c];
    }
    float sum = 0.0f;
    for (int32_t c = 0; c < depth; ++c) {
      const float e = expf((in[c] - max) * p->beta);
      out[c] = e;
      sum += e;
    }
    for (int32_t c = 0; c < depth; ++c) out[c] = out[c] / sum;
  }
}

void softmax_s16(const TmSoftmaxParams* p, const int16_t* input,
                 int16_t* output) {
  const int32_t depth = p->depth;
  for (int32_t row = 0; row < p->outer_size; ++row) {
    const int16_t* in = input + row * depth;
    int16_t* out = output + row * depth;
    int32_t max_in_row = -32768;
    for (int32_t c = 0; c < depth; ++c) {
      if (in[c] > max_in_row) max_in_row = in[c];
    }
    // exp values (Q0.15) go to the output first and are rescaled in place.
    int32_t sum = 0;
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t scaled = multiply_by_quantized_multiplier(
          in[c] - max_in_row, p->input_multiplier, p->input_left_shift);
      // [-65535, 0] recentred onto the table's [-32768, 32767].
      const int16_t centred = saturate_i16(scaled + 32767);
      out[c] = lut_lookup_s16(centred, p->exp_lut);
      sum += out[c];
    }
    // sum normalized to [1, 2) in Q1.15, then 1/sum from the 1/(1+x) table
    // with x = sum - 1 recentred onto [-32768, 32767].
    const int headroom_plus_one =
        count_leading_zeros(static_cast<uint32_t>(sum));
    const int32_t shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) + (1 << 13)) >>
        14);
    const int16_t centred_sum =
        saturate_i16(shifted_sum - ((1 << 15) + (1 << 16)));
    const int16_t reciprocal =
        lut_lookup_s16(centred_sum, p->one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int32_t c = 0; c < depth; ++c) {
      const int32_t result = static_cast<int32_t>(
          (static_cast<int64_t>(out[c]) * reciprocal + round) >> right_shift);
      out[c] = static_cast<int16_t>(clamp_i32(result, 0, 32767));
    }
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_softmax_prepare(const TmSoftmaxAttrs* attrs, const TmTensor* input,
                            const TmTensor* output, int16_t* exp_lut,
                            int16_t* one_over_one_plus_x_lut,
                            TmSoftmaxParams* params) {
  return tierml::prepare(attrs, input, output, exp_lut, one_over_one_plus_x_lut,
                         params);
}

void tm_softmax_f32(const TmSoftmaxParams* p, const float* input,
                    float* output) {
  tierml::softmax_f32(p, input, output);
}

void tm_softmax_s8(const TmSoftmaxParams* p, const int8_t* input,
                   int8_t* output) {
  tierml::softmax_from_s8(p, input, output, -128, 127);
}

void tm_softmax_s8_s16(const TmSoftmaxParams* p, const int8_t* input,
                       int16_t* output) {
  tierml::softmax_from_s8(p, input, output, -32768, 32767);
}

void tm_softmax_s16(const TmSoftmaxParams* p, const int16_t* input,
                    int16_t* output) {
  tierml::softmax_s16(p, input, output);
}

}  // extern "C"
