#include "dsp/spectrum.h"

#include <math.h>

#include "dsp/fixed_math.h"

extern "C" {

void tm_spectrum_f32(TmSpectrumType type, const float* fft_out, int32_t n,
                     float* out) {
  for (int32_t k = 0; k <= n / 2; ++k) {
    const float re = fft_out[2 * k], im = fft_out[2 * k + 1];
    const float p = re * re + im * im;
    out[k] = type == kTmSpectrumPower ? p : sqrtf(p);
  }
}

void tm_spectrum_q15(TmSpectrumType type, const int16_t* fft_out, int32_t n,
                     uint64_t* out) {
  for (int32_t k = 0; k <= n / 2; ++k) {
    const int64_t re = fft_out[2 * k], im = fft_out[2 * k + 1];
    const uint64_t p = static_cast<uint64_t>(re * re + im * im);
    out[k] = type == kTmSpectrumPower ? p : tm_isqrt64(p);
  }
}

void tm_spectrum_q31(TmSpectrumType type, const int32_t* fft_out, int32_t n,
                     uint64_t* out) {
  for (int32_t k = 0; k <= n / 2; ++k) {
    // |re|, |im| < 2^30.5 (rfft.h), so the sum of squares is below 2^62.
    const int64_t re = fft_out[2 * k], im = fft_out[2 * k + 1];
    const uint64_t p =
        static_cast<uint64_t>(re * re) + static_cast<uint64_t>(im * im);
    out[k] = type == kTmSpectrumPower ? p : tm_isqrt64(p);
  }
}

int32_t tm_spectrum_unit_log2_q16(TmSpectrumType type, int32_t n, int32_t s) {
  const int32_t log2n = tm_msb64(static_cast<uint64_t>(n));
  const int32_t bits =
      type == kTmSpectrumPower ? 2 * (log2n - s) - 30 : (log2n - s) - 15;
  return bits * 65536;
}

TmStatus tm_bands_init(int32_t sample_rate, int32_t n, const float* edges_hz,
                       int32_t num_bands, int32_t* bin_edges) {
  if (sample_rate <= 0 || n <= 0 || num_bands < 1 || edges_hz == nullptr ||
      bin_edges == nullptr) {
    return kTmErrorBadArgument;
  }
  const int32_t num_bins = n / 2 + 1;
  for (int32_t b = 0; b <= num_bands; ++b) {
    const float e = edges_hz[b];
    if (!(e >= 0.0f) || (b > 0 && !(e > edges_hz[b - 1]))) {
      return kTmErrorBadArgument;
    }
    // First bin with k * rate / n >= e, exactly: k >= e * n / rate.
    const double k = ceil(static_cast<double>(e) * n / sample_rate);
    int32_t bin = k > num_bins ? num_bins : static_cast<int32_t>(k);
    if (b == num_bands && 2.0 * e >= sample_rate) bin = num_bins;
    bin_edges[b] = bin;
  }
  return kTmOk;
}

void tm_band_energy_f32(const float* spectrum, const int32_t* bin_edges,
                        int32_t num_bands, float* out) {
  for (int32_t b = 0; b < num_bands; ++b) {
    float sum = 0.0f;
    for (int32_t k = bin_edges[b]; k < bin_edges[b + 1]; ++k) {
      sum += spectrum[k];
    }
    out[b] = sum;
  }
}

void tm_band_energy_log2_q16(const uint64_t* spectrum, const int32_t* bin_edges,
                             int32_t num_bands, int32_t unit_log2_q16,
                             int32_t* out) {
  for (int32_t b = 0; b < num_bands; ++b) {
    // Up to 1025 bins below 2^62: sum the values shifted right by 11 bits
    // only if the exact sum could overflow.
    uint64_t peak = 0;
    for (int32_t k = bin_edges[b]; k < bin_edges[b + 1]; ++k) {
      if (spectrum[k] > peak) peak = spectrum[k];
    }
    const int32_t shift = tm_msb64(peak) > 52 ? tm_msb64(peak) - 52 : 0;
    uint64_t sum = 0;
    for (int32_t k = bin_edges[b]; k < bin_edges[b + 1]; ++k) {
      sum += spectrum[k] >> shift;
    }
    out[b] = sum == 0 ? TM_LOG2_Q16_MIN
                      : tm_log2_q16(sum) + shift * 65536 + unit_log2_q16;
  }
}

}  // extern "C"
