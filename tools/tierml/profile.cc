// tierml profile MODEL --target cortex-m4|cortex-m7|cortex-m33|cortex-m55
//                [--engine compiled|interpreter] [--opt O2|Os]
//                [--input FILE] [--output FILE] [--keep-build] [--json]
//
// Builds the model's firmware, runs it on the emulated board under QEMU and
// reports flash, RAM and executed instructions per inference and per layer,
// after checking the device's output bytes against the host run
// (src/target/profiler.h says how each figure is measured). Exit codes: 0 ok,
// 1 the device's output differs from the host's or a tool failed, 2 bad usage
// or input or a missing tool, 3 unsupported or malformed model.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "target/profiler.h"

namespace tierml::cli {
namespace {

struct ProfileCliOptions {
  ProfileCliOptions() { profile.engine = "compiled"; }
  target::ProfileOptions profile;
  std::string input_path;
  std::string output_path;
  bool json = false;
};

std::string grouped(uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

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
  j["output_matches_host"] = r.output_matches_host;
  j["output_bytes"] = r.output_bytes;
  j["mismatched_bytes"] = r.mismatched_bytes;
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
  j["measurement"] =
      "QEMU " + r.board.machine +
      " -icount shift=7,sleep=off; instructions from the board counter at " +
      std::to_string(r.board.counter_hz) + " Hz around one invoke";
  if (!r.build_dir.empty()) j["build_dir"] = r.build_dir;
  return j;
}

void print_text(const ProfileCliOptions& options,
                const target::ProfileResult& r) {
  std::printf("%s on %s (QEMU %s), %s engine, -%s\n",
              options.profile.model_path.c_str(), r.board.target.c_str(),
              r.board.machine.c_str(), r.engine.c_str(), r.opt.c_str());
  if (r.output_matches_host) {
    std::printf("output: %zu bytes, identical to the host run\n",
                r.output_bytes);
  } else {
    std::printf("output: %zu of %zu bytes DIFFER from the host run\n",
                r.mismatched_bytes, r.output_bytes);
  }
  std::printf(
      "instructions per inference: %s (%s MACs, %.3f MACs/instruction)\n",
      grouped(r.instructions).c_str(), grouped(r.macs).c_str(),
      ratio(r.macs, r.instructions));
  std::printf("flash: %s bytes = code %s + constants %s + model %s + data %s\n",
              grouped(r.flash.total()).c_str(), grouped(r.flash.code).c_str(),
              grouped(r.flash.constants).c_str(),
              grouped(r.flash.model).c_str(),
              grouped(r.flash.data_init).c_str());
  std::string origins;
  for (const auto& [origin, bytes] : r.code_by_origin) {
    origins += (origins.empty() ? "" : ", ") + origin + " " + grouped(bytes);
  }
  std::printf("  code and constants by origin: %s\n", origins.c_str());
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

int profile(ProfileCliOptions& options) {
  if (!options.input_path.empty()) {
    std::ifstream in(options.input_path, std::ios::binary);
    if (!in) return report_error(io_error("cannot open " + options.input_path));
    options.profile.input = std::vector<uint8_t>(
        (std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  // A progress line that rewrites itself, only on a terminal.
  const bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) {
    options.profile.progress = [](const std::string& stage) {
      std::fprintf(stderr, "\r\033[K[profile] %s", stage.c_str());
      std::fflush(stderr);
    };
  }
  auto result = target::profile_model(options.profile);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!result) {
    if (result.status().code() == ErrorCode::kInternal) {
      std::fprintf(stderr, "tierml: %s\n", result.status().message().c_str());
      return 1;
    }
    return report_error(result.status());
  }
  if (!options.output_path.empty()) {
    std::ofstream out(options.output_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(result->device_output.data()),
              static_cast<std::streamsize>(result->device_output.size()));
    if (!out)
      return report_error(io_error("cannot write " + options.output_path));
  }
  if (options.json) {
    std::printf("%s\n", to_json(options, *result).dump(2).c_str());
  } else {
    print_text(options, *result);
  }
  if (!result->output_matches_host) {
    std::fprintf(stderr,
                 "tierml: the device's output differs from the host's in %zu "
                 "of %zu bytes\n",
                 result->mismatched_bytes, result->output_bytes);
    return 1;
  }
  return kExitOk;
}

}  // namespace

void add_profile_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ProfileCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "profile",
      "Measure a model on an emulated Cortex-M board (QEMU): flash, RAM, "
      "instructions per inference and per layer");
  cmd->add_option("model", options->profile.model_path, ".tflite model file")
      ->required();
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
