#include "dsp/features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dsp/fixed_math.h"
#include "dsp/recipes.h"
#include "unit/dsp/dsp_reference.h"

namespace tierml {
namespace {

// The recipes of docs/features.md (runtime/dsp/recipes.h), checked here
// against NumPy re-implementations of the two MLPerf Tiny pipelines.
TmFeatureSpec kws_spec() {
  TmFeatureSpec s;
  tm_features_spec_mlperf_kws(&s);
  return s;
}

TmFeatureSpec ad_spec() {
  TmFeatureSpec s;
  tm_features_spec_mlperf_ad(&s);
  return s;
}

// Owns the tables and scratch of one initialised frontend.
struct Frontend {
  TmFeatures f;
  std::vector<uint64_t> tables, scratch;  // uint64_t: 8-byte alignment
  Frontend(const TmFeatureSpec& spec, TmFeaturePath path) {
    size_t table_bytes = 0, scratch_bytes = 0;
    EXPECT_EQ(tm_features_sizes(&spec, path, &table_bytes, &scratch_bytes),
              kTmOk);
    tables.resize(table_bytes / 8 + 1);
    scratch.resize(scratch_bytes / 8 + 1);
    EXPECT_EQ(tm_features_init(&spec, path, tables.data(), table_bytes, &f),
              kTmOk);
  }
};

struct Comparison {
  double max_float_error = 0.0;
  double max_fixed_error = 0.0;  // fixed path before quantisation
  int max_q_diff = 0;
  int q_diffs = 0;
  int count = 0;
};

// Runs both paths over every frame of clip and compares them with the
// reference values (float) and their int8 quantisation.
Comparison run(const TmFeatureSpec& spec, const std::vector<int16_t>& clip,
               const std::vector<double>& expected,
               const std::vector<double>& expected_q, bool peak_normalise) {
  Frontend fl(spec, kTmFeaturesFloat), fx(spec, kTmFeaturesFixed);
  const int32_t frames =
      tm_features_num_frames(&spec, static_cast<int32_t>(clip.size()));
  const int32_t outputs = fl.f.num_outputs;
  EXPECT_EQ(static_cast<size_t>(frames) * outputs, expected.size());
  // The float path takes full-scale samples; KWS divides by the clip's max.
  int32_t peak = 0;
  for (int16_t v : clip) peak = std::max<int32_t>(peak, v);
  const float scale = peak_normalise ? 1.0f / peak : 1.0f / 32768.0f;
  const int32_t gain = peak_normalise
                           ? tm_peak_gain_log2_q16(
                                 clip.data(), static_cast<int32_t>(clip.size()))
                           : 0;
  Comparison c;
  std::vector<float> frame(spec.frame_length), out(outputs);
  std::vector<int8_t> q(outputs);
  std::vector<int32_t> log2_values(outputs);
  const double log2_unit =
      (spec.log_type == kTmLogNatural ? std::log(2.0)
                                      : 10.0 * std::log10(2.0)) /
      65536.0;
  for (int32_t t = 0; t < frames && expected.size() >= size_t(frames) * outputs;
       ++t) {
    const int16_t* samples = clip.data() + t * spec.frame_stride;
    for (int32_t i = 0; i < spec.frame_length; ++i) {
      frame[i] = samples[i] * scale;
    }
    tm_features_f32(&fl.f, frame.data(), out.data(), fl.scratch.data());
    for (int32_t i = 0; i < outputs; ++i) {
      c.max_float_error = std::max(
          c.max_float_error, std::fabs(out[i] - expected[t * outputs + i]));
    }
    tm_features_log2_q16(&fx.f, samples, gain, log2_values.data(),
                         fx.scratch.data());
    for (int32_t i = 0; i < outputs; ++i) {
      c.max_fixed_error = std::max(
          c.max_fixed_error,
          std::fabs(log2_values[i] * log2_unit - expected[t * outputs + i]));
    }
    tm_features_s8(&fx.f, samples, gain, q.data(), fx.scratch.data());
    for (int32_t i = 0; i < outputs; ++i) {
      const int d =
          std::abs(q[i] - static_cast<int>(expected_q[t * outputs + i]));
      c.max_q_diff = std::max(c.max_q_diff, d);
      c.q_diffs += d != 0;
      ++c.count;
    }
  }
  if (std::getenv("TM_DSP_VERBOSE")) {
    std::printf(
        "float max err %.3g, fixed max err %.3g, int8 max diff %d, %d of %d "
        "differ\n",
        c.max_float_error, c.max_fixed_error, c.max_q_diff, c.q_diffs, c.count);
  }
  return c;
}

TEST(DspFeaturesTest, KwsMfccMatchesNumpyPipeline) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  const std::vector<int16_t> clip = ref.i16("kws_clip");
  ASSERT_EQ(clip.size(), 16000u);
  const TmFeatureSpec spec = kws_spec();
  ASSERT_EQ(tm_features_num_frames(&spec, 16000), 49);
  const Comparison c =
      run(spec, clip, ref.f64("kws_mfcc"), ref.f64("kws_mfcc_q"), true);
  EXPECT_EQ(c.count, 49 * 10);
  // Float path: float32 arithmetic against float64; MFCCs span about +-50,
  // so 1e-3 is 1e-5 of their range (measured: 6e-6).
  EXPECT_LE(c.max_float_error, 1e-3);
  // Fixed path, in natural-log units: under 1/25 of the int8 quantum
  // (0.585) (measured: 0.00085). The int8 output can then differ from the
  // reference's by at most 1, and only where the reference lies within
  // 0.02 of a rounding boundary -- a few percent of values at most
  // (measured: none).
  EXPECT_LE(c.max_fixed_error, 0.02);
  EXPECT_LE(c.max_q_diff, 1);
  EXPECT_LE(c.q_diffs, c.count / 25);
}

TEST(DspFeaturesTest, AdLogMelMatchesNumpyPipeline) {
  TM_REQUIRE_DSP_REFERENCE(ref);
  const std::vector<int16_t> clip = ref.i16("ad_clip");
  const TmFeatureSpec spec = ad_spec();
  ASSERT_EQ(tm_features_num_frames(&spec, 3072), 5);
  const Comparison c =
      run(spec, clip, ref.f64("ad_logmel"), ref.f64("ad_logmel_q"), false);
  EXPECT_EQ(c.count, 5 * 128);
  // Decibels spanning about -100..+10: 1e-3 dB (measured: 1e-5).
  EXPECT_LE(c.max_float_error, 1e-3);
  // Fixed path: under 1/8 of the int8 quantum (0.391 dB) (measured: 0.0023
  // dB); int8 as for KWS (measured: no difference).
  EXPECT_LE(c.max_fixed_error, 0.05);
  EXPECT_LE(c.max_q_diff, 1);
  EXPECT_LE(c.q_diffs, c.count / 8);
}

// The fixed path is integer arithmetic: a frame quantised directly and
// through its log2 values must agree with a requantisation computed here in
// double (round half away from zero, TFLite's rule), within one step where
// the double lands on a tie that the fixed-point multiplier rounds
// differently.
TEST(DspFeaturesTest, Int8OutputIsTheRequantisedLog2Output) {
  const TmFeatureSpec spec = kws_spec();
  Frontend fx(spec, kTmFeaturesFixed);
  std::vector<int16_t> frame(spec.frame_length);
  for (int32_t i = 0; i < spec.frame_length; ++i) {
    frame[i] = static_cast<int16_t>(8000.0 * std::sin(0.3 * i) +
                                    1500.0 * std::sin(1.7 * i));
  }
  std::vector<int32_t> log2_values(10);
  std::vector<int8_t> q(10);
  tm_features_log2_q16(&fx.f, frame.data(), 0, log2_values.data(),
                       fx.scratch.data());
  tm_features_s8(&fx.f, frame.data(), 0, q.data(), fx.scratch.data());
  for (int i = 0; i < 10; ++i) {
    const double real = log2_values[i] / 65536.0 * std::log(2.0);
    const double expected = std::clamp(
        std::round(real / spec.output_scale) + spec.output_zero_point, -128.0,
        127.0);
    EXPECT_NEAR(q[i], expected, 1.0) << i;
  }
}

// tm_peak_gain_log2_q16 is log2(32768 / max); a gain of 2^g scales the
// magnitude spectrum by 2^g and the power spectrum by 2^2g, so without a log
// offset it shifts every log-mel value by exactly g or 2g.
TEST(DspFeaturesTest, PeakGainShiftsTheLogByTheSpectrumPower) {
  const int16_t clip[4] = {-30000, 4096, 100, -5};
  EXPECT_EQ(tm_peak_gain_log2_q16(clip, 4), 3 * 65536);  // 32768 / 4096
  const int16_t odd[1] = {3000};
  EXPECT_NEAR(tm_peak_gain_log2_q16(odd, 1),
              std::log2(32768.0 / 3000.0) * 65536.0, 2.0);
  const int16_t silent[2] = {-3, 0};
  EXPECT_EQ(tm_peak_gain_log2_q16(silent, 2), 0);

  for (const TmSpectrumType type : {kTmSpectrumMagnitude, kTmSpectrumPower}) {
    TmFeatureSpec spec = kws_spec();
    spec.num_mfcc = 0;
    spec.log_offset = 0.0f;
    spec.spectrum = type;
    Frontend fx(spec, kTmFeaturesFixed);
    std::vector<int16_t> frame(spec.frame_length);
    for (int32_t i = 0; i < spec.frame_length; ++i) {
      frame[i] = static_cast<int16_t>(2000.0 * std::sin(0.21 * i));
    }
    std::vector<int32_t> plain(40), gained(40);
    const int32_t gain = 12345;
    tm_features_log2_q16(&fx.f, frame.data(), 0, plain.data(),
                         fx.scratch.data());
    tm_features_log2_q16(&fx.f, frame.data(), gain, gained.data(),
                         fx.scratch.data());
    const int32_t expected = type == kTmSpectrumPower ? 2 * gain : gain;
    for (int i = 0; i < 40; ++i) EXPECT_EQ(gained[i] - plain[i], expected);
  }
}

TEST(DspFeaturesTest, RejectsBadSpecsAndBuffers) {
  size_t tables = 0, scratch = 0;
  const TmFeatureSpec good = kws_spec();
  ASSERT_EQ(tm_features_sizes(&good, kTmFeaturesFixed, &tables, &scratch),
            kTmOk);
  const auto bad = [&](auto mutate) {
    TmFeatureSpec s = kws_spec();
    mutate(s);
    size_t t = 0, r = 0;
    return tm_features_sizes(&s, kTmFeaturesFloat, &t, &r) ==
               kTmErrorBadArgument &&
           tm_features_sizes(&s, kTmFeaturesFixed, &t, &r) ==
               kTmErrorBadArgument;
  };
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.frame_length = 513; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.frame_length = 0; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.frame_stride = 0; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.fft_length = 4096; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.fft_length = 500; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.num_mfcc = 41; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.num_mel_bands = 0; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.upper_hz = 8001.0f; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.lower_hz = -1.0f; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.log_offset = -1e-6f; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.log_offset = NAN; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.output_scale = 0.0f; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.output_zero_point = 128; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.window = 5; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.spectrum = 5; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.log_type = 5; }));
  EXPECT_TRUE(bad([](TmFeatureSpec& s) { s.dct_norm = 5; }));
  EXPECT_EQ(tm_features_sizes(nullptr, kTmFeaturesFixed, &tables, &scratch),
            kTmErrorBadArgument);
  EXPECT_EQ(tm_features_sizes(&good, 2, &tables, &scratch),
            kTmErrorBadArgument);

  std::vector<uint64_t> memory(tables / 8 + 2);
  TmFeatures f;
  EXPECT_EQ(
      tm_features_init(&good, kTmFeaturesFixed, memory.data(), tables - 1, &f),
      kTmErrorBadArgument);
  EXPECT_EQ(
      tm_features_init(&good, kTmFeaturesFixed,
                       reinterpret_cast<char*>(memory.data()) + 4, tables, &f),
      kTmErrorBadArgument);
  EXPECT_EQ(
      tm_features_init(&good, kTmFeaturesFixed, memory.data(), tables, &f),
      kTmOk);
  EXPECT_EQ(f.scratch_bytes, scratch);
  EXPECT_EQ(tm_features_num_frames(&good, 479), 0);
  EXPECT_EQ(tm_features_num_frames(&good, 480), 1);
  EXPECT_EQ(tm_features_num_frames(&good, 800), 2);
}

}  // namespace
}  // namespace tierml
