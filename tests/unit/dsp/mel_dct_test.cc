#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "dsp/dct.h"
#include "dsp/mel.h"
#include "unit/dsp/dsp_reference.h"

namespace tierml {
namespace {

TmMelSpec kws_spec() {
  // tf.signal.linear_to_mel_weight_matrix(40, 257, 16000, 20, 4000).
  return TmMelSpec{16000, 512, 40, 20.0f, 4000.0f, kTmMelHtk, 1, 0};
}
TmMelSpec ad_spec() {
  // librosa.filters.mel(sr=16000, n_fft=1024, n_mels=128).
  return TmMelSpec{16000, 1024, 128, 0.0f, 8000.0f, kTmMelSlaney, 0, 1};
}

// Dense bands x bins matrix out of the sparse tables.
std::vector<double> dense(const TmMelFilterbank& fb, bool q15) {
  std::vector<double> m(static_cast<size_t>(fb.num_bands) * fb.num_bins, 0.0);
  int32_t at = 0;
  for (int32_t b = 0; b < fb.num_bands; ++b) {
    for (int32_t i = 0; i < fb.bin_count[b]; ++i, ++at) {
      const double w =
          q15 ? fb.weights_q15[at] * std::exp2(fb.band_log2_q16[b] / 65536.0)
              : fb.weights[at];
      m[static_cast<size_t>(b) * fb.num_bins + fb.first_bin[b] + i] = w;
    }
  }
  return m;
}

void expect_filterbank(const testing::DspReference& ref,
                       const std::string& name, const TmMelSpec& spec) {
  const std::vector<double> expected = ref.f64("mel_" + name);
  const int32_t max_weights = TM_MEL_MAX_WEIGHTS(spec.fft_length);
  std::vector<int32_t> first(spec.num_bands), count(spec.num_bands),
      band_log2(spec.num_bands);
  std::vector<float> wf(max_weights);
  std::vector<int16_t> wq(max_weights);
  TmMelFilterbank fb;
  ASSERT_EQ(tm_mel_init_f32(&spec, first.data(), count.data(), wf.data(), &fb),
            kTmOk);
  const std::vector<double> f = dense(fb, false);
  ASSERT_EQ(f.size(), expected.size());
  double peak = 0.0;
  for (double v : expected) peak = std::max(peak, v);
  for (size_t i = 0; i < f.size(); ++i) {
    // Float tables: the double weight rounded to float.
    ASSERT_NEAR(f[i], expected[i], 1e-7 * peak) << name << " " << i;
  }
  ASSERT_EQ(tm_mel_init_q15(&spec, first.data(), count.data(), wq.data(),
                            band_log2.data(), &fb),
            kTmOk);
  const std::vector<double> q = dense(fb, true);
  std::vector<double> band_peak(spec.num_bands, 0.0);
  for (size_t i = 0; i < q.size(); ++i) {
    double& p = band_peak[i / fb.num_bins];
    p = std::max(p, expected[i]);
  }
  for (size_t i = 0; i < q.size(); ++i) {
    // Q15 weights are relative to the band's peak: half a unit in 32767 of
    // it, plus the Q16 rounding of log2(peak) (2^(0.5/65536) - 1 = 5.3e-6).
    ASSERT_NEAR(q[i], expected[i],
                band_peak[i / fb.num_bins] * (0.5 / 32767 + 6e-6))
        << name << " " << i;
  }
}

TEST(DspMelTest, TfStyleFilterbankMatchesTextbookFormula) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  expect_filterbank(ref, "kws", kws_spec());
}

TEST(DspMelTest, LibrosaStyleFilterbankMatchesTextbookFormula) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  expect_filterbank(ref, "ad", ad_spec());
}

