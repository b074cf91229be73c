// tierml profile MODEL --target cortex-m4|cortex-m7|cortex-m33|cortex-m55
//                [--engine compiled|interpreter] [--opt O2|Os]
//                [--input FILE] [--output FILE] [--keep-build] [--json]
// tierml profile --features RECIPE --target ... [--opt O2|Os] [--output FILE]
//                [--keep-build] [--json]         (profile_features.cc)
//
// Builds the model's firmware, runs it on the emulated board under QEMU and
// reports flash, RAM and executed instructions per inference and per layer,
// after checking the device's output bytes against the host run
// (src/target/profiler.h says how each figure is measured). Exit codes: 0 ok,
// 1 the device's output differs from the host's or a tool failed, 2 bad usage
// or input or a missing tool, 3 unsupported or malformed model.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "io/file.h"
#include "profile_features.h"
#include "profile_report.h"
#include "target/profiler.h"

namespace tierml::cli {
namespace {

struct ProfileCliOptions {
  ProfileCliOptions() { profile.engine = "compiled"; }
  target::ProfileOptions profile;
  std::string input_path;
  target::FeatureProfileOptions features;
  std::string output_path;
  bool json = false;
};

double ratio(int64_t macs, uint64_t instructions) {
  return instructions == 0
             ? 0.0
             : static_cast<double>(macs) / static_cast<double>(instructions);
}

nlohmann::ordered_json to_json(const ProfileCliOptions& options,
                               const target::ProfileResult& r) {
  nlohmann::ordered_json j;
  j["model"] = options.profile.model_path;
  j["target"] = r.board.target;
  j["machine"] = r.board.machine;
  j["engine"] = r.engine;
  j["opt"] = r.opt;
  add_output_check(j, r);
  j["instructions_per_inference"] = r.instructions;
  j["macs"] = r.macs;
  j["macs_per_instruction"] = ratio(r.macs, r.instructions);
  uint64_t layer_sum = 0;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const target::LayerProfile& layer : r.layers) {
    layer_sum += layer.instructions;
    layers.push_back(
        {{"index", layer.index},
         {"op", layer.op},
         {"instructions", layer.instructions},
         {"macs", layer.macs},
         {"macs_per_instruction", ratio(layer.macs, layer.instructions)}});
  }
  j["instructions"] = {
      {"inference", r.instructions},
      {"layers_total", layer_sum},
      {"outside_layers",
       r.instructions > layer_sum ? r.instructions - layer_sum : 0},
      {"layer_wrapper", r.calibration},
      {"per_layer", layers}};
  j["flash_bytes"] = r.flash.total();
  j["flash"] = {{"code", r.flash.code},
                {"constants", r.flash.constants},
                {"model", r.flash.model},
                {"data_init", r.flash.data_init},
                {"total", r.flash.total()},
                {"runtime_code", r.runtime_code},
                {"per_layer_timing_excluded", r.flash.measurement}};
  nlohmann::ordered_json origins = nlohmann::ordered_json::object();
  for (const auto& [origin, bytes] : r.code_by_origin) origins[origin] = bytes;
  j["flash"]["code_and_constants_by_origin"] = origins;
  j["ram_bytes"] = r.ram.total();
  j["ram"] = {{"arena", r.ram.arena},
              {"static_data", r.ram.static_data},
              {"stack", r.ram.stack},
              {"total", r.ram.total()},
              {"stack_reserved", r.ram.stack_reserved},
              {"per_layer_timing_excluded", r.ram.measurement}};
  j["measurement"] = measurement_text(r.board, "one invoke");
  if (!r.build_dir.empty()) j["build_dir"] = r.build_dir;
  return j;
}

void print_text(const ProfileCliOptions& options,
                const target::ProfileResult& r) {
  std::printf("%s on %s (QEMU %s), %s engine, -%s\n",
              options.profile.model_path.c_str(), r.board.target.c_str(),
              r.board.machine.c_str(), r.engine.c_str(), r.opt.c_str());
  print_output_check("output", r);
  std::printf(
      "instructions per inference: %s (%s MACs, %.3f MACs/instruction)\n",
      grouped(r.instructions).c_str(), grouped(r.macs).c_str(),
      ratio(r.macs, r.instructions));
  print_flash(r.flash, r.code_by_origin, true);
  std::printf(
      "  runtime code (kernels + %s, without startup and C library): "
      "%s\n",
      r.engine == "compiled" ? "generated code"
                             : "interpreter and model reader",
      grouped(r.runtime_code).c_str());
  std::printf(
      "ram: %s bytes = arena %s + static data %s + stack %s (of %s "
      "reserved)\n",
      grouped(r.ram.total()).c_str(), grouped(r.ram.arena).c_str(),
      grouped(r.ram.static_data).c_str(), grouped(r.ram.stack).c_str(),
      grouped(r.ram.stack_reserved).c_str());
  std::printf("per layer (instructions beyond an empty operator):\n");
  std::printf("  %4s  %-28s %14s %12s %8s\n", "#", "op", "instructions", "MACs",
              "MAC/ins");
  uint64_t sum = 0;
  for (const target::LayerProfile& layer : r.layers) {
    sum += layer.instructions;
    std::printf("  %4d  %-28s %14s %12s %8.3f\n", layer.index, layer.op.c_str(),
                grouped(layer.instructions).c_str(),
                grouped(layer.macs).c_str(),
                ratio(layer.macs, layer.instructions));
  }
  std::printf("  outside the layers (%s): %s\n",
              r.engine == "compiled" ? "input and output copies, calls"
                                     : "the interpreter's loop",
              grouped(r.instructions > sum ? r.instructions - sum : 0).c_str());
  if (!r.build_dir.empty()) {
    std::printf("firmware kept in %s\n", r.build_dir.c_str());
  }
}

int profile_model(ProfileCliOptions& options) {
  if (!options.input_path.empty()) {
    auto input = io::read_file(options.input_path);
    if (!input) return report_error(input.status());
    options.profile.input = std::move(*input);
  }
  options.profile.progress = progress_line();
  auto result = target::profile_model(options.profile);
  clear_progress();
  if (!result) return profile_error(result.status());
  return finish_profile(options.output_path, *result, [&] {
    if (options.json) {
      std::printf("%s\n", to_json(options, *result).dump(2).c_str());
    } else {
      print_text(options, *result);
    }
  });
}

// A model, or with --features a recipe's feature pipeline: one of the two.
int profile(ProfileCliOptions& options) {
  const bool model = !options.profile.model_path.empty();
  if (model == !options.features.recipe.empty()) {
    return report_error(
        invalid_argument(model ? "give a model or --features RECIPE, not both"
                               : "a model or --features RECIPE is required"));
  }
  if (model) return profile_model(options);
  if (!options.input_path.empty()) {
    return report_error(invalid_argument(
        "--input is for a model; --features profiles a synthetic window"));
  }
  options.features.target = options.profile.target;
  options.features.opt = options.profile.opt;
  options.features.keep_build = options.profile.keep_build;
  return profile_features(options.features, options.output_path, options.json);
}

}  // namespace

