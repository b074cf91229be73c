// The device's continuous loop, one window at a time: the on-device feature
// frontend (runtime/dsp, the recipe's spec and tables) turns samples into
// the trigger model's input, and the host interpreter (the MCU's interpreter
// code) gives a score.
//
// A window spans the frames the model takes (its input elements divided by
// the recipe's values per frame); windows follow each other without overlap
// of frames: hop = frames * frame stride. An INT8 model input is fed by the
// fixed-point path (the recipe's quantisation must match the input's), a
// FLOAT32 one by the float path.
#ifndef TIERML_HYBRID_TRIGGER_PIPELINE_H_
#define TIERML_HYBRID_TRIGGER_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "dsp/features.h"
#include "dsp_host/feature_recipes.h"
#include "hybrid/event.h"
#include "runtime_host/host_interpreter.h"

namespace tierml::hybrid {

class TriggerPipeline {
 public:
  // recipe: kws or ad. invalid_argument when the model's input cannot take
  // the recipe's features (naming both), model errors as the reader gives.
  static Expected<std::unique_ptr<TriggerPipeline>> create(
      const std::string& model_path, const std::string& recipe);

  int32_t sample_rate() const { return spec_.sample_rate; }
  int32_t window_samples() const { return window_samples_; }
  int32_t hop_samples() const { return hop_samples_; }
  // Runs features and the model on window_samples() samples; the score is
  // the model's last output value (the positive class), dequantised.
  Expected<float> score(std::span<const int16_t> window);
  // The model alone on a ready input (input_bytes() of an earlier score()):
  // the fleet simulator computes features once per synthetic window.
  Expected<float> score_input(std::span<const uint8_t> input);
  // The model input computed by the last score() call.
  std::span<const uint8_t> input_bytes() const { return input_; }
  const EventWindow& input_description() const { return description_; }

  int64_t macs() const { return macs_; }
  const std::string& model_version() const { return model_version_; }
  const std::string& recipe() const { return recipe_.name; }

 private:
  TriggerPipeline() = default;

  dsp_host::FeatureRecipe recipe_;
  TmFeatureSpec spec_{};
  std::unique_ptr<dsp_host::HostFrontend> frontend_;
  int32_t frames_ = 0, per_frame_ = 0;
  int32_t window_samples_ = 0, hop_samples_ = 0;
  bool fixed_ = true;
  std::unique_ptr<HostInterpreter> interpreter_;
  std::vector<uint8_t> input_;
  std::vector<float> frame_f32_;
  EventWindow description_;
  int64_t macs_ = 0;
  std::string model_version_;
};

// "fnv1a64:<16 hex digits>" of a file's bytes: names a model version in
// events without a registry.
Expected<std::string> file_fingerprint(const std::string& path);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_TRIGGER_PIPELINE_H_
