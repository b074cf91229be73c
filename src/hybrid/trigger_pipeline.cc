#include "hybrid/trigger_pipeline.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "model/macs.h"
#include "model/reader.h"
#include "serve/tensor_codec.h"

namespace tierml::hybrid {

Expected<std::string> file_fingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open " + path);
  uint64_t hash = 14695981039346656037ull;
  for (std::istreambuf_iterator<char> it(in), end; it != end; ++it) {
    hash ^= static_cast<uint8_t>(*it);
    hash *= 1099511628211ull;
  }
  char text[40];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx",
                static_cast<unsigned long long>(hash));
  return std::string(text);
}

Expected<std::unique_ptr<TriggerPipeline>> TriggerPipeline::create(
    const std::string& model_path, const std::string& recipe) {
  std::unique_ptr<TriggerPipeline> p(new TriggerPipeline());
  auto found = dsp_host::find_feature_recipe(recipe);
  if (!found) return found.status();
  p->recipe_ = *found;
  p->spec_ = p->recipe_.spec();
  auto graph = model::read_model_file(model_path);
  if (!graph) return graph.status();
  p->macs_ = model::total_macs(*graph);
  auto version = file_fingerprint(model_path);
  if (!version) return version.status();
  p->model_version_ = *version;
  auto interpreter = HostInterpreter::load_file(model_path);
  if (!interpreter) return interpreter.status();
  p->interpreter_ = std::move(*interpreter);
  HostInterpreter& in = *p->interpreter_;
  if (in.num_inputs() != 1 || in.num_outputs() < 1)
    return invalid_argument(model_path +
                            ": a trigger model needs one input and an output");
  const serve::TensorSpec input = serve::spec_of(in.input(0), "input");
  if (input.type != kTmInt8 && input.type != kTmFloat32)
    return invalid_argument(model_path +
                            ": trigger model input must be INT8 or FP32, not " +
                            std::string(tm_type_name(input.type)));
  p->fixed_ = input.type == kTmInt8;
  auto frontend = dsp_host::set_up_frontend(
      p->spec_, p->fixed_ ? kTmFeaturesFixed : kTmFeaturesFloat);
  if (!frontend) return frontend.status();
  p->frontend_ = std::move(*frontend);
  p->per_frame_ = p->frontend_->features.num_outputs;
  if (input.elements == 0 ||
      input.elements % static_cast<size_t>(p->per_frame_) != 0)
    return invalid_argument(model_path + ": model input has " +
                            std::to_string(input.elements) +
                            " values, not a whole number of " + recipe +
                            " frames of " + std::to_string(p->per_frame_));
  if (p->fixed_) {
    const bool same = input.quantized &&
                      input.zero_point == p->spec_.output_zero_point &&
                      std::fabs(input.scale - p->spec_.output_scale) <=
                          1e-6f * p->spec_.output_scale;
    if (!same)
      return invalid_argument(
          model_path + ": INT8 input quantisation (scale " +
          std::to_string(input.scale) + ", zero point " +
          std::to_string(input.zero_point) + ") differs from the " + recipe +
          " recipe's (scale " + std::to_string(p->spec_.output_scale) +
          ", zero point " + std::to_string(p->spec_.output_zero_point) + ")");
  }
  p->frames_ =
      static_cast<int32_t>(input.elements / static_cast<size_t>(p->per_frame_));
  p->window_samples_ =
      p->spec_.frame_length + (p->frames_ - 1) * p->spec_.frame_stride;
  p->hop_samples_ = p->frames_ * p->spec_.frame_stride;
  p->input_.resize(input.bytes);
  p->frame_f32_.resize(p->spec_.frame_length);
  p->description_.kind = "features";
  p->description_.type = input.type;
  p->description_.shape = input.shape;
  p->description_.quantized = input.quantized;
  p->description_.scale = input.scale;
  p->description_.zero_point = input.zero_point;
  return p;
}

Expected<float> TriggerPipeline::score(std::span<const int16_t> window) {
  if (window.size() < static_cast<size_t>(window_samples_))
    return invalid_argument("window of " + std::to_string(window.size()) +
                            " samples, the pipeline needs " +
                            std::to_string(window_samples_));
  const int32_t n = window_samples_;
  // KWS divides each one-second clip by its maximum (recipes.h).
  const int32_t gain =
      recipe_.peak_gain ? tm_peak_gain_log2_q16(window.data(), n) : 0;
  const float scale = dsp_host::float_input_scale(
      recipe_, window.first(static_cast<size_t>(n)));
  TmFeatures& features = frontend_->features;
  void* scratch = frontend_->scratch.data();
  for (int32_t t = 0; t < frames_; ++t) {
    const int16_t* x = window.data() + t * spec_.frame_stride;
    if (fixed_) {
      tm_features_s8(&features, x, gain,
                     reinterpret_cast<int8_t*>(input_.data()) + t * per_frame_,
                     scratch);
    } else {
      for (int32_t i = 0; i < spec_.frame_length; ++i)
        frame_f32_[i] = x[i] * scale;
      tm_features_f32(&features, frame_f32_.data(),
                      reinterpret_cast<float*>(input_.data()) + t * per_frame_,
                      scratch);
    }
  }
  return score_input(input_);
}

Expected<float> TriggerPipeline::score_input(std::span<const uint8_t> input) {
  Status status = interpreter_->set_input(0, input);
  if (status.is_ok()) status = interpreter_->invoke();
  if (!status.is_ok()) return status;
  const int last = interpreter_->num_outputs() - 1;
  const serve::TensorSpec out =
      serve::spec_of(interpreter_->output(last), "score");
  const std::vector<float> values =
      serve::output_as_float(out, interpreter_->output_bytes(last));
  if (values.empty())
    return invalid_argument("the trigger model's output is empty");
  return values.back();
}

}  // namespace tierml::hybrid