void add_profile_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ProfileCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "Measure a model on an emulated Cortex-M board (QEMU): flash, RAM, "
      "instructions per inference and per layer; or, with --features, a "
      "feature pipeline's per window, frame and stage");
  cmd->add_option("model", options->profile.model_path, ".tflite model file");
  cmd->add_option("--features", options->features.recipe,
                  "instead of a model, a feature recipe's fixed-point "
                  "pipeline on one synthetic window: kws or ad (as `tierml "
                  "features --recipe`)");
  cmd->add_option("--target", options->profile.target,
                  "cortex-m4 (mps2-an386), cortex-m7 (mps2-an500), "
                  "cortex-m33 (mps2-an505) or cortex-m55 (mps3-an547)")
      ->required();
  cmd->add_option("--engine", options->profile.engine,
                  "compiled (default: the code `tierml compile` generates) "
                  "or interpreter");
  cmd->add_option("--opt", options->profile.opt,
                  "compiler optimisation for runtime and firmware: O2 "
                  "(default) or Os");
  cmd->add_option("--input", options->input_path,
                  "raw input bytes, all inputs back to back (default: a "
                  "fixed pseudo-random input)");
  cmd->add_option("--output", options->output_path,
                  "write the device's output bytes (all outputs back to back)");
  cmd->add_flag("--keep-build", options->profile.keep_build,
                "keep the firmware's build folder and print where it is");
  cmd->add_flag("--json", options->json, "print the figures as JSON");
  cmd->callback([options, &exit_code] { exit_code = profile(*options); });
}

}  // namespace tierml::cli
