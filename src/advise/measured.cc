#include "advise/measured.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "io/file.h"

namespace tierml::advise {
namespace {

// A board's core names the profile target with or without its FPU suffix
// (cortex-m4f runs what cortex-m4 measured).
bool same_core(const std::string& board_core, const std::string& target) {
  return board_core == target || board_core == target + "f";
}

Expected<double> number_at(const nlohmann::json& report,
                           const nlohmann::json::json_pointer& at,
                           const std::string& file) {
  if (!report.contains(at) || !report.at(at).is_number() ||
      report.at(at).get<double>() < 0)
    return invalid_argument(
        fmt::format("{}: '{}' is missing or not a non-negative number; is this "
                    "`tierml profile --json` "
                    "output?",
                    file, at.to_string()));
  return report.at(at).get<double>();
}

}  // namespace

Status apply_measured_profile(Scenario& s, const Board& board,
                              const std::filesystem::path& profile_json) {
  const std::string file = profile_json.string();
  const auto text = io::read_file(file);
  if (!text) return text.status();
  const nlohmann::json report = nlohmann::json::parse(*text, nullptr, false);
  if (report.is_discarded() || !report.is_object())
    return invalid_argument(
        file + ": not JSON; expected `tierml profile --json` output");
  for (const char* key : {"model", "target", "engine"})
    if (!report.contains(key) || !report[key].is_string())
      return invalid_argument(fmt::format(
          "{}: '{}' is missing; expected `tierml profile --json` output", file,
          key));
  if (report.value("output_matches_host", false) != true)
    return invalid_argument(
        file +
        ": the firmware's output did not match the host run; fix that "
        "before using its figures");
  const std::string target = report["target"];
  if (!same_core(board.core, target))
    return invalid_argument(fmt::format(
        "{}: measured on {}, but the scenario's device {} is a {}; profile "
        "with --target {}",
        file, target, board.id, board.core,
        board.core.ends_with("f") ? board.core.substr(0, board.core.size() - 1)
                                  : board.core));
  const std::string engine_name = report["engine"];
  if (engine_name != "compiled" && engine_name != "interpreter")
    return invalid_argument(
        fmt::format("{}: unknown engine '{}'", file, engine_name));

  MeasuredRun run;
  run.target = target;
  run.source = profile_json.filename().string();
  using Pointer = nlohmann::json::json_pointer;
  struct Field {
    double* into;
    const char* at;
  };
  for (const Field& f :
       {Field{&run.instructions, "/instructions_per_inference"},
        Field{&run.runtime_code_bytes, "/flash/runtime_code"},
        Field{&run.model_bytes, "/flash/model"},
        Field{&run.ram_bytes, "/ram/total"}}) {
    auto value = number_at(report, Pointer(f.at), file);
    if (!value) return value.status();
    *f.into = *value;
  }

  // The model is recognised by its contents: the profile's path is relative
  // to wherever it ran.
  std::filesystem::path measured_model = report["model"].get<std::string>();
  if (measured_model.is_relative() && !std::filesystem::exists(measured_model))
    measured_model = profile_json.parent_path() / measured_model;
  const auto measured_bytes = io::read_file(measured_model.string());
  if (!measured_bytes)
    return io_error(fmt::format("{}: the model it measured: {}", file,
                                measured_bytes.status().message()));
  bool attached = false;
  auto attach = [&](const std::optional<std::filesystem::path>& path,
                    std::optional<ModelFigures>& figures) {
    if (!path || !figures) return;
    const auto bytes = io::read_file(path->string());
    if (!bytes || *bytes != *measured_bytes) return;
    (engine_name == "compiled" ? figures->measured_compiled
                               : figures->measured_interpreter) = run;
    attached = true;
  };
  attach(s.tiny_model_path, s.tiny);
  attach(s.full_model_path, s.full);
  if (!attached)
    return invalid_argument(
        fmt::format("{}: measured {}, which is neither of the scenario's model "
                    "files (tiny_model, "
                    "full_model); profile one of those",
                    file, measured_model.string()));
  return Status::ok();
}

}  // namespace tierml::advise
