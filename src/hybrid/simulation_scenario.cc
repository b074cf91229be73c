#include "hybrid/simulation_scenario.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "advise/yaml_fields.h"

namespace tierml::hybrid {

Expected<SimulationScenario> read_simulation_scenario(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return io_error("cannot open scenario " + path);
  } catch (const YAML::Exception& e) {
    return invalid_argument(path + ": " + e.what());
  }
  if (!root.IsMap())
    return invalid_argument(path + ": expected a mapping of scenario keys");
  advise::YamlFields f(root, path);
  SimulationScenario s;
  s.trigger_model = f.text("trigger_model");
  s.features = f.optional_text("features").value_or(s.features);
  s.fleet = f.optional_text("fleet").value_or(s.fleet);
  s.threshold = f.number_or("threshold", s.threshold);
  s.refractory_s = f.number_or("refractory_s", s.refractory_s);
  s.events_per_hour = f.number_or("events_per_hour", s.events_per_hour);
  s.decoys_per_hour = f.number_or("decoys_per_hour", s.decoys_per_hour);
  s.min_gain = f.number_or("min_gain", s.min_gain);
  s.board = f.optional_text("board").value_or(s.board);
  s.radio = f.optional_text("radio").value_or(s.radio);
  s.battery = f.optional_text("battery").value_or(s.battery);
  s.connections = static_cast<int>(f.number_or("connections", s.connections));
  s.seed = static_cast<uint32_t>(f.number_or("seed", s.seed));
  if (s.events_per_hour < 0 || s.decoys_per_hour < 0)
    f.fail("events_per_hour and decoys_per_hour must be >= 0");
  if (s.min_gain <= 0 || s.min_gain > 1) f.fail("min_gain must be in (0, 1]");
  if (s.connections < 1 || s.connections > 256)
    f.fail("connections must be 1 to 256");
  const std::string error = f.finish();
  if (!error.empty()) return invalid_argument(error);
  const std::filesystem::path model(s.trigger_model);
  if (model.is_relative())
    s.trigger_model =
        (std::filesystem::path(path).parent_path() / model).string();
  return s;
}

}  // namespace tierml::hybrid
