// The profiling firmware of a feature pipeline: runs one recipe's
// fixed-point frontend (runtime/dsp, the path a device runs) over one window
// of samples on the emulated board and reports, over semihosting, the same
// lines as the model firmwares: the measured call is the whole window (the
// peak gain, when the recipe scales to the peak, and every frame), its
// features go to output.bin.
//
// Linked once as it is, for the window's figures, and once more with
// profile_feature_stages.cc and --wrap around each stage's function, whose
// wrappers print a "layer" line per call; that run's window figure is not
// used.
#include "features_firmware.h"
#include "profile_support.h"

namespace {

using tierml::firmware::Line;
using tierml::firmware::Span;

TmFeatures g_features;
int32_t g_frames;

Span samples_at(int) {
  return {tm_samples, static_cast<size_t>(tm_window_samples) * 2};
}

Span features_at(int) { return {tm_features, tm_feature_bytes}; }

int run_window() {
  const int32_t gain =
      tm_peak_gain ? tm_peak_gain_log2_q16(tm_samples, tm_window_samples) : 0;
  const int32_t stride = g_features.spec.frame_stride;
  for (int32_t t = 0; t < g_frames; ++t) {
    tm_features_s8(&g_features, tm_samples + t * stride, gain,
                   tm_features + t * g_features.num_outputs, tm_scratch);
  }
  return 0;
}

}  // namespace

extern "C" __attribute__((weak)) void tm_feature_stages_calibrate(void) {}

int main() {
  TmFeatureSpec spec;
  tm_profiled_spec(&spec);
  size_t table_bytes = 0, scratch_bytes = 0;
  if (tm_features_sizes(&spec, kTmFeaturesFixed, &table_bytes,
                        &scratch_bytes) != kTmOk ||
      tm_features_init(&spec, kTmFeaturesFixed, tm_tables, tm_table_bytes,
                       &g_features) != kTmOk) {
    Line("error").text(" the recipe's frontend cannot be set up");
    return TM_EXIT_INIT_FAILED;
  }
  g_frames = tm_features_num_frames(&spec, tm_window_samples);
  if (table_bytes != tm_table_bytes || scratch_bytes != tm_scratch_bytes ||
      static_cast<size_t>(g_frames * g_features.num_outputs) !=
          tm_feature_bytes) {
    Line("error")
        .text(
            " the device's table, scratch or feature bytes differ from "
            "the host's:")
        .number(static_cast<uint32_t>(table_bytes))
        .number(static_cast<uint32_t>(scratch_bytes))
        .number(static_cast<uint32_t>(g_frames * g_features.num_outputs));
    return TM_EXIT_INIT_FAILED;
  }
  int code = tierml::firmware::load_inputs(1, samples_at);
  if (code != TM_EXIT_OK) return code;

  tierml::firmware::timed(run_window);
  code = tierml::firmware::report_timed(1, features_at);
  if (code != TM_EXIT_OK) return code;
  tm_feature_stages_calibrate();
  Line("done");
  return TM_EXIT_OK;
}
