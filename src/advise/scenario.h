// A deployment scenario: what the task needs, on which device, under which
// requirements. Read from YAML; docs/scenario.md documents every key.
#ifndef TIERML_ADVISE_SCENARIO_H_
#define TIERML_ADVISE_SCENARIO_H_

#include <filesystem>
#include <optional>
#include <string>

#include "common/status.h"

namespace tierml::advise {

enum class Complexity { kTiny, kModerate, kRich };
enum class Connectivity { kAlways, kIntermittent, kOffline };

// What `tierml profile --json` measured for one model and engine on the
// scenario's core; it replaces that engine's estimates (advise --measured).
struct MeasuredRun {
  double instructions = 0;        // per inference
  double runtime_code_bytes = 0;  // kernels plus interpreter or generated code
  double model_bytes = 0;         // weights or model blob, in flash
  double ram_bytes = 0;           // arena + static data + stack high-water mark
  std::string target;             // cortex-m4, ...
  std::string source;             // the profile file
};

// What running one model costs, whatever it came from.
struct ModelFigures {
  double macs = 0;          // multiply-accumulates per inference
  double weight_bytes = 0;  // constants in flash
  double arena_bytes = 0;   // activations in RAM at the peak
  std::string origin;       // "model.tflite" or "scenario figures"
  std::optional<MeasuredRun> measured_interpreter, measured_compiled;
};

struct Scenario {
  std::string name;
  // task
  std::optional<std::filesystem::path> tiny_model_path, full_model_path;
  std::optional<ModelFigures> tiny, full;  // filled from paths or figures
  Complexity complexity = Complexity::kModerate;
  // device
  std::string device;
  double firmware_flash_kib = 96;  // rest of the firmware: radio stack, RTOS, drivers
  double firmware_ram_kib = 24;
  // sensor
  double window_bytes = 0;
  double inferences_per_day = 0;
  double events_per_day = 0;
  double sensor_power_uw = 0;  // average power of the sensor itself
  double result_bytes = 16;    // what a device sends for one decision
  // requirements
  double latency_ms = 1000;
  Connectivity connectivity = Connectivity::kAlways;
  bool mains_power = true;
  std::string battery;
  double life_days = 0;
  bool raw_data_may_leave_device = true;
  double model_updates_per_year = 0;
  double fleet_size = 1;
  std::string radio;
  bool edge_gateway = false;
  std::string gateway = "raspberry-pi-5";
  double devices_per_gateway = 50;
  std::optional<double> cloud_budget_usd_per_month;

  // The model a TinyML placement must run on the device: the full task.
  const ModelFigures& task_model() const { return full ? *full : *tiny; }
  // The trigger a hybrid placement runs on the device.
  const ModelFigures& trigger_model() const { return tiny ? *tiny : *full; }
};

// Parses and validates; model paths are resolved relative to base_dir but
// not read (see resolve_models).
Expected<Scenario> parse_scenario(const std::string& yaml_text,
                                  const std::filesystem::path& base_dir);
Expected<Scenario> load_scenario(const std::filesystem::path& file);

// Reads tiny_model/full_model files and fills their figures.
Status resolve_models(Scenario& scenario);

const char* complexity_name(Complexity complexity);
const char* connectivity_name(Connectivity connectivity);

}  // namespace tierml::advise

#endif  // TIERML_ADVISE_SCENARIO_H_
