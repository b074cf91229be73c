// tierml profile --features RECIPE: the report of a feature pipeline's
// profile (src/target/feature_profiler.h).
#ifndef TIERML_TOOLS_PROFILE_FEATURES_H_
#define TIERML_TOOLS_PROFILE_FEATURES_H_

#include <string>

#include "target/feature_profiler.h"

namespace tierml::cli {

// Profiles and prints (as JSON with json); output_path, when given, gets the
// device's feature bytes. The exit code as for a model's profile.
int profile_features(target::FeatureProfileOptions& options,
                     const std::string& output_path, bool json);

}  // namespace tierml::cli

#endif  // TIERML_TOOLS_PROFILE_FEATURES_H_
