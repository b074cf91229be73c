#include "dsp/spectrum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dsp/fixed_math.h"
#include "dsp/rfft.h"
#include "dsp/window.h"

namespace tierml {
namespace {

constexpr int32_t kN = 1024;
constexpr int32_t kRate = 8000;  // bins every 7.8125 Hz

std::vector<int16_t> tone(double hz, double amplitude) {
  std::vector<int16_t> x(kN);
  for (int32_t i = 0; i < kN; ++i) {
    x[i] = static_cast<int16_t>(
        std::lround(amplitude * 32768.0 * std::sin(2 * M_PI * hz * i / kRate)));
  }
  return x;
}

// Physical invariant: a pure tone's energy lands in the band holding its
// frequency. Hann-windowed, a tone between bins leaks; more than 99.9% stays
// within +-4 bins, far inside these bands.
TEST(DspSpectrumTest, ToneEnergyLandsInItsBand) {
  const float edges[] = {0.0f, 500.0f, 1000.0f, 2000.0f, 4000.0f};
  int32_t bins[5];
  ASSERT_EQ(tm_bands_init(kRate, kN, edges, 4, bins), kTmOk);
  EXPECT_EQ(bins[0], 0);
  EXPECT_EQ(bins[1], 64);  // 500 Hz is bin 64 exactly
  EXPECT_EQ(bins[2], 128);
  EXPECT_EQ(bins[4], kN / 2 + 1);  // the top edge at Nyquist keeps bin 512

  std::vector<float> window(kN), twiddles(TM_RFFT_TWIDDLE_COUNT(kN));
  ASSERT_EQ(tm_window_f32(kTmWindowHann, kN, 1, window.data()), kTmOk);
  TmRfft fft;
  ASSERT_EQ(tm_rfft_init_f32(kN, twiddles.data(), &fft), kTmOk);
  std::vector<int32_t> twiddles_q31(TM_RFFT_TWIDDLE_COUNT(kN));
  TmRfft fft_q;
  ASSERT_EQ(tm_rfft_init_q31(kN, twiddles_q31.data(), &fft_q), kTmOk);
  std::vector<int16_t> window_q(kN);
  ASSERT_EQ(tm_window_q15(kTmWindowHann, kN, 1, window_q.data()), kTmOk);

  const struct {
    double hz;
    int band;
  } cases[] = {{123.4, 0}, {740.0, 1}, {1500.0, 2}, {3333.3, 3}};
  for (const auto& c : cases) {
    const std::vector<int16_t> x = tone(c.hz, 0.5);
    std::vector<float> xf(kN), out(kN + 2), power(kN / 2 + 1), energy(4);
    for (int32_t i = 0; i < kN; ++i) xf[i] = x[i] / 32768.0f * window[i];
    tm_rfft_f32(&fft, xf.data(), out.data());
    tm_spectrum_f32(kTmSpectrumPower, out.data(), kN, power.data());
    tm_band_energy_f32(power.data(), bins, 4, energy.data());
    double total = 0.0;
    for (float e : energy) total += e;
    EXPECT_GT(energy[c.band] / total, 0.999) << c.hz;

    // The fixed path reports the same band energy, in log2 (Q16).
    std::vector<int16_t> xw16(kN);
    tm_window_apply_q15(window_q.data(), x.data(), kN, xw16.data());
    const std::vector<int32_t> xw(xw16.begin(), xw16.end());
    std::vector<int32_t> out_q(kN + 2), log2_energy(4);
    std::vector<uint64_t> power_q(kN / 2 + 1);
    const int32_t s = tm_rfft_q31(&fft_q, xw.data(), out_q.data());
    tm_spectrum_q31(kTmSpectrumPower, out_q.data(), kN, power_q.data());
    tm_band_energy_log2_q16(power_q.data(), bins, 4,
                            tm_spectrum_unit_log2_q16(kTmSpectrumPower, kN, s),
                            log2_energy.data());
    EXPECT_NEAR(log2_energy[c.band] / 65536.0, std::log2(energy[c.band]), 1e-3)
        << c.hz;
  }
}

// A bin-centred sine of amplitude A, rectangular window: |X_k| = A n / 2,
// so its power is (A n / 2)^2 in one bin and the magnitude is its root.
TEST(DspSpectrumTest, BinCentredSineHasKnownPeak) {
  const double amplitude = 0.25;
  const std::vector<int16_t> x = tone(kRate * 37.0 / kN, amplitude);
  std::vector<int16_t> twiddles(TM_RFFT_TWIDDLE_COUNT(kN)), out(kN + 2);
  TmRfft fft;
  ASSERT_EQ(tm_rfft_init_q15(kN, twiddles.data(), &fft), kTmOk);
  const int32_t s = tm_rfft_q15(&fft, x.data(), out.data());
  std::vector<uint64_t> power(kN / 2 + 1), magnitude(kN / 2 + 1);
  tm_spectrum_q15(kTmSpectrumPower, out.data(), kN, power.data());
  tm_spectrum_q15(kTmSpectrumMagnitude, out.data(), kN, magnitude.data());
  const double expected = amplitude * kN / 2;
  const double unit_p =
      std::exp2(tm_spectrum_unit_log2_q16(kTmSpectrumPower, kN, s) / 65536.0);
  const double unit_m = std::exp2(
      tm_spectrum_unit_log2_q16(kTmSpectrumMagnitude, kN, s) / 65536.0);
  // The sine is quantised to int16 and the Q15 FFT keeps ~13 bits here.
  EXPECT_NEAR(std::sqrt(power[37] * unit_p), expected, expected * 1e-3);
  EXPECT_NEAR(magnitude[37] * unit_m, expected, expected * 1e-3);
  EXPECT_EQ(magnitude[37], tm_isqrt64(power[37]));
  for (int32_t k = 0; k <= kN / 2; ++k) {
    if (k != 37) {
      EXPECT_LT(power[k] * 1e6, power[37]) << k;
    }
  }
}

TEST(DspSpectrumTest, BandsRejectBadEdges) {
  int32_t bins[4];
  const float decreasing[] = {0.0f, 500.0f, 400.0f};
  EXPECT_EQ(tm_bands_init(kRate, kN, decreasing, 2, bins), kTmErrorBadArgument);
  const float negative[] = {-1.0f, 500.0f};
  EXPECT_EQ(tm_bands_init(kRate, kN, negative, 1, bins), kTmErrorBadArgument);
  const float nan_edge[] = {0.0f, NAN};
  EXPECT_EQ(tm_bands_init(kRate, kN, nan_edge, 1, bins), kTmErrorBadArgument);
  const float ok[] = {0.0f, 100.0f};
  EXPECT_EQ(tm_bands_init(0, kN, ok, 1, bins), kTmErrorBadArgument);
  EXPECT_EQ(tm_bands_init(kRate, kN, ok, 0, bins), kTmErrorBadArgument);
  EXPECT_EQ(tm_bands_init(kRate, kN, ok, 1, nullptr), kTmErrorBadArgument);
}

}  // namespace
}  // namespace tierml
