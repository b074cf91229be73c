#include "profile_features.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "profile_report.h"

namespace tierml::cli {
namespace {

constexpr const char* kInput =
    "synthetic: a 1 kHz tone over pseudo-random noise, int16 "
    "(hybrid/synthetic_signal.h)";

// Per frame, to a tenth: the frames' counts differ by data-dependent shifts
// only.
double per_frame(uint64_t total, int32_t frames) {
  if (frames == 0) return 0.0;
  return std::round(static_cast<double>(total) / frames * 10) / 10;
}

// The window without the peak scan, per frame.
double frame_instructions(const target::FeatureProfileResult& r) {
  return per_frame(r.instructions - r.peak_gain, r.frames);
}

nlohmann::ordered_json to_json(const target::FeatureProfileResult& r) {
  nlohmann::ordered_json j;
  j["features"] = r.recipe;
  j["target"] = r.board.target;
  j["machine"] = r.board.machine;
  j["opt"] = r.opt;
  j["input"] = kInput;
  j["window_samples"] = r.window_samples;
  j["frames"] = r.frames;
  j["values_per_frame"] = r.values_per_frame;
  add_output_check(j, r);
  j["instructions_per_window"] = r.instructions;
  j["instructions_per_frame"] = frame_instructions(r);
  nlohmann::ordered_json stages = nlohmann::ordered_json::object();
  for (const target::StageProfile& stage : r.stages) {
    stages[stage.name] = per_frame(stage.instructions, r.frames);
  }
  j["instructions"] = {{"window", r.instructions},
                       {"peak_gain", r.peak_gain},
                       {"per_frame", frame_instructions(r)},
                       {"per_stage_per_frame", stages},
                       {"stage_wrapper", r.stage_wrapper}};
  j["flash_bytes"] = r.flash.total();
  j["flash"] = {{"code", r.flash.code},
                {"constants", r.flash.constants},
                {"data_init", r.flash.data_init},
                {"total", r.flash.total()},
                {"code_and_constants_by_origin", r.code_by_origin}};
  j["ram_bytes"] = r.ram.total();
  j["ram"] = {{"static_data", r.ram.static_data},
              {"stack", r.ram.stack},
              {"total", r.ram.total()},
              {"tables", r.table_bytes},
              {"scratch", r.scratch_bytes},
              {"window", r.window_samples * 2},
              {"features", r.output_bytes},
              {"stack_reserved", r.ram.stack_reserved}};
  j["measurement"] = measurement_text(r.board, "one window");
  if (!r.build_dir.empty()) j["build_dir"] = r.build_dir;
  return j;
}

void print_text(const target::FeatureProfileResult& r) {
  std::printf("%s features on %s (QEMU %s), fixed-point path, -%s\n",
              r.recipe.c_str(), r.board.target.c_str(), r.board.machine.c_str(),
              r.opt.c_str());
  std::printf("window: %d samples (%s) -> %d frames x %d values\n",
              r.window_samples, kInput, r.frames, r.values_per_frame);
  print_output_check("features", r);
  std::printf("instructions per window: %s (peak gain %s)\n",
              grouped(r.instructions).c_str(), grouped(r.peak_gain).c_str());
  std::printf("instructions per frame: %.1f, by stage (beyond the wrapper):\n",
              frame_instructions(r));
  for (const target::StageProfile& stage : r.stages) {
    std::printf("  %-10s %12.1f\n", stage.name.c_str(),
                per_frame(stage.instructions, r.frames));
  }
  print_flash(r.flash, r.code_by_origin, false);
  std::printf(
      "ram: %s bytes = static data %s (tables %s, scratch %s, window %s, "
      "features %s) + stack %s (of %s reserved)\n",
      grouped(r.ram.total()).c_str(), grouped(r.ram.static_data).c_str(),
      grouped(r.table_bytes).c_str(), grouped(r.scratch_bytes).c_str(),
      grouped(static_cast<uint64_t>(r.window_samples) * 2).c_str(),
      grouped(r.output_bytes).c_str(), grouped(r.ram.stack).c_str(),
      grouped(r.ram.stack_reserved).c_str());
  if (!r.build_dir.empty()) {
    std::printf("firmware kept in %s\n", r.build_dir.c_str());
  }
}

}  // namespace

int profile_features(target::FeatureProfileOptions& options,
                     const std::string& output_path, bool json) {
  options.progress = progress_line();
  auto result = target::profile_features(options);
  clear_progress();
  if (!result) return profile_error(result.status());
  return finish_profile(output_path, *result, [&] {
    if (json) {
      std::printf("%s\n", to_json(*result).dump(2).c_str());
    } else {
      print_text(*result);
    }
  });
}

}  // namespace tierml::cli
