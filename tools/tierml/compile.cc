// tierml compile MODEL -o DIR [--name NAME] [--target T] [--explain] [--json]
//
// Compiles a model ahead of time into C99 sources in DIR: NAME.h (the API),
// NAME.c (const weights, parameters folded at compile time, one kernel call
// per layer on one statically planned arena), the runtime kernels it uses,
// a host harness NAME_host.c, a Makefile and a CMakeLists.txt. `make -C DIR`
// builds the harness: NAME_host IN.bin OUT.bin.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "codegen/c_literal.h"
#include "codegen/compiler.h"
#include "commands.h"
#include "model/reader.h"
#include "plan/explain.h"
#include "plan/plan.h"

namespace tierml::cli {
namespace {

struct CompileCliOptions {
  std::string model;
  std::string dir;
  std::string name;
  std::string target = "generic";
  bool explain = false;
  bool json = false;
};

nlohmann::json layers_json(const codegen::CompiledModel& compiled) {
  nlohmann::json layers = nlohmann::json::array();
  for (const codegen::LayerSummary& l : compiled.layers) {
    layers.push_back({{"step", l.step},
                      {"node", l.op_index},
                      {"op", l.op},
                      {"shapes", l.shapes},
                      {"macs", l.macs},
                      {"constant_bytes", l.constant_bytes},
                      {"scratch_bytes", l.scratch_bytes},
                      {"live_arena_bytes", l.live_bytes}});
  }
  return layers;
}

int compile(const CompileCliOptions& options) {
  auto target = codegen::parse_target(options.target);
  if (!target) return report_error(target.status());
  const std::string name =
      options.name.empty()
          ? codegen::to_c_identifier(
                std::filesystem::path(options.model).stem().string())
          : options.name;
  auto graph = model::read_model_file(options.model);
  if (!graph) return report_error(graph.status());
  auto plan = plan::plan_memory(*graph);
  if (!plan) return report_error(plan.status());

  codegen::CompileOptions compile_options;
  compile_options.name = name;
  compile_options.target = *target;
  compile_options.source_description =
      std::filesystem::path(options.model).filename().string();
  auto compiled = codegen::compile_model(*graph, *plan, compile_options);
  if (!compiled) return report_error(compiled.status());
  if (options.explain) {
    // The plan's timeline goes next to the code it describes.
    compiled->files.push_back(
        {name + "_memory.svg", plan::explain_svg(*graph, *plan)});
    compiled->files.push_back(
        {name + "_memory.txt", plan::explain_text(*graph, *plan)});
  }
  const Status written = codegen::write_compiled_model(options.dir, *compiled);
  if (!written.is_ok()) return report_error(written);

  std::error_code error;
  const auto model_bytes = std::filesystem::file_size(options.model, error);
  const double ratio = !error && model_bytes > 0
                           ? static_cast<double>(compiled->constant_bytes) /
                                 static_cast<double>(model_bytes)
                           : 0.0;
  int64_t macs = 0;
  for (const auto& layer : compiled->layers) macs += layer.macs;
  if (options.json) {
    nlohmann::json j;
    j["name"] = name;
    j["dir"] = options.dir;
    j["target"] = codegen::target_name(*target);
    j["arena_bytes"] = compiled->arena_bytes;
    j["constant_bytes"] = compiled->constant_bytes;
    j["weight_bytes"] = compiled->weight_bytes;
    j["model_file_bytes"] = error ? 0 : model_bytes;
    j["constant_to_model_ratio"] = ratio;
    j["macs"] = macs;
    j["stateful"] = compiled->stateful;
    j["kernel_sources"] = compiled->kernel_sources;
    j["layers"] = layers_json(*compiled);
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : compiled->files) files.push_back(file.path);
    j["files"] = files;
    if (options.explain) j["plan"] = plan::explain_json(*graph, *plan);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf(
        "%s: %zu layers, arena %lld bytes, constants %lld bytes (%.2fx the "
        ".tflite), %lld MACs\nwrote %s/%s.h, %s.c, %zu kernel sources, "
        "Makefile, CMakeLists.txt; `make -C %s` builds %s_host\n",
        name.c_str(), compiled->layers.size(),
        static_cast<long long>(compiled->arena_bytes),
        static_cast<long long>(compiled->constant_bytes), ratio,
        static_cast<long long>(macs), options.dir.c_str(), name.c_str(),
        name.c_str(), compiled->kernel_sources.size(), options.dir.c_str(),
        name.c_str());
    if (options.explain) {
      std::printf("\n%s\nmemory timeline: %s/%s_memory.svg\n",
                  plan::explain_text(*graph, *plan).c_str(),
                  options.dir.c_str(), name.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

void add_compile_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CompileCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compile",
      "Compile a model ahead of time into C99 sources (weights, one kernel "
      "call per layer, a statically planned arena), with a host harness");
  cmd->add_option("model", options->model, ".tflite model file")->required();
  cmd->add_option("-o,--output", options->dir,
                  "output folder (created if missing)")
      ->required();
  cmd->add_option("--name", options->name,
                  "C identifier prefixing every symbol and file (default: "
                  "the model file's name)");
  cmd->add_option("--target", options->target,
                  "generic, cortex-m4, cortex-m7, cortex-m33 or cortex-m55: "
                  "the CPU flags the Makefile's `lib` target uses")
      ->capture_default_str();
  cmd->add_flag("--explain", options->explain,
                "also print the memory plan step by step and write "
                "NAME_memory.svg (timeline) and NAME_memory.txt into DIR");
  cmd->add_flag("--json", options->json,
                "print arena, constant bytes and per-layer memory and MACs "
                "as JSON");
  cmd->callback([options, &exit_code] { exit_code = compile(*options); });
}

}  // namespace tierml::cli
