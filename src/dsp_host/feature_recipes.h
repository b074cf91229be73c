// The feature recipes by the names the CLI takes (`tierml features
// --recipe`, `tierml profile --features`): the specs of runtime/dsp/recipes.h
// plus what a caller needs to feed one model input, and the fixed-point
// frontend run on the host exactly as a device runs it.
#ifndef TIERML_DSP_HOST_FEATURE_RECIPES_H_
#define TIERML_DSP_HOST_FEATURE_RECIPES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "dsp/features.h"

namespace tierml::dsp_host {

struct FeatureRecipe {
  std::string name;                   // "kws"
  void (*fill_spec)(TmFeatureSpec*);  // from runtime/dsp/recipes.h
  std::string spec_function;  // its C name, for generated firmware sources
  // Samples of one model input: the 1 s clip of KWS, the five frames of
  // AD's 640-value input.
  int32_t window_samples = 0;
  bool pad_to_window = false;  // a clip is padded or cut to one window (KWS)
  bool peak_gain = false;      // the clip is scaled to its peak (KWS)
  TmFeatureSpec spec() const;
};

// invalid_argument naming the known recipes when name is not one.
Expected<FeatureRecipe> find_feature_recipe(const std::string& name);

// A frontend set up on the host, owning its tables and scratch (behind a
// pointer: the frontend points into them).
struct HostFrontend {
  TmFeatures features = {};
  std::vector<uint64_t> tables, scratch;
  size_t table_bytes = 0, scratch_bytes = 0;
};

// path is a TmFeaturePath; invalid_argument for a spec the frontend rejects.
Expected<std::unique_ptr<HostFrontend>> set_up_frontend(
    const TmFeatureSpec& spec, int32_t path);

struct FixedFeatures {
  std::vector<int8_t> values;  // frame after frame
  int32_t frames = 0;
  int32_t per_frame = 0;
  size_t table_bytes = 0, scratch_bytes = 0;
};

// The float path's scale for these samples: 1 / peak when the recipe scales
// each clip to its peak (KWS), else full scale, 1 / 32768.
float float_input_scale(const FeatureRecipe& recipe,
                        std::span<const int16_t> samples);

// The int8 features of every whole frame of samples, with the clip's peak
// gain when the recipe asks for it: what a device computes for that clip.
// invalid_argument when the samples are shorter than one frame.
Expected<FixedFeatures> fixed_features(const FeatureRecipe& recipe,
                                       const std::vector<int16_t>& samples);

}  // namespace tierml::dsp_host

#endif  // TIERML_DSP_HOST_FEATURE_RECIPES_H_