TEST(DspMelTest, RejectsBadSpecs) {
  std::vector<int32_t> a(2048), b(2048), l(2048);
  std::vector<float> w(4096);
  TmMelFilterbank fb;
  TmMelSpec s = kws_spec();
  s.upper_hz = 9000.0f;  // above Nyquist
  EXPECT_EQ(tm_mel_init_f32(&s, a.data(), b.data(), w.data(), &fb),
            kTmErrorBadArgument);
  s = kws_spec();
  s.lower_hz = 5000.0f;  // empty interval
  EXPECT_EQ(tm_mel_init_f32(&s, a.data(), b.data(), w.data(), &fb),
            kTmErrorBadArgument);
  s = kws_spec();
  s.fft_length = 500;
  EXPECT_EQ(tm_mel_init_f32(&s, a.data(), b.data(), w.data(), &fb),
            kTmErrorBadArgument);
  s = kws_spec();
  s.num_bands = 0;
  EXPECT_EQ(tm_mel_init_f32(&s, a.data(), b.data(), w.data(), &fb),
            kTmErrorBadArgument);
  s = kws_spec();
  s.scale = 7;
  EXPECT_EQ(tm_mel_init_f32(&s, a.data(), b.data(), w.data(), &fb),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_mel_init_f32(nullptr, a.data(), b.data(), w.data(), &fb),
            kTmErrorBadArgument);
}

// Against scipy.fft.dct(x, type=2, norm="ortho"); the TF normalisation is
// the same but for c0, sqrt(2) larger.
TEST(DspDctTest, MatchesScipyOrthoAndTfVariant) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  const std::vector<double> x = ref.f64("dct_in");
  const std::vector<double> expected = ref.f64("dct_ortho");
  const int32_t m = static_cast<int32_t>(x.size());
  ASSERT_EQ(m, 40);
  std::vector<float> xf(x.begin(), x.end()), out(m), matrix(m * m);
  for (const TmDctNorm norm : {kTmDctOrtho, kTmDctTf}) {
    TmDct dct;
    ASSERT_EQ(tm_dct_init_f32(m, m, norm, matrix.data(), &dct), kTmOk);
    tm_dct_f32(&dct, xf.data(), out.data());
    for (int32_t k = 0; k < m; ++k) {
      const double e = expected[k] * (k == 0 && norm == kTmDctTf ? M_SQRT2 : 1);
      // Float sums of 40 terms of magnitude ~3 * 0.22: within 1e-5.
      ASSERT_NEAR(out[k], e, 1e-5) << k;
    }
    // Q15: inputs in Q16; matrix entries rounded to 2^-16 (relative 1.5e-4
    // of sqrt(2/40)), so |error| <= sum |x| * 2^-16 + rounding.
    std::vector<int16_t> mq(m * m);
    std::vector<int32_t> xq(m);
    std::vector<int64_t> oq(m);
    double sum_abs = 0.0;
    for (int32_t i = 0; i < m; ++i) {
      xq[i] = static_cast<int32_t>(std::lround(x[i] * 65536.0));
      sum_abs += std::fabs(x[i]);
    }
    ASSERT_EQ(tm_dct_init_q15(m, m, norm, mq.data(), &dct), kTmOk);
    tm_dct_q15(&dct, xq.data(), oq.data());
    for (int32_t k = 0; k < m; ++k) {
      const double e = expected[k] * (k == 0 && norm == kTmDctTf ? M_SQRT2 : 1);
      ASSERT_NEAR(oq[k] / 65536.0, e, sum_abs / 65536.0 + 1e-4) << k;
    }
  }
}

TEST(DspDctTest, RejectsBadSizes) {
  float f[16];
  int16_t q[16];
  TmDct dct;
  EXPECT_EQ(tm_dct_init_f32(1, 1, kTmDctOrtho, f, &dct), kTmErrorBadArgument);
  EXPECT_EQ(tm_dct_init_f32(4, 5, kTmDctOrtho, f, &dct), kTmErrorBadArgument);
  EXPECT_EQ(tm_dct_init_q15(4, 0, kTmDctTf, q, &dct), kTmErrorBadArgument);
  EXPECT_EQ(tm_dct_init_q15(4, 2, 3, q, &dct), kTmErrorBadArgument);
}

}  // namespace
}  // namespace tierml
