// tierml features AUDIO --recipe kws|ad [--float] [--output FILE] [--json]
//
// Computes a model's input features from audio with the on-device frontend
// (runtime/dsp): the same code and tables a device runs. By default the
// fixed-point path, giving the int8 tensor the model takes; --float gives the
// float values before quantisation. AUDIO is a 16-bit PCM mono WAV at the
// recipe's rate, or raw little-endian int16 samples (any other extension).
// --output writes raw bytes (int8 or float32, frame after frame) or, with a
// .npy name, an array of shape [frames, values per frame].
#include "dsp/features.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "dsp_host/feature_recipes.h"
#include "io/file.h"
#include "io/npy.h"
#include "io/wav.h"

namespace tierml::cli {
namespace {

struct FeatureOptions {
  std::string audio;
  std::string recipe;
  std::string output;
  bool use_float = false;
  bool json = false;
};

Expected<io::PcmAudio> read_audio(const std::string& path) {
  auto read = io::read_file(path);
  if (!read) return read.status();
  const std::vector<uint8_t>& file = *read;
  if (std::filesystem::path(path).extension() == ".wav") {
    return io::parse_wav(file, path);
  }
  if (file.size() % 2 != 0) {
    return invalid_argument(path +
                            ": raw int16 audio needs an even number of "
                            "bytes, got " +
                            std::to_string(file.size()));
  }
  io::PcmAudio audio;
  audio.samples.resize(file.size() / 2);
  std::memcpy(audio.samples.data(), file.data(), file.size());
  return audio;
}

Status run_features(const FeatureOptions& options) {
  auto recipe = dsp_host::find_feature_recipe(options.recipe);
  if (!recipe) return recipe.status();
  const TmFeatureSpec spec = recipe->spec();
  auto audio = read_audio(options.audio);
  if (!audio) return audio.status();
  if (audio->sample_rate != 0 && audio->sample_rate != spec.sample_rate) {
    return invalid_argument(
        options.audio + ": sample rate " + std::to_string(audio->sample_rate) +
        " Hz, the recipe needs " + std::to_string(spec.sample_rate) +
        " Hz (resample first)");
  }
  std::vector<int16_t>& samples = audio->samples;
  // KWS takes exactly one second: shorter clips are padded with silence
  // (as MLPerf Tiny pads), longer ones cut.
  if (recipe->pad_to_window) samples.resize(recipe->window_samples, 0);
  const int32_t frames =
      tm_features_num_frames(&spec, static_cast<int32_t>(samples.size()));
  if (frames == 0) {
    return invalid_argument(options.audio + ": " +
                            std::to_string(samples.size()) +
                            " samples, shorter than one frame (" +
                            std::to_string(spec.frame_length) + ")");
  }
  // Per frame, table and scratch bytes, from whichever path runs.
  int32_t per_frame = 0;
  size_t table_bytes = 0, scratch_bytes = 0;
  std::vector<int8_t> values_s8;
  std::vector<float> values_f32;
  if (options.use_float) {
    auto frontend = dsp_host::set_up_frontend(spec, kTmFeaturesFloat);
    if (!frontend) return frontend.status();
    dsp_host::HostFrontend& fe = **frontend;
    per_frame = fe.features.num_outputs;
    table_bytes = fe.table_bytes;
    scratch_bytes = fe.scratch_bytes;
    const float scale = dsp_host::float_input_scale(*recipe, samples);
    std::vector<float> frame(spec.frame_length);
    values_f32.resize(static_cast<size_t>(frames) * per_frame);
    for (int32_t t = 0; t < frames; ++t) {
      const int16_t* x = samples.data() + t * spec.frame_stride;
      for (int32_t i = 0; i < spec.frame_length; ++i) frame[i] = x[i] * scale;
      tm_features_f32(&fe.features, frame.data(),
                      values_f32.data() + t * per_frame, fe.scratch.data());
    }
  } else {
    auto fixed = dsp_host::fixed_features(*recipe, samples);
    if (!fixed) return fixed.status();
    per_frame = fixed->per_frame;
    table_bytes = fixed->table_bytes;
    scratch_bytes = fixed->scratch_bytes;
    values_s8 = std::move(fixed->values);
  }

  if (!options.output.empty()) {
    io::NpyArray array;
    array.type = options.use_float ? kTmFloat32 : kTmInt8;
    array.shape = {frames, per_frame};
    const uint8_t* data =
        options.use_float ? reinterpret_cast<const uint8_t*>(values_f32.data())
                          : reinterpret_cast<const uint8_t*>(values_s8.data());
    const size_t bytes =
        options.use_float ? values_f32.size() * 4 : values_s8.size();
    array.data.assign(data, data + bytes);
    std::vector<uint8_t> file = array.data;
    if (std::filesystem::path(options.output).extension() == ".npy") {
      auto encoded = io::encode_npy(array);
      if (!encoded) return encoded.status();
      file = std::move(*encoded);
    }
    Status status = write_bytes(options.output, file);
    if (!status.is_ok()) return status;
  }

  if (options.json) {
    nlohmann::json out;
    out["recipe"] = options.recipe;
    out["path"] = options.use_float ? "float" : "fixed";
    out["sample_rate"] = spec.sample_rate;
    out["samples"] = samples.size();
    out["frames"] = frames;
    out["values_per_frame"] = per_frame;
    out["table_bytes"] = table_bytes;
    out["scratch_bytes"] = scratch_bytes;
    if (options.use_float) {
      out["values"] = values_f32;
    } else {
      out["values"] = values_s8;
      out["scale"] = spec.output_scale;
      out["zero_point"] = spec.output_zero_point;
    }
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("%s: %d frames x %d %s values (%s path)%s%s\n",
                options.audio.c_str(), frames, per_frame,
                options.use_float ? "float" : "int8",
                options.use_float ? "float" : "fixed-point",
                options.output.empty() ? "" : " -> ", options.output.c_str());
  }
  return Status::ok();
}

}  // namespace

void add_features_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FeatureOptions>();
  CLI::App* cmd = app.add_subcommand(
      "features",
      "Compute a model's input features from audio with the on-device "
      "frontend (docs/features.md)");
  cmd->add_option("audio", options->audio,
                  "16-bit PCM mono .wav, or raw little-endian int16 samples")
      ->required();
  cmd->add_option("--recipe", options->recipe,
                  "kws: MLPerf Tiny KWS, 49x10 MFCC of 1 s at 16 kHz; ad: "
                  "MLPerf Tiny AD, 128-band log-mel frames at 16 kHz")
      ->required();
  cmd->add_flag("--float", options->use_float,
                "float path (values before quantisation) instead of int8");
  cmd->add_option("--output", options->output,
                  "write the features: raw bytes, or .npy [frames, values]");
  cmd->add_flag("--json", options->json, "print a JSON summary with values");
  cmd->callback([options, &exit_code] {
    const Status status = run_features(*options);
    exit_code = status.is_ok() ? kExitOk : report_error(status);
  });
}

}  // namespace tierml::cli
