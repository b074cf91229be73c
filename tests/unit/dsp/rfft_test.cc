#include "dsp/rfft.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "unit/dsp/dsp_reference.h"

namespace tierml {
namespace {

const char* const kSignals[] = {"sine", "chirp",  "noise", "impulse",
                                "dc",   "square", "quiet"};
const int32_t kLengths[] = {64, 256, 512, 2048};

std::vector<float> to_float(const std::vector<int16_t>& x) {
  std::vector<float> r(x.size());
  for (size_t i = 0; i < x.size(); ++i) r[i] = x[i] / 32768.0f;
  return r;
}

// Float path against scipy.fft.rfft of the same samples. Tolerance: 1e-7 of
// full scale, where full scale of an n-point DFT is n (every sample at 1):
// single precision rounds each of the log2(n) stages at ~6e-8 relative.
TEST(DspRfftTest, FloatMatchesScipy) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  for (const int32_t n : kLengths) {
    std::vector<float> twiddles(TM_RFFT_TWIDDLE_COUNT(n));
    TmRfft fft;
    ASSERT_EQ(tm_rfft_init_f32(n, twiddles.data(), &fft), kTmOk);
    for (const char* name : kSignals) {
      const std::string base =
          "fft_" + std::string(name) + "_" + std::to_string(n);
      const std::vector<float> x = to_float(ref.i16(base));
      const std::vector<double> expected = ref.f64(base);
      ASSERT_EQ(x.size(), static_cast<size_t>(n));
      ASSERT_EQ(expected.size(), static_cast<size_t>(n + 2));
      std::vector<float> out(n + 2);
      tm_rfft_f32(&fft, x.data(), out.data());
      double worst = 0.0;
      for (int32_t i = 0; i < n + 2; ++i) {
        worst = std::max(worst, std::fabs(out[i] - expected[i]) / n);
      }
      EXPECT_LE(worst, 1e-7) << base;
      if (std::getenv("TM_DSP_VERBOSE"))
        std::printf("f32 %s %.3g\n", base.c_str(), worst);
    }
  }
}

// Q15 path. Error budget per output component, in LSB of the Q15 output
// (derivation in docs/features.md): each stage adds at most 0.5 (product
// rounding) + 0.71 (twiddle quantisation, 2 * 23170 * 2^-16) halved, plus
// 0.5 for the halving, and halves what came before while doubling it in the
// sum: e_{l+1} <= e_l + 1.11. Over log2(n) stages (log2(n) - 1 butterfly
// stages and the split), plus 1 for the input shift: 1.11 log2(n) + 1.
// Rounding errors are not all worst case: the RMS bound is 1 LSB.
TEST(DspRfftTest, Q15WithinDerivedErrorBound) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  for (const int32_t n : kLengths) {
    std::vector<int16_t> twiddles(TM_RFFT_TWIDDLE_COUNT(n));
    TmRfft fft;
    ASSERT_EQ(tm_rfft_init_q15(n, twiddles.data(), &fft), kTmOk);
    const double log2n = std::log2(n);
    const double max_bound = 1.11 * log2n + 1.0;
    for (const char* name : kSignals) {
      const std::string base =
          "fft_" + std::string(name) + "_" + std::to_string(n);
      const std::vector<int16_t> x = ref.i16(base);
      const std::vector<double> expected = ref.f64(base);
      std::vector<int16_t> out(n + 2);
      const int32_t s = tm_rfft_q15(&fft, x.data(), out.data());
      EXPECT_EQ(s, tm_block_exponent_q15(x.data(), n));
      const double to_lsb = 32768.0 * std::ldexp(1.0, s) / n;
      double worst = 0.0, sum_sq = 0.0;
      for (int32_t i = 0; i < n + 2; ++i) {
        const double e = out[i] - expected[i] * to_lsb;
        worst = std::max(worst, std::fabs(e));
        sum_sq += e * e;
      }
      const double rms = std::sqrt(sum_sq / (n + 2));
      EXPECT_LE(worst, max_bound) << base;
      EXPECT_LE(rms, 1.0) << base;
      if (std::getenv("TM_DSP_VERBOSE"))
        std::printf("q15 %s max %.3g rms %.3g bound %.3g\n", base.c_str(),
                    worst, rms, max_bound);
    }
  }
}

// Q31 path: the same derivation with Q31 twiddles on int32 data; twiddle
// quantisation adds at most 2^30.5 * 2^-31 * sqrt(2) = 1 LSB per product,
// so e_{l+1} <= e_l + 1.25 and the bound is 1.25 log2(n) + 1 LSB of the
// int32 output, whose full scale is 2^16 times finer than the Q15 path's.
TEST(DspRfftTest, Q31WithinDerivedErrorBound) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  for (const int32_t n : kLengths) {
    std::vector<int32_t> twiddles(TM_RFFT_TWIDDLE_COUNT(n));
    TmRfft fft;
    ASSERT_EQ(tm_rfft_init_q31(n, twiddles.data(), &fft), kTmOk);
    const double max_bound = 1.25 * std::log2(n) + 1.0;
    for (const char* name : kSignals) {
      const std::string base =
          "fft_" + std::string(name) + "_" + std::to_string(n);
      const std::vector<int16_t> x = ref.i16(base);
      const std::vector<double> expected = ref.f64(base);
      const std::vector<int32_t> x32(x.begin(), x.end());
      std::vector<int32_t> out(n + 2);
      const int32_t s = tm_rfft_q31(&fft, x32.data(), out.data());
      const double to_lsb = 32768.0 * std::ldexp(1.0, s) / n;
      double worst = 0.0, sum_sq = 0.0;
      for (int32_t i = 0; i < n + 2; ++i) {
        const double e = out[i] - expected[i] * to_lsb;
        worst = std::max(worst, std::fabs(e));
        sum_sq += e * e;
      }
      const double rms = std::sqrt(sum_sq / (n + 2));
      EXPECT_LE(worst, max_bound) << base;
      EXPECT_LE(rms, 1.0) << base;
      if (std::getenv("TM_DSP_VERBOSE")) {
        std::printf("q31 %s s %d max %.3g rms %.3g bound %.3g\n", base.c_str(),
                    s, worst, rms, max_bound);
      }
    }
  }
}

