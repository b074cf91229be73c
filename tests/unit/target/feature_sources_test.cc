// The generated part of the feature profiling firmware, and the counting
// the feature profile adds to the firmware's readings.
#include "target/feature_sources.h"

#include <gtest/gtest.h>

#include "target/firmware_output.h"
#include "target/profile_run.h"

namespace tierml::target {
namespace {

TEST(FeaturesSource, NamesTheSpecAndSizesTheBuffers) {
  auto kws = dsp_host::find_feature_recipe("kws");
  ASSERT_TRUE(kws);
  auto source = features_source(*kws);
  ASSERT_TRUE(source) << source.status().message();
  const TmFeatureSpec spec = kws->spec();
  size_t tables = 0, scratch = 0;
  ASSERT_EQ(tm_features_sizes(&spec, kTmFeaturesFixed, &tables, &scratch),
            kTmOk);
  for (const std::string& expected :
       {std::string("tm_features_spec_mlperf_kws(spec);"),
        std::string("const int tm_peak_gain = 1;"),
        std::string("int16_t tm_samples[16000];"),
        "const size_t tm_table_bytes = " + std::to_string(tables) + ";",
        "const size_t tm_scratch_bytes = " + std::to_string(scratch) + ";",
        std::string("int8_t tm_features[490];")}) {
    EXPECT_NE(source->find(expected), std::string::npos) << expected;
  }
}

TEST(FeatureStages, TheFrameCallsInOrder) {
  std::vector<std::string> names;
  for (const FeatureStage& stage : feature_frame_stages()) {
    names.push_back(stage.name);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"fft", "spectrum", "mel_log", "dct"}));
}

TEST(InstructionsBetween, ExactAcrossACounterWrap) {
  // At 25 MHz a reading of t ticks names instruction ceil(t * 5 / 16).
  EXPECT_EQ(instructions_between({147, 150}, 25000000), 1u);
  EXPECT_EQ(instructions_between({0xFFFFFFF0u, 0x10u}, 25000000),
            (uint64_t{0x100000010} * 5 + 15) / 16 -
                (uint64_t{0xFFFFFFF0} * 5 + 15) / 16);
}

TEST(CountInstructions, NoCalibrationNeededWithoutLayers) {
  auto report = parse_firmware_output("inference 100 0 420 0\nstack 8\ndone\n");
  ASSERT_TRUE(report);
  auto counts = count_instructions(*report, 25000000);
  ASSERT_TRUE(counts) << counts.status().message();
  EXPECT_EQ(counts->inference, 132u - 32u);
}

TEST(OriginGroup, DspCode) {
  EXPECT_EQ(origin_group("/c/libtierml_runtime.a(runtime_dsp_rfft.cc.o)"),
            "dsp");
  EXPECT_EQ(origin_group("/c/libtierml_runtime.a(runtime_kernels_conv.cc.o)"),
            "kernels");
}

TEST(MismatchedBytes, CountsDifferencesAndLength) {
  EXPECT_EQ(mismatched_bytes({1, 2, 3}, {1, 2, 3}), 0u);
  EXPECT_EQ(mismatched_bytes({1, 9, 3}, {1, 2, 3, 4}), 2u);
}

}  // namespace
}  // namespace tierml::target
