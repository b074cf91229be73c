#include "advise/scenario.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "advise/yaml_fields.h"

namespace tierml::advise {
namespace {

std::optional<ModelFigures> read_figures(YamlFields& task) {
  auto macs = task.optional_number("macs");
  auto params = task.optional_number("params");
  auto activations = task.optional_number("activation_bytes");
  if (!macs && !params && !activations) return std::nullopt;
  if (!macs || !params || !activations) {
    task.fail("'macs', 'params' and 'activation_bytes' go together");
    return std::nullopt;
  }
  if (*macs < 0 || *params < 0 || *activations < 0) {
    task.fail("'macs', 'params' and 'activation_bytes' must not be negative");
    return std::nullopt;
  }
  ModelFigures figures;
  figures.macs = *macs;
  figures.weight_bytes = *params;  // int8 models: one byte per parameter
  figures.arena_bytes = *activations;
  figures.origin = "scenario figures";
  return figures;
}

void read_task(YamlFields& root, Scenario& s, const std::filesystem::path& base) {
  YamlFields task(root.child("task"), "task");
  if (auto path = task.optional_text("tiny_model")) s.tiny_model_path = base / *path;
  if (auto path = task.optional_text("full_model")) s.full_model_path = base / *path;
  std::optional<ModelFigures> figures = read_figures(task);
  const std::string complexity = task.optional_text("complexity").value_or("moderate");
  if (complexity == "tiny") s.complexity = Complexity::kTiny;
  else if (complexity == "moderate") s.complexity = Complexity::kModerate;
  else if (complexity == "rich") s.complexity = Complexity::kRich;
  else task.fail("'complexity' must be tiny, moderate or rich");
  if (figures && (s.tiny_model_path || s.full_model_path))
    task.fail("give model files or macs/params/activation_bytes, not both");
  if (!figures && !s.tiny_model_path && !s.full_model_path)
    task.fail("needs tiny_model and/or full_model, or macs/params/activation_bytes");
  if (figures) s.full = figures;
  if (std::string error = task.finish(); !error.empty()) root.fail(error);
}

void read_sensor(YamlFields& root, Scenario& s) {
  YamlFields sensor(root.child("sensor"), "sensor");
  s.window_bytes = sensor.number("window_bytes");
  s.inferences_per_day = sensor.number("inferences_per_day");
  s.events_per_day = sensor.number_or("events_per_day", 0);
  s.sensor_power_uw = sensor.number_or("power_uw", 0);
  s.result_bytes = sensor.number_or("result_bytes", s.result_bytes);
  if (s.window_bytes < 0 || s.inferences_per_day < 0 || s.events_per_day < 0 ||
      s.sensor_power_uw < 0 || s.result_bytes < 0)
    sensor.fail("figures must not be negative");
  if (s.events_per_day > s.inferences_per_day)
    sensor.fail("events_per_day cannot exceed inferences_per_day");
  if (std::string error = sensor.finish(); !error.empty()) root.fail(error);
}

void read_requirements(YamlFields& root, Scenario& s) {
  YamlFields req(root.child("requirements"), "requirements");
  s.latency_ms = req.number_or("latency_ms", s.latency_ms);
  const std::string link = req.optional_text("connectivity").value_or("always");
  if (link == "always") s.connectivity = Connectivity::kAlways;
  else if (link == "intermittent") s.connectivity = Connectivity::kIntermittent;
  else if (link == "offline") s.connectivity = Connectivity::kOffline;
  else req.fail("'connectivity' must be always, intermittent or offline");

  YAML::Node power = req.child("power");
  if (!power.IsDefined() || (power.IsScalar() && power.Scalar() == "mains")) {
    s.mains_power = true;
  } else if (power.IsMap()) {
    YamlFields battery(power, "requirements.power");
    s.mains_power = false;
    s.battery = battery.text("battery");
    s.life_days = battery.number("life_days");
    if (s.life_days <= 0) battery.fail("'life_days' must be positive");
    if (std::string error = battery.finish(); !error.empty()) req.fail(error);
  } else {
    req.fail("'power' must be mains or {battery: ID, life_days: N}");
  }
  s.raw_data_may_leave_device = req.boolean_or("raw_data_may_leave_device", true);
  s.model_updates_per_year = req.number_or("model_updates_per_year", 0);
  s.fleet_size = req.number_or("fleet_size", 1);
  s.radio = req.text("radio");
  s.edge_gateway = req.boolean_or("edge_gateway", false);
  s.gateway = req.optional_text("gateway").value_or(s.gateway);
  s.devices_per_gateway = req.number_or("devices_per_gateway", s.devices_per_gateway);
  s.cloud_budget_usd_per_month = req.optional_number("cloud_budget_usd_per_month");
  if (s.latency_ms <= 0 || s.fleet_size < 1 || s.devices_per_gateway < 1 ||
      s.model_updates_per_year < 0)
    req.fail("latency_ms must be positive, fleet_size and devices_per_gateway at least 1");
  if (std::string error = req.finish(); !error.empty()) root.fail(error);
}

}  // namespace

Expected<Scenario> parse_scenario(const std::string& yaml_text,
                                  const std::filesystem::path& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return invalid_argument(std::string("scenario is not valid YAML: ") + e.what());
  }
  Scenario s;
  YamlFields fields(root, "scenario");
  s.name = fields.text("name");
  read_task(fields, s, base_dir);
  s.device = fields.text("device");
  if (YAML::Node firmware = fields.child("firmware"); firmware.IsDefined()) {
    YamlFields fw(firmware, "firmware");
    s.firmware_flash_kib = fw.number_or("flash_kib", s.firmware_flash_kib);
    s.firmware_ram_kib = fw.number_or("ram_kib", s.firmware_ram_kib);
    if (std::string error = fw.finish(); !error.empty()) fields.fail(error);
  }
  read_sensor(fields, s);
  read_requirements(fields, s);
  if (std::string error = fields.finish(); !error.empty()) return invalid_argument(error);
  return s;
}

Expected<Scenario> load_scenario(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return io_error("cannot read scenario " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  Expected<Scenario> scenario = parse_scenario(text.str(), file.parent_path());
  if (!scenario) return Status(scenario.status().code(), file.string() + ": " + scenario.status().message());
  return scenario;
}

const char* complexity_name(Complexity complexity) {
  switch (complexity) {
    case Complexity::kTiny: return "tiny";
    case Complexity::kModerate: return "moderate";
    case Complexity::kRich: return "rich";
  }
  return "?";
}

const char* connectivity_name(Connectivity connectivity) {
  switch (connectivity) {
    case Connectivity::kAlways: return "always";
    case Connectivity::kIntermittent: return "intermittent";
    case Connectivity::kOffline: return "offline";
  }
  return "?";
}

}  // namespace tierml::advise
