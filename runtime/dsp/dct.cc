#include "dsp/dct.h"

#include <math.h>

namespace {

constexpr double kPi = 3.14159265358979323846;

bool valid(int32_t num_inputs, int32_t num_coeffs, int32_t norm) {
  return num_inputs >= 2 && num_coeffs >= 1 && num_coeffs <= num_inputs &&
         (norm == kTmDctOrtho || norm == kTmDctTf);
}

double entry(int32_t m_count, int32_t k, int32_t m, int32_t norm) {
  const double scale = (k == 0 && norm == kTmDctOrtho) ? sqrt(1.0 / m_count)
                                                       : sqrt(2.0 / m_count);
  return scale * cos(kPi * k * (2 * m + 1) / (2.0 * m_count));
}

}  // namespace

extern "C" {

TmStatus tm_dct_init_f32(int32_t num_inputs, int32_t num_coeffs, int32_t norm,
                         float* matrix, TmDct* dct) {
  if (!valid(num_inputs, num_coeffs, norm) || matrix == nullptr ||
      dct == nullptr) {
    return kTmErrorBadArgument;
  }
  for (int32_t k = 0; k < num_coeffs; ++k) {
    for (int32_t m = 0; m < num_inputs; ++m) {
      matrix[k * num_inputs + m] =
          static_cast<float>(entry(num_inputs, k, m, norm));
    }
  }
  *dct = TmDct{num_inputs, num_coeffs, matrix, nullptr};
  return kTmOk;
}

TmStatus tm_dct_init_q15(int32_t num_inputs, int32_t num_coeffs, int32_t norm,
                         int16_t* matrix, TmDct* dct) {
  if (!valid(num_inputs, num_coeffs, norm) || matrix == nullptr ||
      dct == nullptr) {
    return kTmErrorBadArgument;
  }
  for (int32_t k = 0; k < num_coeffs; ++k) {
    for (int32_t m = 0; m < num_inputs; ++m) {
      // |entry| <= sqrt(2/2) = 1 only for M = 2; saturate that one value.
      const double q = floor(entry(num_inputs, k, m, norm) * 32768.0 + 0.5);
      matrix[k * num_inputs + m] =
          static_cast<int16_t>(q > 32767.0 ? 32767.0 : q);
    }
  }
  *dct = TmDct{num_inputs, num_coeffs, nullptr, matrix};
  return kTmOk;
}

void tm_dct_f32(const TmDct* dct, const float* in, float* out) {
  for (int32_t k = 0; k < dct->num_coeffs; ++k) {
    const float* row = dct->matrix_f32 + k * dct->num_inputs;
    float sum = 0.0f;
    for (int32_t m = 0; m < dct->num_inputs; ++m) sum += row[m] * in[m];
    out[k] = sum;
  }
}

void tm_dct_q15(const TmDct* dct, const int32_t* in, int64_t* out) {
  for (int32_t k = 0; k < dct->num_coeffs; ++k) {
    const int16_t* row = dct->matrix_q15 + k * dct->num_inputs;
    int64_t sum = 0;
    for (int32_t m = 0; m < dct->num_inputs; ++m) {
      sum += static_cast<int64_t>(in[m]) * row[m];
    }
    // Round half up; >> on a negative int64 is an arithmetic shift.
    out[k] = (sum + (int64_t{1} << 14)) >> 15;
  }
}

}  // extern "C"