// The block exponent puts every frame's peak in [2^13, 2^14).
TEST(DspRfftTest, BlockExponentNormalisesThePeak) {
  int16_t x[64] = {};
  EXPECT_EQ(tm_block_exponent_q15(x, 64), 0);  // silence
  x[5] = 1;
  EXPECT_EQ(tm_block_exponent_q15(x, 64), 13);
  x[9] = -32768;
  EXPECT_EQ(tm_block_exponent_q15(x, 64), -2);
  x[9] = 16384;
  EXPECT_EQ(tm_block_exponent_q15(x, 64), -1);
  x[9] = 16383;
  EXPECT_EQ(tm_block_exponent_q15(x, 64), 0);
  x[9] = 8191;
  EXPECT_EQ(tm_block_exponent_q15(x, 64), 1);
  x[9] = -8192;
  EXPECT_EQ(tm_block_exponent_q15(x, 64), 0);
}

// Parseval: sum x^2 = (|X_0|^2 + 2 sum_{0<k<n/2} |X_k|^2 + |X_{n/2}|^2) / n.
double parseval_ratio(const std::vector<double>& x,
                      const std::vector<double>& spectrum) {
  const size_t n = x.size();
  double time = 0.0, freq = 0.0;
  for (double v : x) time += v * v;
  for (size_t k = 0; k <= n / 2; ++k) {
    const double p = spectrum[2 * k] * spectrum[2 * k] +
                     spectrum[2 * k + 1] * spectrum[2 * k + 1];
    freq += (k == 0 || k == n / 2) ? p : 2.0 * p;
  }
  return freq / n / time;
}

TEST(DspRfftTest, ParsevalHoldsOnBothPaths) {
  const int32_t n = 1024;
  std::vector<int16_t> x(n);
  uint32_t state = 12345;  // LCG noise: an oracle-free signal
  for (auto& v : x) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<int16_t>(static_cast<int32_t>(state >> 16) - 32768);
  }
  std::vector<double> xd(n);
  for (int32_t i = 0; i < n; ++i) xd[i] = x[i];

  std::vector<float> tf(TM_RFFT_TWIDDLE_COUNT(n)), xf(n), of(n + 2);
  TmRfft ff;
  ASSERT_EQ(tm_rfft_init_f32(n, tf.data(), &ff), kTmOk);
  for (int32_t i = 0; i < n; ++i) xf[i] = x[i];
  tm_rfft_f32(&ff, xf.data(), of.data());
  EXPECT_NEAR(parseval_ratio(xd, std::vector<double>(of.begin(), of.end())),
              1.0, 1e-5);

  std::vector<int16_t> tq(TM_RFFT_TWIDDLE_COUNT(n)), oq(n + 2);
  TmRfft fq;
  ASSERT_EQ(tm_rfft_init_q15(n, tq.data(), &fq), kTmOk);
  const int32_t s = tm_rfft_q15(&fq, x.data(), oq.data());
  std::vector<double> scaled(n + 2);
  for (int32_t i = 0; i < n + 2; ++i) scaled[i] = oq[i] * std::ldexp(n, -s);
  // White noise at full scale: bins hold about 2^14 / sqrt(n) * sqrt(2) ~
  // 700 LSB against RMS noise below 1 LSB, so energy agrees within 1e-3.
  EXPECT_NEAR(parseval_ratio(xd, scaled), 1.0, 1e-3);
}

TEST(DspRfftTest, RejectsLengthsOutsidePowersOfTwo64To2048) {
  std::vector<float> tf(4096);
  std::vector<int16_t> tq(4096);
  TmRfft fft;
  std::vector<int32_t> tl(4096);
  for (const int32_t n : {0, -64, 32, 100, 4096, 96}) {
    EXPECT_EQ(tm_rfft_init_f32(n, tf.data(), &fft), kTmErrorBadArgument) << n;
    EXPECT_EQ(tm_rfft_init_q15(n, tq.data(), &fft), kTmErrorBadArgument) << n;
    EXPECT_EQ(tm_rfft_init_q31(n, tl.data(), &fft), kTmErrorBadArgument) << n;
  }
  EXPECT_EQ(tm_rfft_init_f32(64, nullptr, &fft), kTmErrorBadArgument);
  EXPECT_EQ(tm_rfft_init_q15(64, tq.data(), nullptr), kTmErrorBadArgument);
}

}  // namespace
}  // namespace tierml
