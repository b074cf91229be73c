// The generated part of the feature pipeline's profiling firmware for one
// recipe: features.c, which names the recipe's spec function and sizes the
// window, tables, scratch and output buffers
// (targets/common/features_firmware.h) by the host's figures.
#ifndef TIERML_TARGET_FEATURE_SOURCES_H_
#define TIERML_TARGET_FEATURE_SOURCES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "dsp_host/feature_recipes.h"

namespace tierml::target {

// The stage functions the second build wraps (-Wl,--wrap=NAME), in the
// order a frame calls them after the peak gain
// (targets/common/profile_feature_stages.cc).
inline constexpr const char* kPeakGainStage = "tm_peak_gain_log2_q16";
struct FeatureStage {
  const char* function;  // "tm_rfft_q31"
  const char* name;      // "fft", as reports name it
};
const std::vector<FeatureStage>& feature_frame_stages();

// invalid_argument when the recipe's spec is rejected.
Expected<std::string> features_source(const dsp_host::FeatureRecipe& recipe);

}  // namespace tierml::target

#endif  // TIERML_TARGET_FEATURE_SOURCES_H_
