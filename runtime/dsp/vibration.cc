#include "dsp/vibration.h"

#include <math.h>

#include "dsp/fixed_math.h"

namespace {

// round(num / den * 2^exp) for den > 0, saturated to 2^31 - 1. num is
// shifted up to 2^62 first and den down only by what exp has left, so the
// quotient keeps every bit the result can show.
int64_t scaled_div(uint64_t num, uint64_t den, int32_t exp) {
  if (num == 0) return 0;
  while (num < (uint64_t{1} << 62)) {
    num <<= 1;
    --exp;
  }
  if (exp > 0) {
    den = exp >= 64 ? 0 : den >> exp;
    exp = 0;
  }
  if (den == 0) return 2147483647;
  uint64_t q = num / den;
  const int32_t right = -exp;
  if (right >= 64) return 0;
  if (right > 0) q = ((q >> (right - 1)) + 1) >> 1;
  return q > 2147483647u ? 2147483647 : static_cast<int64_t>(q);
}

// Rounded num / den for den > 0, any sign of num.
int64_t rounded_div(int64_t num, int64_t den) {
  return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

}  // namespace

extern "C" {

TmStatus tm_vibration_stats_f32(const float* x, int32_t length,
                                TmVibrationStats* out) {
  if (x == nullptr || out == nullptr || length < 2) return kTmErrorBadArgument;
  // Float sums run over blocks of kBlock samples and then over the block
  // sums: rounding grows with kBlock + length / kBlock, not with length.
  constexpr int32_t kBlock = 64;
  const float n = static_cast<float>(length);
  float sum = 0.0f, peak = 0.0f;
  for (int32_t start = 0; start < length; start += kBlock) {
    const int32_t end = start + kBlock < length ? start + kBlock : length;
    float block = 0.0f;
    for (int32_t i = start; i < end; ++i) {
      block += x[i];
      const float a = fabsf(x[i]);
      if (a > peak) peak = a;
    }
    sum += block;
  }
  const float mean = sum / n;
  float m2 = 0.0f, m3 = 0.0f, m4 = 0.0f;
  for (int32_t start = 0; start < length; start += kBlock) {
    const int32_t end = start + kBlock < length ? start + kBlock : length;
    float b2 = 0.0f, b3 = 0.0f, b4 = 0.0f;
    for (int32_t i = start; i < end; ++i) {
      const float d = x[i] - mean;
      const float d2 = d * d;
      b2 += d2;
      b3 += d2 * d;
      b4 += d2 * d2;
    }
    m2 += b2;
    m3 += b3;
    m4 += b4;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  // Mean square = variance + mean^2 avoids a third pass.
  const float rms = sqrtf(m2 + mean * mean);
  out->mean = mean;
  out->rms = rms;
  out->peak = peak;
  out->crest_factor = rms > 0.0f ? peak / rms : 0.0f;
  out->skewness = m2 > 0.0f ? m3 / (m2 * sqrtf(m2)) : 0.0f;
  out->kurtosis = m2 > 0.0f ? m4 / (m2 * m2) - 3.0f : 0.0f;
  return kTmOk;
}

TmStatus tm_vibration_stats_q15(const int16_t* x, int32_t length,
                                TmVibrationStatsQ* out) {
  if (x == nullptr || out == nullptr || length < 2 ||
      length > TM_VIBRATION_MAX_LENGTH) {
    return kTmErrorBadArgument;
  }
  const int64_t n = length;
  int64_t s1 = 0;
  uint64_t s2 = 0;
  int32_t peak = 0;
  for (int32_t i = 0; i < length; ++i) {
    const int32_t v = x[i];
    s1 += v;
    s2 += static_cast<uint64_t>(v * v);
    const int32_t a = v < 0 ? -v : v;
    if (a > peak) peak = a;
  }
  // Q24 of full scale = int16 units * 2^9.
  out->mean_q24 = static_cast<int32_t>(rounded_div(s1 * 512, n));
  const uint32_t rms_q24 =
      tm_isqrt64((s2 << 18) / static_cast<uint64_t>(n));  // s2 < 2^44
  out->rms_q24 = static_cast<int32_t>(rms_q24);
  out->peak_q24 = peak * 512;
  out->crest_factor_q16 =
      rms_q24 == 0 ? 0
                   : static_cast<int32_t>(scaled_div(
                         static_cast<uint64_t>(peak) * 512, rms_q24, 16));

  // d = n x - s1 = n (x - mean), exact; |d| <= 2^30.
  int64_t max_d = 0;
  for (int32_t i = 0; i < length; ++i) {
    int64_t d = n * x[i] - s1;
    if (d < 0) d = -d;
    if (d > max_d) max_d = d;
  }
  if (max_d == 0) {
    out->skewness_q16 = 0;
    out->kurtosis_q16 = 0;
    return kTmOk;
  }
  const int32_t shift = tm_msb64(static_cast<uint64_t>(max_d)) > 15
                            ? tm_msb64(static_cast<uint64_t>(max_d)) - 15
                            : 0;
  // With |d| < 2^16 and n <= 2^14: a2 < 2^46, |a3| < 2^62, a4 < 2^62
  // (fourth powers, each below 2^64, are summed / 2^16).
  uint64_t a2 = 0, a4 = 0;
  int64_t a3 = 0;
  for (int32_t i = 0; i < length; ++i) {
    const int64_t d = n * x[i] - s1;
    int64_t ds = shift == 0 ? d : (d + (int64_t{1} << (shift - 1))) >> shift;
    // Rounding may reach 2^16 exactly; keep the fourth power below 2^64.
    if (ds > 65535) ds = 65535;
    if (ds < -65535) ds = -65535;
    const uint64_t d2 = static_cast<uint64_t>(ds * ds);
    a2 += d2;
    a3 += ds * ds * ds;
    a4 += (d2 * d2) >> 16;
  }
  if (a2 == 0) {
    out->skewness_q16 = 0;
    out->kurtosis_q16 = 0;
    return kTmOk;
  }
  // Kurtosis = m4 / m2^2 = n * a4 * 2^16 / a2^2.
  const int32_t e2 = tm_msb64(a2) > 30 ? tm_msb64(a2) - 30 : 0;
  const uint64_t a2n = a2 >> e2;  // < 2^31
  const int32_t e4 = tm_msb64(a4) > 47 ? tm_msb64(a4) - 47 : 0;
  const uint64_t kurt_num = (a4 >> e4) * static_cast<uint64_t>(n);  // < 2^62
  const int64_t kurt_q16 =
      scaled_div(kurt_num, a2n * a2n, e4 + 16 + 16 - 2 * e2);
  out->kurtosis_q16 = static_cast<int32_t>(kurt_q16 - 3 * 65536);
  // Skewness = m3 / m2^1.5 = a3 sqrt(n) / a2^1.5, with
  // sqrt(a2) = isqrt(a2 << 16) / 2^8 and sqrt(n) = isqrt(n << 30) / 2^15.
  const uint64_t abs_a3 = static_cast<uint64_t>(a3 < 0 ? -a3 : a3);
  const int32_t e3 = tm_msb64(abs_a3) > 30 ? tm_msb64(abs_a3) - 30 : 0;
  const uint64_t sqrt_n = tm_isqrt64(static_cast<uint64_t>(n) << 30);
  const uint64_t sqrt_a2 = tm_isqrt64(a2 << 16);
  const uint64_t skew_num = (abs_a3 >> e3) * sqrt_n;  // < 2^53
  const uint64_t skew_den = a2n * sqrt_a2;            // < 2^62
  const int64_t skew_q16 =
      scaled_div(skew_num, skew_den, e3 - 15 - e2 + 8 + 16);
  out->skewness_q16 = static_cast<int32_t>(a3 < 0 ? -skew_q16 : skew_q16);
  return kTmOk;
}

}  // extern "C"
