#include "dsp/rfft.h"

#include <math.h>

namespace {

constexpr double kPi = 3.14159265358979323846;

int32_t log2_of_power_of_two(int32_t n) {
  if (n < TM_RFFT_MIN_LENGTH || n > TM_RFFT_MAX_LENGTH || (n & (n - 1)) != 0) {
    return -1;
  }
  int32_t log2n = 0;
  while ((1 << log2n) < n) ++log2n;
  return log2n;
}

// Swaps complex element i with its bit reversal (over `bits` bits).
template <typename T>
void bit_reverse(T* z, int32_t count, int32_t bits) {
  for (int32_t i = 0; i < count; ++i) {
    int32_t r = 0;
    for (int32_t b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    if (r > i) {
      const T re = z[2 * i], im = z[2 * i + 1];
      z[2 * i] = z[2 * r];
      z[2 * i + 1] = z[2 * r + 1];
      z[2 * r] = re;
      z[2 * r + 1] = im;
    }
  }
}

// Q15 x Q15 -> Q15, rounded to nearest (ties up); |a|, |b| <= 2^15.
inline int32_t mul_q15(int32_t a, int32_t b) {
  return (a * b + (1 << 14)) >> 15;
}
inline int32_t half(int32_t v) { return (v + 1) >> 1; }

// Q31 x int32 -> int32 scale, rounded to nearest (ties up); the sum of two
// such products stays below 2^63.
inline int64_t mul_q31(int64_t a, int64_t b) {
  return (a * b + (int64_t{1} << 30)) >> 31;
}
inline int32_t half64(int64_t v) { return static_cast<int32_t>((v + 1) >> 1); }

}  // namespace

extern "C" {

TmStatus tm_rfft_init_f32(int32_t n, float* twiddles, TmRfft* fft) {
  const int32_t log2n = log2_of_power_of_two(n);
  if (log2n < 0 || twiddles == nullptr || fft == nullptr) {
    return kTmErrorBadArgument;
  }
  for (int32_t k = 0; k < n / 2; ++k) {
    const double angle = 2.0 * kPi * k / n;
    twiddles[2 * k] = static_cast<float>(cos(angle));
    twiddles[2 * k + 1] = static_cast<float>(-sin(angle));
  }
  *fft = TmRfft{n, log2n, twiddles, nullptr, nullptr};
  return kTmOk;
}

TmStatus tm_rfft_init_q15(int32_t n, int16_t* twiddles, TmRfft* fft) {
  const int32_t log2n = log2_of_power_of_two(n);
  if (log2n < 0 || twiddles == nullptr || fft == nullptr) {
    return kTmErrorBadArgument;
  }
  for (int32_t k = 0; k < n / 2; ++k) {
    const double angle = 2.0 * kPi * k / n;
    const double c = floor(cos(angle) * 32768.0 + 0.5);
    const double s = floor(-sin(angle) * 32768.0 + 0.5);
    // Only cos(0) = 1 reaches 2^15; it saturates to 32767.
    twiddles[2 * k] = static_cast<int16_t>(c > 32767.0 ? 32767 : c);
    twiddles[2 * k + 1] = static_cast<int16_t>(s > 32767.0 ? 32767 : s);
  }
  *fft = TmRfft{n, log2n, nullptr, twiddles, nullptr};
  return kTmOk;
}

void tm_rfft_f32(const TmRfft* fft, const float* in, float* out) {
  const int32_t n = fft->n;
  const int32_t m = n / 2;  // complex points
  const float* w = fft->twiddle_f32;
  for (int32_t i = 0; i < n; ++i) out[i] = in[i];
  bit_reverse(out, m, fft->log2n - 1);
  for (int32_t size = 2; size <= m; size <<= 1) {
    const int32_t half_size = size / 2;
    const int32_t stride = 2 * (m / size);  // W_m^j = W_n^(2j)
    for (int32_t start = 0; start < m; start += size) {
      for (int32_t j = 0; j < half_size; ++j) {
        const float wr = w[2 * j * stride], wi = w[2 * j * stride + 1];
        float* a = out + 2 * (start + j);
        float* b = out + 2 * (start + j + half_size);
        const float tr = wr * b[0] - wi * b[1];
        const float ti = wr * b[1] + wi * b[0];
        b[0] = a[0] - tr;
        b[1] = a[1] - ti;
        a[0] += tr;
        a[1] += ti;
      }
    }
  }
  // Split: X[k] = E + W^k O and X[m - k] = conj(E - W^k O), with
  // E = (Z[k] + conj Z[m-k]) / 2 and O = -i (Z[k] - conj Z[m-k]) / 2.
  const float z0r = out[0], z0i = out[1];
  out[0] = z0r + z0i;
  out[1] = 0.0f;
  out[n] = z0r - z0i;
  out[n + 1] = 0.0f;
  for (int32_t k = 1; k <= m / 2; ++k) {
    const float ar = out[2 * k], ai = out[2 * k + 1];
    const float br = out[2 * (m - k)], bi = -out[2 * (m - k) + 1];
    const float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
    const float or_ = 0.5f * (ai - bi), oi = -0.5f * (ar - br);
    const float wr = w[2 * k], wi = w[2 * k + 1];
    const float tr = wr * or_ - wi * oi, ti = wr * oi + wi * or_;
    out[2 * k] = er + tr;
    out[2 * k + 1] = ei + ti;
    out[2 * (m - k)] = er - tr;
    out[2 * (m - k) + 1] = -(ei - ti);
  }
}

TmStatus tm_rfft_init_q31(int32_t n, int32_t* twiddles, TmRfft* fft) {
  const int32_t log2n = log2_of_power_of_two(n);
  if (log2n < 0 || twiddles == nullptr || fft == nullptr) {
    return kTmErrorBadArgument;
  }
  constexpr double kOne = 2147483648.0;
  for (int32_t k = 0; k < n / 2; ++k) {
    const double angle = 2.0 * kPi * k / n;
    const double c = floor(cos(angle) * kOne + 0.5);
    const double s = floor(-sin(angle) * kOne + 0.5);
    twiddles[2 * k] = static_cast<int32_t>(c >= kOne ? kOne - 1 : c);
    twiddles[2 * k + 1] = static_cast<int32_t>(s >= kOne ? kOne - 1 : s);
  }
  *fft = TmRfft{n, log2n, nullptr, nullptr, twiddles};
  return kTmOk;
}

int32_t tm_block_exponent_q15(const int16_t* x, int32_t length) {
  int32_t peak = 0;
  for (int32_t i = 0; i < length; ++i) {
    const int32_t a = x[i] < 0 ? -static_cast<int32_t>(x[i]) : x[i];
    if (a > peak) peak = a;
  }
  if (peak == 0) return 0;
  // Largest s with |x| * 2^s < 2^14 after the rounded shift (checked with
  // a ceiling division for right shifts, so ties cannot reach 2^14).
  int32_t s = 14;
  while (s > -2 &&
         (s >= 0 ? (peak << s) : (peak + (1 << -s) - 1) >> -s) >= (1 << 14)) {
    --s;
  }
  return s;
}

int32_t tm_rfft_q15(const TmRfft* fft, const int16_t* in, int16_t* out) {
  const int32_t n = fft->n;
  const int32_t m = n / 2;
  const int16_t* w = fft->twiddle_q15;
  const int32_t s = tm_block_exponent_q15(in, n);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = in[i];
    // Rounded shift for s < 0 (ties up); the result stays below 2^14.
    out[i] = static_cast<int16_t>(s >= 0 ? v * (1 << s)
                                         : (v + (1 << (-s - 1))) >> -s);
  }
  bit_reverse(out, m, fft->log2n - 1);
  for (int32_t size = 2; size <= m; size <<= 1) {
    const int32_t half_size = size / 2;
    const int32_t stride = 2 * (m / size);
    for (int32_t start = 0; start < m; start += size) {
      for (int32_t j = 0; j < half_size; ++j) {
        const int32_t wr = w[2 * j * stride], wi = w[2 * j * stride + 1];
        int16_t* a = out + 2 * (start + j);
        int16_t* b = out + 2 * (start + j + half_size);
        const int32_t tr = mul_q15(wr, b[0]) - mul_q15(wi, b[1]);
        const int32_t ti = mul_q15(wr, b[1]) + mul_q15(wi, b[0]);
        const int32_t ar = a[0], ai = a[1];
        a[0] = static_cast<int16_t>(half(ar + tr));
        a[1] = static_cast<int16_t>(half(ai + ti));
        b[0] = static_cast<int16_t>(half(ar - tr));
        b[1] = static_cast<int16_t>(half(ai - ti));
      }
    }
  }
  // The split of tm_rfft_f32, with its / 2 folded into E and O and one more
  // halving of the result.
  const int32_t z0r = out[0], z0i = out[1];
  out[0] = static_cast<int16_t>(half(z0r + z0i));
  out[1] = 0;
  out[n] = static_cast<int16_t>(half(z0r - z0i));
  out[n + 1] = 0;
  for (int32_t k = 1; k <= m / 2; ++k) {
    const int32_t ar = out[2 * k], ai = out[2 * k + 1];
    const int32_t br = out[2 * (m - k)], bi = -out[2 * (m - k) + 1];
    const int32_t er = half(ar + br), ei = half(ai + bi);
    const int32_t or_ = half(ai - bi), oi = half(br - ar);
    const int32_t wr = w[2 * k], wi = w[2 * k + 1];
    const int32_t tr = mul_q15(wr, or_) - mul_q15(wi, oi);
    const int32_t ti = mul_q15(wr, oi) + mul_q15(wi, or_);
    out[2 * k] = static_cast<int16_t>(half(er + tr));
    out[2 * k + 1] = static_cast<int16_t>(half(ei + ti));
    out[2 * (m - k)] = static_cast<int16_t>(half(er - tr));
    out[2 * (m - k) + 1] = static_cast<int16_t>(half(ti - ei));
  }
  return s;
}

int32_t tm_rfft_q31(const TmRfft* fft, const int32_t* in, int32_t* out) {
  const int32_t n = fft->n;
  const int32_t m = n / 2;
  const int32_t* w = fft->twiddle_q31;
  int64_t peak = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int64_t a = in[i] < 0 ? -static_cast<int64_t>(in[i]) : in[i];
    if (a > peak) peak = a;
  }
  int32_t msb = -1;
  for (int64_t p = peak; p != 0; p >>= 1) ++msb;
  // peak * 2^s in [2^29, 2^30] (a rounded right shift can reach 2^30):
  // complex pairs stay at or below 2^30.5 < 2^31.
  const int32_t s = peak == 0 ? 0 : 29 - msb;
  for (int32_t i = 0; i < n; ++i) {
    const int64_t v = in[i];
    out[i] = static_cast<int32_t>(
        s >= 0 ? v * (int64_t{1} << s) : (v + (int64_t{1} << (-s - 1))) >> -s);
  }
  bit_reverse(out, m, fft->log2n - 1);
  for (int32_t size = 2; size <= m; size <<= 1) {
    const int32_t half_size = size / 2;
    const int32_t stride = 2 * (m / size);
    for (int32_t start = 0; start < m; start += size) {
      for (int32_t j = 0; j < half_size; ++j) {
        const int64_t wr = w[2 * j * stride], wi = w[2 * j * stride + 1];
        int32_t* a = out + 2 * (start + j);
        int32_t* b = out + 2 * (start + j + half_size);
        const int64_t tr = mul_q31(wr, b[0]) - mul_q31(wi, b[1]);
        const int64_t ti = mul_q31(wr, b[1]) + mul_q31(wi, b[0]);
        const int64_t ar = a[0], ai = a[1];
        a[0] = half64(ar + tr);
        a[1] = half64(ai + ti);
        b[0] = half64(ar - tr);
        b[1] = half64(ai - ti);
      }
    }
  }
  const int64_t z0r = out[0], z0i = out[1];
  out[0] = half64(z0r + z0i);
  out[1] = 0;
  out[n] = half64(z0r - z0i);
  out[n + 1] = 0;
  for (int32_t k = 1; k <= m / 2; ++k) {
    const int64_t ar = out[2 * k], ai = out[2 * k + 1];
    const int64_t br = out[2 * (m - k)],
                  bi = -static_cast<int64_t>(out[2 * (m - k) + 1]);
    const int64_t er = half64(ar + br), ei = half64(ai + bi);
    const int64_t or_ = half64(ai - bi), oi = half64(br - ar);
    const int64_t wr = w[2 * k], wi = w[2 * k + 1];
    const int64_t tr = mul_q31(wr, or_) - mul_q31(wi, oi);
    const int64_t ti = mul_q31(wr, oi) + mul_q31(wi, or_);
    out[2 * k] = half64(er + tr);
    out[2 * k + 1] = half64(ei + ti);
    out[2 * (m - k)] = half64(er - tr);
    out[2 * (m - k) + 1] = half64(ti - ei);
  }
  return s;
}

}  // extern "C"
