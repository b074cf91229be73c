#include "quantization.h"

#include <float.h>
#include <math.h>

namespace tierml {

void quantize_multiplier(double real_multiplier, int32_t* multiplier,
                         int* shift) {
  if (real_multiplier == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  const double significand = frexp(real_multiplier, shift);
  int64_t fixed = static_cast<int64_t>(round(significand * (int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {
    fixed /= 2;
    ++*shift;
  }
  // Multipliers below 2^-31 underflow to zero, as in TFLite.
  if (*shift < -31) {
    *shift = 0;
    fixed = 0;
  }
  // Softmax's input multiplier legitimately reaches 2^31 - 1 (shift 31);
  // beyond that a hostile file would ask for a shift that is undefined
  // behaviour in the invoke path, so larger multipliers saturate.
  if (*shift > 31) {
    *shift = 31;
    fixed = (int64_t{1} << 31) - 1;
  }
  *multiplier = static_cast<int32_t>(fixed);
}

TmStatus activation_range_quantized(TmActivation activation, TmType type,
                                    float output_scale,
                                    int32_t output_zero_point, int32_t* min,
                                    int32_t* max) {
  int32_t qmin, qmax;
  switch (type) {
    case kTmInt8:
      qmin = -128;
      qmax = 127;
      break;
    case kTmInt16:
      qmin = -32768;
      qmax = 32767;
      break;
    case kTmUInt8:
      qmin = 0;
      qmax = 255;
      break;
    default:
      return kTmErrorUnsupported;
  }
  auto quantize = [&](float real) {
    return output_zero_point +
           static_cast<int32_t>(roundf(real / output_scale));
  };
  auto at_least = [](int32_t a, int32_t b) { return a > b ? a : b; };
  auto at_most = [](int32_t a, int32_t b) { return a < b ? a : b; };
  switch (activation) {
    case kTmActNone:
      *min = qmin;
      *max = qmax;
      return kTmOk;
    case kTmActRelu:
      *min = at_least(qmin, quantize(0.0f));
      *max = qmax;
      return kTmOk;
    case kTmActRelu6:
      *min = at_least(qmin, quantize(0.0f));
      *max = at_most(qmax, quantize(6.0f));
      return kTmOk;
    case kTmActReluN1To1:
      *min = at_least(qmin, quantize(-1.0f));
      *max = at_most(qmax, quantize(1.0f));
      return kTmOk;
    default:
      return kTmErrorUnsupported;
  }
}

TmStatus activation_range_float(TmActivation activation, float* min,
                                float* max) {
  switch (activation) {
    case kTmActNone:
      *min = -FLT_MAX;
      *max = FLT_MAX;
      return kTmOk;
    case kTmActRelu:
      *min = 0.0f;
      *max = FLT_MAX;
      return kTmOk;
    case kTmActRelu6:
      *min = 0.0f;
      *max = 6.0f;
      return kTmOk;
    case kTmActReluN1To1:
      *min = -1.0f;
      *max = 1.0f;
      return kTmOk;
    default:
      return kTmErrorUnsupported;
  }
}

}  // namespace tierml
