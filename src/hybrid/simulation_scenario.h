// What `tierml simulate` simulates, from a YAML file (docs/hybrid.md,
// "Simulation"). Unknown keys are errors naming the file and key.
#ifndef TIERML_HYBRID_SIMULATION_SCENARIO_H_
#define TIERML_HYBRID_SIMULATION_SCENARIO_H_

#include <cstdint>
#include <string>

#include "common/status.h"

namespace tierml::hybrid {

struct SimulationScenario {
  std::string trigger_model;  // resolved against the scenario's directory
  std::string features = "ad";
  std::string fleet = "sim";
  double threshold = 0.5;
  double refractory_s = 1.0;
  double events_per_hour = 60;  // tone bursts injected per device
  double decoys_per_hour = 60;  // noise bursts injected per device
  // Burst loudness is drawn per burst between min_gain and 1 (relative to
  // the synthetic signal's full burst): quiet bursts may not trigger.
  double min_gain = 0.05;
  std::string board = "nrf52840";
  std::string radio = "ble";
  std::string battery = "aa-lithium";
  int connections = 4;  // MQTT connections shared by the simulated devices
  uint32_t seed = 1;
};

Expected<SimulationScenario> read_simulation_scenario(const std::string& path);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_SIMULATION_SCENARIO_H_
