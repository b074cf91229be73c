#include "kernels/tanh.h"

#include <math.h>

#include "kernels/fixed_point.h"
#include "kernels/quantization.h"
#include "kernels/sigmoid_tanh_s16.h"

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

TmStatus prepare(const TmTensor* input, const TmTensor* output,
                 TmTanhParams* params) {
  if (input == nullptr || output == nullptr || params == nullptr) {
    return kTmErrorBadArgument;
  }
  if (!same_shape(input->shape, output->shape)) return kTmErrorBadArgument;
  *params = TmTanhParams{};
  params->size = tm_shape_elements(&input->shape);
  if (input->type != output->type) return kTmErrorUnsupported;
  switch (input->type) {
    case kTmFloat32:
      return kTmOk;
    case kTmInt8:
      if (!per_tensor(input) || !per_tensor(output)) {
        return kTmErrorUnsupported;
      }
      if (output->quant.zero_point != 0 ||
          output->quant.scales[0] != 1.0f / 128) {
        return kTmErrorUnsupported;
      }
      params->input_zero_point = input->quant.zero_point;
      return fixed_point_input_scaling_s8(
          input->quant.scales[0], &params->input_multiplier,
          &params->input_left_shift, &params->input_range_radius);
    case kTmInt16:
      if (!per_tensor(input) || !per_tensor(output)) {
        return kTmErrorUnsupported;
      }
      if (input->quant.zero_point != 0 || output->quant.zero_point != 0 ||
          !is_q0_15_scale(output->quant.scales[0])) {
        return kTmErrorUnsupported;
      }
      // TFLM's TANH (unlike LOGISTIC) keeps the power-of-two path for a
      // shift of one too.
      return sigmoid_table_input_scaling_s16(
          input->quant.scales[0], /*allow_shift_one=*/true,
          &params->input_multiplier, &params->input_left_shift);
    default:
      return kTmErrorUnsupported;
  }
}

void tanh_s8(const TmTanhParams* p, const int8_t* input, int8_t* output) {
  for (int32_t i = 0; i < p->size; ++i) {
    const int32_t x = input[i] - p->input_zero_point;
    int32_t result;
    if (x <= -p->input_range_radius) {
      result = -128;
    } else if (x >= p->input_range_radius) {
      result = 127;
    } else {
      const int32_t x_q4 = multiply_by_quantized_multiplier(
          x, p->input_multiplier, p->input_left_shift);
      const int32_t y_q0 = tierml::tanh(Fixed<4>::from_raw(x_q4)).raw;
      // Q0.31 to Q0.7.
      result = clamp_i32(rounding_divide_by_pot(y_q0, 24), -128, 127);
    }
    output[i] = static_cast<int8_t>(result);
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_tanh_prepare(const TmTensor* input, const TmTensor* output,
                         TmTanhParams* params) {
  return tierml::prepare(input, output, params);
}

void tm_tanh_s8(const TmTanhParams* p, const int8_t* input, int8_t* output) {
  tierml::tanh_s8(p, input, output);
}

void tm_tanh_s16(const TmTanhParams* p, const int16_t* input, int16_t* output) {
  tierml::tanh_s16(p->input_multiplier, p->input_left_shift, p->size, input,
                   output);
}

void tm_tanh_f32(const TmTanhParams* p, const float* input, float* output) {
  for (int32_t i = 0; i < p->size; ++i) output[i] = tanhf(input[i]);
}

}  // extern "C"
