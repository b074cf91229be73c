#include "target/feature_sources.h"

namespace tierml::target {

const std::vector<FeatureStage>& feature_frame_stages() {
  static const std::vector<FeatureStage> kStages = {
      {"tm_rfft_q31", "fft"},
      {"tm_spectrum_q31", "spectrum"},
      {"tm_mel_log2_q16", "mel_log"},
      {"tm_dct_q15", "dct"}};
  return kStages;
}

Expected<std::string> features_source(const dsp_host::FeatureRecipe& recipe) {
  const TmFeatureSpec spec = recipe.spec();
  size_t table_bytes = 0, scratch_bytes = 0;
  if (tm_features_sizes(&spec, kTmFeaturesFixed, &table_bytes,
                        &scratch_bytes) != kTmOk) {
    return invalid_argument("the recipe's feature spec is invalid");
  }
  const int32_t frames = tm_features_num_frames(&spec, recipe.window_samples);
  const int32_t per_frame =
      spec.num_mfcc > 0 ? spec.num_mfcc : spec.num_mel_bands;
  const std::string window = std::to_string(recipe.window_samples);
  const std::string features = std::to_string(frames * per_frame);
  // Buffers of uint64_t: the frontend wants 8-byte aligned tables and
  // scratch.
  return "/* The " + recipe.name +
         " recipe's buffers for the feature profiling firmware. */\n"
         "#include \"dsp/recipes.h\"\n"
         "#include \"features_firmware.h\"\n\n"
         "void tm_profiled_spec(TmFeatureSpec* spec) { " +
         recipe.spec_function + "(spec); }\n" +
         "const int tm_peak_gain = " + (recipe.peak_gain ? "1" : "0") +
         ";\n\n"
         "int16_t tm_samples[" +
         window + "];\nconst int32_t tm_window_samples = " + window +
         ";\nuint64_t tm_tables[" + std::to_string((table_bytes + 7) / 8) +
         "];\nconst size_t tm_table_bytes = " + std::to_string(table_bytes) +
         ";\nuint64_t tm_scratch[" + std::to_string((scratch_bytes + 7) / 8) +
         "];\nconst size_t tm_scratch_bytes = " +
         std::to_string(scratch_bytes) + ";\nint8_t tm_features[" + features +
         "];\nconst size_t tm_feature_bytes = " + features + ";\n";
}

}  // namespace tierml::target
