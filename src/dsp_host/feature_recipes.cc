#include "dsp_host/feature_recipes.h"

#include <algorithm>

#include "dsp/recipes.h"

namespace tierml::dsp_host {
namespace {

// Window lengths: KWS takes 1 s at 16 kHz; AD stacks 5 frames of 1024
// samples at a hop of 512 (docs/features.md).
const std::vector<FeatureRecipe>& recipes() {
  static const std::vector<FeatureRecipe> kRecipes = {
      {"kws", tm_features_spec_mlperf_kws, "tm_features_spec_mlperf_kws", 16000,
       true, true},
      {"ad", tm_features_spec_mlperf_ad, "tm_features_spec_mlperf_ad",
       1024 + 4 * 512, false, false},
  };
  return kRecipes;
}

}  // namespace

TmFeatureSpec FeatureRecipe::spec() const {
  TmFeatureSpec spec;
  fill_spec(&spec);
  return spec;
}

Expected<FeatureRecipe> find_feature_recipe(const std::string& name) {
  std::string known;
  for (const FeatureRecipe& recipe : recipes()) {
    if (recipe.name == name) return recipe;
    known += (known.empty() ? "" : " or ") + recipe.name;
  }
  return invalid_argument("unknown recipe '" + name + "' (" + known + ")");
}

Expected<std::unique_ptr<HostFrontend>> set_up_frontend(
    const TmFeatureSpec& spec, int32_t path) {
  auto frontend = std::make_unique<HostFrontend>();
  HostFrontend& f = *frontend;
  if (tm_features_sizes(&spec, path, &f.table_bytes, &f.scratch_bytes) !=
      kTmOk) {
    return invalid_argument("the recipe's feature spec is invalid");
  }
  f.tables.resize(f.table_bytes / 8 + 1);
  f.scratch.resize(f.scratch_bytes / 8 + 1);
  if (tm_features_init(&spec, path, f.tables.data(), f.table_bytes,
                       &f.features) != kTmOk) {
    return invalid_argument("cannot set up the feature frontend");
  }
  return frontend;
}

float float_input_scale(const FeatureRecipe& recipe,
                        std::span<const int16_t> samples) {
  int32_t peak = 0;
  if (recipe.peak_gain) {
    for (int16_t v : samples) peak = std::max<int32_t>(peak, v);
  }
  return peak > 0 ? 1.0f / static_cast<float>(peak) : 1.0f / 32768.0f;
}

Expected<FixedFeatures> fixed_features(const FeatureRecipe& recipe,
                                       const std::vector<int16_t>& samples) {
  const TmFeatureSpec spec = recipe.spec();
  const int32_t count = static_cast<int32_t>(samples.size());
  FixedFeatures out;
  out.frames = tm_features_num_frames(&spec, count);
  if (out.frames == 0) {
    return invalid_argument(std::to_string(samples.size()) +
                            " samples, shorter than one frame (" +
                            std::to_string(spec.frame_length) + ")");
  }
  auto frontend = set_up_frontend(spec, kTmFeaturesFixed);
  if (!frontend) return frontend.status();
  HostFrontend& f = **frontend;
  out.per_frame = f.features.num_outputs;
  out.table_bytes = f.table_bytes;
  out.scratch_bytes = f.scratch_bytes;
  const int32_t gain =
      recipe.peak_gain ? tm_peak_gain_log2_q16(samples.data(), count) : 0;
  out.values.resize(static_cast<size_t>(out.frames) * out.per_frame);
  for (int32_t t = 0; t < out.frames; ++t) {
    tm_features_s8(&f.features, samples.data() + t * spec.frame_stride, gain,
                   out.values.data() + t * out.per_frame, f.scratch.data());
  }
  return out;
}

}  // namespace tierml::dsp_host
