// `tierml profile --features RECIPE`: builds a firmware that runs one
// recipe's fixed-point feature pipeline (runtime/dsp, what a device runs)
// over one window of a synthetic signal, runs it under QEMU on an emulated
// board and measures flash, RAM and executed instructions per window, per
// frame and per stage, after checking the device's feature bytes against
// the host's run of the same code on the same samples.
//
// Measured as a model's profile (profiler.h, profile_run.h): the window is
// one measured call (the peak gain, when the recipe scales to the peak, and
// every frame's tm_features_s8). Stages come from a second build whose stage
// functions are wrapped by timing code (targets/common/
// profile_feature_stages.cc); the window's figures from the first, without
// wrappers.
#ifndef TIERML_TARGET_FEATURE_PROFILER_H_
#define TIERML_TARGET_FEATURE_PROFILER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "target/board.h"
#include "target/profile_run.h"
#include "target/size_report.h"

namespace tierml::target {

struct FeatureProfileOptions : BoardRunOptions {
  std::string recipe;  // a name find_feature_recipe knows: kws, ad
};

struct StageProfile {
  std::string name;           // "fft", "spectrum", "mel_log", "dct", "other"
  uint64_t instructions = 0;  // over the window's frames
};

struct FeatureProfileResult {
  Board board;
  std::string recipe;
  std::string opt;
  int32_t window_samples = 0;
  int32_t frames = 0;
  int32_t values_per_frame = 0;
  uint64_t instructions = 0;  // one window
  uint64_t peak_gain = 0;     // of which the peak scan (0 without)
  // Per frame, the stages summed over the window's frames, beyond an empty
  // function's wrapper; "other" is the rest of the frames (window
  // multiply, zero padding, requantisation to int8, calls).
  std::vector<StageProfile> stages;
  uint64_t stage_wrapper = 0;  // the wrapper's own cost, subtracted
  size_t table_bytes = 0;      // the frontend's tables (in static data)
  size_t scratch_bytes = 0;    // its per-frame scratch (in static data)
  FlashBytes flash;
  RamBytes ram;
  std::map<std::string, uint64_t> code_by_origin;
  bool output_matches_host = false;
  size_t output_bytes = 0;
  size_t mismatched_bytes = 0;
  std::vector<uint8_t> device_output;
  std::string build_dir;  // kept only with keep_build
};

// As profile_model (profiler.h); invalid_argument for an unknown recipe.
Expected<FeatureProfileResult> profile_features(
    const FeatureProfileOptions& options);

}  // namespace tierml::target

#endif  // TIERML_TARGET_FEATURE_PROFILER_H_
