// `tierml simulate`: N simulated devices in one process against a real
// broker and the gateways listening to it.
//
// Each device walks its own sensor stream window by window in real time
// (one window per hop of the trigger pipeline). A window is quiet, a tone
// burst (a real event) or a noise burst (a decoy), drawn per device with the
// scenario's rates; its features come from a library of synthetic windows
// computed once with runtime/dsp, so that 1,000 devices fit on two cores,
// while the trigger model runs on every window of every device with the
// device interpreter. A trigger is published as a real event (QoS 1, the
// devices sharing a few MQTT connections); the simulator subscribes to the
// verdicts and measures trigger -> verdict latency on one clock, and
// precision and recall of the confirmed events against the injected truth.
#ifndef TIERML_HYBRID_SIMULATION_H_
#define TIERML_HYBRID_SIMULATION_H_

#include <functional>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "hybrid/broker_url.h"
#include "hybrid/simulation_scenario.h"

namespace tierml::hybrid {

struct SimulationOptions {
  int devices = 100;
  double duration_s = 60;
  double drain_s = 10;  // after the run, wait this long for missing verdicts
  BrokerUrl broker;
  SimulationScenario scenario;
};

// Called about once a second with the simulated time done and the counts so
// far ({"t":..,"events":..,"verdicts":..}).
using SimulationProgress =
    std::function<void(double done_s, const nlohmann::json& counts)>;

// The report (docs/hybrid.md lists its fields); errors for a scenario that
// cannot run (model, catalog ids) before anything is published.
Expected<nlohmann::json> run_simulation(const SimulationOptions& options,
                                        const SimulationProgress& progress);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_SIMULATION_H_
