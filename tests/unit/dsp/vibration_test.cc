#include "dsp/vibration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "unit/dsp/dsp_reference.h"

namespace tierml {
namespace {

const char* const kSignals[] = {"sine",    "noise",  "skewed",
                                "impacts", "square", "quiet"};

// Against NumPy (mean, RMS, peak, crest) and scipy.stats.skew / kurtosis
// (bias=True, fisher=True) of the same int16 samples at full scale.
// Float path (float32, blocked sums over 2048 samples): 1e-5 absolute on
// mean, RMS and peak (full scale is 1), 1e-4 relative on the ratios.
// Fixed path: Q24 values within 2 units (the sums are exact; only the final
// division and square root round); ratios from the centred samples rounded
// to 16 bits of their largest deviation, |error| <= eta = 2^-16 max|d|.
// To first order, with c = max|d| / sigma, that moves skewness by at most
// 3 * 2^-16 * c * (1 + |skew|) and kurtosis by 2^-14 * c * (c + kurt + 3);
// plus 2 units of Q16 for the divisions.
TEST(DspVibrationTest, MatchesScipyStats) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  for (const char* name : kSignals) {
    const std::string base = "stats_" + std::string(name);
    const std::vector<int16_t> x = ref.i16(base);
    const std::vector<double> e = ref.f64(base);
    ASSERT_EQ(e.size(), 6u) << base;
    const int32_t n = static_cast<int32_t>(x.size());

    std::vector<float> xf(n);
    for (int32_t i = 0; i < n; ++i) xf[i] = x[i] / 32768.0f;
    TmVibrationStats f;
    ASSERT_EQ(tm_vibration_stats_f32(xf.data(), n, &f), kTmOk);
    EXPECT_NEAR(f.mean, e[0], 1e-5) << base;
    EXPECT_NEAR(f.rms, e[1], 1e-5) << base;
    EXPECT_NEAR(f.peak, e[2], 1e-7) << base;
    EXPECT_NEAR(f.crest_factor, e[3], 1e-4 * std::fabs(e[3])) << base;
    EXPECT_NEAR(f.skewness, e[4], 1e-4 * std::fabs(e[4]) + 1e-4) << base;
    EXPECT_NEAR(f.kurtosis, e[5], 1e-4 * std::fabs(e[5] + 3) + 1e-4) << base;

    TmVibrationStatsQ q;
    ASSERT_EQ(tm_vibration_stats_q15(x.data(), n, &q), kTmOk);
    const double q24 = 1.0 / (1 << 24), q16 = 1.0 / 65536;
    double max_d = 0.0;
    for (int16_t v : x) max_d = std::max(max_d, std::fabs(v / 32768.0 - e[0]));
    const double c = max_d / std::sqrt(e[1] * e[1] - e[0] * e[0]);
    EXPECT_NEAR(q.mean_q24 * q24, e[0], 2 * q24) << base;
    EXPECT_NEAR(q.rms_q24 * q24, e[1], 2 * q24) << base;
    EXPECT_NEAR(q.peak_q24 * q24, e[2], 0.0) << base;
    // Crest: the peak is exact and the RMS within a Q24 unit, which for the
    // quietest signal here (RMS 5e-4, 8400 units) is 1.2e-4 relative.
    EXPECT_NEAR(q.crest_factor_q16 * q16, e[3], e[3] / 8192 + 2 * q16) << base;
    EXPECT_NEAR(q.skewness_q16 * q16, e[4],
                3 * q16 * c * (1 + std::fabs(e[4])) + 2 * q16)
        << base;
    EXPECT_NEAR(q.kurtosis_q16 * q16, e[5],
                4 * q16 * c * (c + e[5] + 3) + 2 * q16)
        << base;
  }
}

// Physical invariants, no oracle needed: a sine over whole periods has mean
// 0, RMS A / sqrt(2), crest factor sqrt(2), skewness 0 and excess kurtosis
// -1.5; a symmetric square wave has crest 1 and kurtosis -2.
TEST(DspVibrationTest, SineAndSquareInvariants) {
  const int32_t n = 4096;
  const double a = 0.8;
  std::vector<float> sine(n), square(n);
  std::vector<int16_t> sine_q(n), square_q(n);
  for (int32_t i = 0; i < n; ++i) {
    const double v = a * std::sin(2 * M_PI * 16 * i / n + 0.1);
    sine_q[i] = static_cast<int16_t>(std::lround(v * 32768));
    sine[i] = sine_q[i] / 32768.0f;
    square_q[i] = (i / 64) % 2 == 0 ? 16384 : -16384;
    square[i] = square_q[i] / 32768.0f;
  }
  TmVibrationStats f;
  ASSERT_EQ(tm_vibration_stats_f32(sine.data(), n, &f), kTmOk);
  // int16 quantisation of the samples moves RMS by < 1e-5.
  EXPECT_NEAR(f.rms, a / std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(f.mean, 0.0, 1e-6);
  EXPECT_NEAR(f.crest_factor, std::sqrt(2.0), 1e-4);
  EXPECT_NEAR(f.skewness, 0.0, 1e-4);
  EXPECT_NEAR(f.kurtosis, -1.5, 1e-4);
  TmVibrationStatsQ q;
  ASSERT_EQ(tm_vibration_stats_q15(sine_q.data(), n, &q), kTmOk);
  EXPECT_NEAR(q.rms_q24 / 16777216.0, a / std::sqrt(2.0), 1e-5);
  EXPECT_NEAR(q.skewness_q16 / 65536.0, 0.0, 1e-4);
  EXPECT_NEAR(q.kurtosis_q16 / 65536.0, -1.5, 2e-4);

  ASSERT_EQ(tm_vibration_stats_f32(square.data(), n, &f), kTmOk);
  EXPECT_FLOAT_EQ(f.rms, 0.5f);
  EXPECT_FLOAT_EQ(f.crest_factor, 1.0f);
  EXPECT_NEAR(f.kurtosis, -2.0, 1e-6);
  ASSERT_EQ(tm_vibration_stats_q15(square_q.data(), n, &q), kTmOk);
  EXPECT_EQ(q.rms_q24, 1 << 23);
  EXPECT_EQ(q.crest_factor_q16, 65536);
  EXPECT_EQ(q.skewness_q16, 0);
  EXPECT_EQ(q.kurtosis_q16, -2 * 65536);
}

TEST(DspVibrationTest, ConstantAndBadInput) {
  std::vector<int16_t> dc(100, -32768);
  TmVibrationStatsQ q;
  ASSERT_EQ(tm_vibration_stats_q15(dc.data(), 100, &q), kTmOk);
  EXPECT_EQ(q.mean_q24, -(1 << 24));
  EXPECT_EQ(q.rms_q24, 1 << 24);
  EXPECT_EQ(q.crest_factor_q16, 65536);
  EXPECT_EQ(q.skewness_q16, 0);
  EXPECT_EQ(q.kurtosis_q16, 0);
  std::vector<float> zeros(10, 0.0f);
  TmVibrationStats f;
  ASSERT_EQ(tm_vibration_stats_f32(zeros.data(), 10, &f), kTmOk);
  EXPECT_EQ(f.crest_factor, 0.0f);
  EXPECT_EQ(f.kurtosis, 0.0f);

  EXPECT_EQ(tm_vibration_stats_q15(dc.data(), 1, &q), kTmErrorBadArgument);
  std::vector<int16_t> big(TM_VIBRATION_MAX_LENGTH + 1, 5);
  EXPECT_EQ(tm_vibration_stats_q15(big.data(), TM_VIBRATION_MAX_LENGTH + 1, &q),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_vibration_stats_q15(nullptr, 10, &q), kTmErrorBadArgument);
  EXPECT_EQ(tm_vibration_stats_f32(zeros.data(), 0, &f), kTmErrorBadArgument);
  EXPECT_EQ(tm_vibration_stats_f32(zeros.data(), 10, nullptr),
            kTmErrorBadArgument);
  // Full-scale extremes at the maximum length stay exact (no overflow).
  std::vector<int16_t> rails(TM_VIBRATION_MAX_LENGTH);
  for (size_t i = 0; i < rails.size(); ++i) {
    rails[i] = i % 2 == 0 ? 32767 : -32768;
  }
  ASSERT_EQ(tm_vibration_stats_q15(rails.data(), TM_VIBRATION_MAX_LENGTH, &q),
            kTmOk);
  EXPECT_EQ(q.mean_q24, -256);  // -0.5 / 32768 in Q24
  EXPECT_EQ(q.peak_q24, 1 << 24);
  EXPECT_EQ(q.kurtosis_q16, -2 * 65536);
}

}  // namespace
}  // namespace tierml
