#include "kernels/quantize.h"

#include <math.h>

#include "kernels/quantization.h"

namespace tierml {
namespace {

bool type_range(TmType type, int32_t* min, int32_t* max) {
  switch (type) {
    case kTmInt8:
      *min = -128;
      *max = 127;
      return true;
    case kTmUInt8:
      *min = 0;
      *max = 255;
      return true;
    case kTmInt16:
      *min = -32768;
      *max = 32767;
      return true;
    case kTmInt32:
      *min = kInt32Min;
      *max = kInt32Max;
      return true;
    default:
      return false;
  }
}

bool requantize_supported(TmType in, TmType out) {
  switch (in) {
    case kTmInt8:
      return out == kTmInt8 || out == kTmUInt8 || out == kTmInt16 ||
             out == kTmInt32;
    case kTmUInt8:
      return out == kTmInt8;
    case kTmInt16:
    case kTmInt32:
      return out == kTmInt8 || out == kTmInt16 ||
             (in == kTmInt16 && out == kTmInt32);
    default:
      return false;
  }
}

void store(TmType type, void* data, int32_t i, int32_t value) {
  switch (type) {
    case kTmInt8:
      static_cast<int8_t*>(data)[i] = static_cast<int8_t>(value);
      break;
    case kTmUInt8:
      static_cast<uint8_t*>(data)[i] = static_cast<uint8_t>(value);
      break;
    case kTmInt16:
      static_cast<int16_t*>(data)[i] = static_cast<int16_t>(value);
      break;
    default:
      static_cast<int32_t*>(data)[i] = value;
      break;
  }
}

// x - y and x + y as TFLite's int32 arithmetic computes them for the values
// it meets, without C++ overflow: wrapping.
int32_t wrapping_sub(int32_t x, int32_t y) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) -
                              static_cast<uint32_t>(y));
}
int32_t wrapping_add(int32_t x, int32_t y) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) +
                              static_cast<uint32_t>(y));
}

// Every element goes through the same loop whatever the type pair; the
// per-element switch costs little next to the multiply and keeps one copy.
template <typename In>
void requantize_from(const TmQuantizeParams& p, const In* input, void* output) {
  for (int32_t i = 0; i < p.count; ++i) {
    const int32_t centred = wrapping_sub(input[i], p.input_zero_point);
    const int32_t scaled = wrapping_add(
        multiply_by_quantized_multiplier(centred, p.multiplier, p.shift),
        p.output_zero_point);
    store(p.output_type, output, i,
          clamp_i32(scaled, p.output_min, p.output_max));
  }
}

}  // namespace
}  // namespace tierml

extern "C" {

TmStatus tm_quantize_prepare(const TmTensor* input, const TmTensor* output,
                             TmQuantizeParams* p) {
  using namespace tierml;
  if (output->quant.count != 1) return kTmErrorBadArgument;
  if (tm_shape_elements(&input->shape) != tm_shape_elements(&output->shape))
    return kTmErrorBadArgument;
  p->count = tm_shape_elements(&output->shape);
  p->input_type = input->type;
  p->output_type = output->type;
  p->output_scale = output->quant.scales[0];
  p->output_zero_point = output->quant.zero_point;
  if (!type_range(output->type, &p->output_min, &p->output_max))
    return kTmErrorUnsupported;
  if (input->type == kTmFloat32) {
    p->input_zero_point = 0;
    p->multiplier = 0;
    p->shift = 0;
    return output->type == kTmInt8 || output->type == kTmInt16
               ? kTmOk
               : kTmErrorUnsupported;
  }
  if (!requantize_supported(input->type, output->type))
    return kTmErrorUnsupported;
  if (input->quant.count != 1) return kTmErrorBadArgument;
  p->input_zero_point = input->quant.zero_point;
  int shift;
  quantize_multiplier(static_cast<double>(input->quant.scales[0]) /
                          static_cast<double>(output->quant.scales[0]),
                      &p->multiplier, &shift);
  p->shift = shift;
  return kTmOk;
}

void tm_quantize_f32(const TmQuantizeParams* p, const float* input,
                     void* output) {
  // TFLite converts the rounded quotient to int32 unguarded; beyond the
  // int32 range tierml saturates instead of relying on undefined behaviour.
  const float lo = static_cast<float>(p->output_min - p->output_zero_point);
  const float hi = static_cast<float>(p->output_max - p->output_zero_point);
  for (int32_t i = 0; i < p->count; ++i) {
    const float q = roundf(input[i] / p->output_scale);
    int32_t value;
    if (!(q > lo))  // also NaN, which TFLite on x86 sends to the minimum
      value = p->output_min;
    else if (q >= hi)
      value = p->output_max;
    else
      value = static_cast<int32_t>(q) + p->output_zero_point;
    tierml::store(p->output_type, output, i, value);
  }
}

void tm_requantize(const TmQuantizeParams* p, const void* input, void* output) {
  switch (p->input_type) {
    case kTmInt8:
      tierml::requantize_from(*p, static_cast<const int8_t*>(input), output);
      break;
    case kTmUInt8:
      tierml::requantize_from(*p, static_cast<const uint8_t*>(input), output);
      break;
    case kTmInt16:
      tierml::requantize_from(*p, static_cast<const int16_t*>(input), output);
      break;
    default:
      tierml::requantize_from(*p, static_cast<const int32_t*>(input), output);
      break;
  }
}

}  // extern "C"
