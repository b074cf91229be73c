// The simulator's sensor windows: model inputs of synthetic quiet windows,
// tone bursts (events) and noise bursts (decoys), computed once with the
// trigger pipeline's feature frontend so that every simulated device can
// draw from them without running the FFTs itself.
#ifndef TIERML_HYBRID_WINDOW_LIBRARY_H_
#define TIERML_HYBRID_WINDOW_LIBRARY_H_

#include <array>
#include <cstdint>
#include <vector>

#include "common/status.h"
#include "hybrid/trigger_pipeline.h"

namespace tierml::hybrid {

enum WindowClass { kQuietWindow = 0, kEventWindow = 1, kDecoyWindow = 2 };

// Per class, per_class model inputs; burst gains spread evenly from
// min_gain to 1 (quiet bursts may not trigger).
using WindowLibrary = std::array<std::vector<std::vector<uint8_t>>, 3>;

Expected<WindowLibrary> build_window_library(TriggerPipeline& pipeline,
                                             uint32_t seed, double min_gain,
                                             int per_class);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_WINDOW_LIBRARY_H_
