#include "kernels/logistic.h"

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
                 TmLogisticParams* params) {
  if (input == nullptr || output == nullptr || params == nullptr) {
    return kTmErrorBadArgument;
  }
  if (!same_shape(input->shape, output->shape)) return kTmErrorBadArgument;
  *params = TmLogisticParams{};
  params->size = tm_shape_elements(&input->shape);
  if (input->type != output->type) return kTmErrorUnsupported;
  switch (input->type) {
    case kTmFloat32:
      return kTmOk;
    case kTmInt8:
      if (!per_tensor(input) || !per_tensor(output)) {
        return kTmErrorUnsupported;
      }
      // The fixed-point result is Q0.8 shifted by -128: scale 1/256.
      if (output->quant.zero_point != -128 ||
          output->quant.scales[0] != 1.0f / 256) {
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
      return sigmoid_table_input_scaling_s16(
          input->quant.scales[0], /*allow_shift_one=*/false,
          &params->input_multiplier, &params->input_left_shift);
    default:
      return kTmErrorUnsupported;
  }
}

void logistic_s8(const TmLogisticParams* p, const int8_t* input,
                 int8_t* output) {
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
      const int32_t y_q0 = tierml::logistic(Fixed<4>::from_raw(x_q4)).raw;
      // Q0.31 to the output's 2^-8 steps, then onto zero point -128.
      result = clamp_i32(rounding_divide_by_pot(y_q0, 23) - 128, -128, 127);
    }
    output[i] = static_cast<int8_t>(result);
  }
}

// TFLite's float reference: below -9 exp(x) alone is within float precision
// of the logistic, above 16.619... the result rounds to 1.
void logistic_f32(const TmLogisticParams* p, const float* input,
                  float* output) {
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.0f;
  for (int32_t i = 0; i < p->size; ++i) {
    const float x = input[i];
    float y;
    if (x > cutoff_upper) {
      y = 1.0f;
    } else if (x < cutoff_lower) {
      y = expf(x);
    } else {
      y = 1.0f / (1.0f + expf(-x));
    }
    output[i] = y;
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_logistic_prepare(const TmTensor* input, const TmTensor* output,
                             TmLogisticParams* params) {
  return tierml::prepare(input, output, params);
}

void tm_logistic_s8(const TmLogisticParams* p, const int8_t* input,
                    int8_t* output) {
  tierml::logistic_s8(p, input, output);
}

void tm_logistic_s16(const TmLogisticParams* p, const int16_t* input,
                     int16_t* output) {
  tierml::sigmoid_s16(p->input_multiplier, p->input_left_shift, p->size, input,
                      output);
}

void tm_logistic_f32(const TmLogisticParams* p, const float* input,
                     float* output) {
  tierml::logistic_f32(p, input, output);
}

}  // extern "C"
