#include "dsp/window.h"

#include <math.h>

namespace {

constexpr double kPi = 3.14159265358979323846;

// Window value in double precision: the tables are built once, so the
// extra cost buys float tables correctly rounded to the last bit.
double window_value(int32_t type, int32_t i, int32_t denominator) {
  if (type == kTmWindowRectangular || denominator == 0) return 1.0;
  const double c = cos(2.0 * kPi * i / denominator);
  return type == kTmWindowHann ? 0.5 - 0.5 * c : 0.54 - 0.46 * c;
}

bool valid(int32_t type, int32_t length) {
  return length >= 1 && (type == kTmWindowRectangular ||
                         type == kTmWindowHann || type == kTmWindowHamming);
}

}  // namespace

extern "C" {

TmStatus tm_window_f32(int32_t type, int32_t length, int32_t periodic,
                       float* out) {
  if (!valid(type, length) || out == nullptr) return kTmErrorBadArgument;
  const int32_t denominator = periodic ? length : length - 1;
  for (int32_t i = 0; i < length; ++i) {
    out[i] = static_cast<float>(window_value(type, i, denominator));
  }
  return kTmOk;
}

TmStatus tm_window_q15(int32_t type, int32_t length, int32_t periodic,
                       int16_t* out) {
  if (!valid(type, length) || out == nullptr) return kTmErrorBadArgument;
  const int32_t denominator = periodic ? length : length - 1;
  for (int32_t i = 0; i < length; ++i) {
    const double q = floor(window_value(type, i, denominator) * 32768.0 + 0.5);
    out[i] = static_cast<int16_t>(q > 32767.0 ? 32767 : q);
  }
  return kTmOk;
}

void tm_window_apply_f32(const float* w, const float* x, int32_t length,
                         float* out) {
  for (int32_t i = 0; i < length; ++i) out[i] = x[i] * w[i];
}

void tm_window_apply_q15(const int16_t* w, const int16_t* x, int32_t length,
                         int16_t* out) {
  for (int32_t i = 0; i < length; ++i) {
    const int32_t p = static_cast<int32_t>(x[i]) * w[i];
    // |p| < 2^30, so the rounded quotient always fits int16.
    const int32_t q =
        p >= 0 ? (p + (1 << 14)) >> 15 : -((-p + (1 << 14)) >> 15);
    out[i] = static_cast<int16_t>(q);
  }
}

}  // extern "C"
