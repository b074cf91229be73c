#include "target/feature_profiler.h"

#include <cstring>

#include "dsp_host/feature_recipes.h"
#include "hybrid/synthetic_signal.h"
#include "target/feature_sources.h"

namespace tierml::target {
namespace {

// The stage figures of the second build: its "layer" lines are the stage
// calls in the order the window makes them (feature_sources.h).
Status add_stages(const FirmwareReport& report, uint32_t counter_hz,
                  bool peak_gain, int32_t frames, bool mfcc,
                  FeatureProfileResult& result) {
  size_t per_frame = feature_frame_stages().size();
  if (!mfcc) --per_frame;  // log-mel recipes end before the DCT
  const size_t expected = (peak_gain ? 1 : 0) + per_frame * frames;
  if (!report.calibration || report.layers.size() != expected) {
    return Status(ErrorCode::kInternal,
                  "the stage run timed " +
                      std::to_string(report.layers.size()) +
                      " stage calls, expected " + std::to_string(expected));
  }
  result.stage_wrapper = instructions_between(*report.calibration, counter_hz);
  auto stage = [&](size_t call) {
    const uint64_t n = instructions_between(report.layers[call], counter_hz);
    return n > result.stage_wrapper ? n - result.stage_wrapper : 0;
  };
  size_t call = 0;
  if (peak_gain) result.peak_gain = stage(call++);
  for (size_t s = 0; s < per_frame; ++s) {
    result.stages.push_back({feature_frame_stages()[s].name, 0});
  }
  for (int32_t t = 0; t < frames; ++t) {
    for (size_t s = 0; s < per_frame; ++s) {
      result.stages[s].instructions += stage(call++);
    }
  }
  return Status::ok();
}

// Links the feature firmware, with the stage wrappers or without, and runs
// it.
Expected<Run> link_and_run(Workspace& work, bool stages) {
  Status status = work.builder().link_features(work.dir(), stages);
  if (!status.is_ok()) return status;
  auto ran = work.run(0);
  if (!ran) return ran.status();
  status = work.check_exit(*ran, "the window");
  if (!status.is_ok()) return status;
  return ran;
}

// The window both the host and the device get, the same every run: the
// fleet simulator's synthetic sensor audio, a 1 kHz tone over broadband
// noise.
std::vector<int16_t> synthetic_window(int32_t samples) {
  hybrid::SyntheticSignal signal(12345);
  std::vector<int16_t> window = signal.quiet(static_cast<size_t>(samples));
  signal.add_tone(window, 0, window.size(), 0.75);
  signal.add_noise_burst(window, 0, window.size(), 0.1);
  return window;
}

}  // namespace

Expected<FeatureProfileResult> profile_features(
    const FeatureProfileOptions& options) {
  auto recipe = dsp_host::find_feature_recipe(options.recipe);
  if (!recipe) return recipe.status();
  auto board = check_run_options(options);
  if (!board) return board.status();
  const TmFeatureSpec spec = recipe->spec();
  const std::vector<int16_t> window = synthetic_window(recipe->window_samples);
  auto host = dsp_host::fixed_features(*recipe, window);
  if (!host) return host.status();
  const std::vector<uint8_t> host_output(host->values.begin(),
                                         host->values.end());

  auto workspace = Workspace::create(options, *board);
  if (!workspace) return workspace.status();
  Workspace& work = **workspace;
  std::vector<uint8_t> input(window.size() * 2);
  std::memcpy(input.data(), window.data(), input.size());
  Status status = work.write_input(input);
  if (!status.is_ok()) return status;
  if (options.progress) options.progress("building the feature firmware");
  status = work.builder().write_feature_sources(work.dir(), *recipe);
  if (!status.is_ok()) return status;

  FeatureProfileResult result;
  result.board = *board;
  result.recipe = recipe->name;
  result.opt = options.opt;
  result.window_samples = recipe->window_samples;
  result.frames = host->frames;
  result.values_per_frame = host->per_frame;
  result.table_bytes = host->table_bytes;
  result.scratch_bytes = host->scratch_bytes;

  // The stage build first, so that the folder keeps the plain firmware.
  auto staged = link_and_run(work, true);
  if (!staged) return staged.status();
  status = add_stages(staged->report, board->counter_hz, recipe->peak_gain,
                      host->frames, spec.num_mfcc > 0, result);
  if (!status.is_ok()) return status;
  auto ran = link_and_run(work, false);
  if (!ran) return ran.status();
  auto counts = count_instructions(ran->report, board->counter_hz);
  if (!counts) return counts.status();
  result.instructions = counts->inference;
  uint64_t staged_total = result.peak_gain;
  for (const StageProfile& stage : result.stages) {
    staged_total += stage.instructions;
  }
  result.stages.push_back({"other", result.instructions > staged_total
                                        ? result.instructions - staged_total
                                        : 0});

  auto device_output = work.read_output();
  if (!device_output) return device_output.status();
  result.device_output = std::move(*device_output);
  result.output_bytes = host_output.size();
  result.mismatched_bytes = mismatched_bytes(result.device_output, host_output);
  result.output_matches_host = result.mismatched_bytes == 0;

  auto figures = work.figures(*ran);
  if (!figures) return figures.status();
  result.flash = figures->flash;
  result.ram = figures->ram;
  result.code_by_origin = figures->code_by_origin;
  if (options.keep_build) result.build_dir = work.dir();
  return result;
}

}  // namespace tierml::target
