// tierml simulate --devices N --duration D --scenario FILE [--broker URL]
// [--json]
//
// Runs N simulated hybrid-tier devices in this process against a running
// broker and gateway(s) (docs/hybrid.md, "Simulation") and reports bytes
// sent against raw streaming, trigger -> verdict latency, confirmation
// precision and recall against the injected truth, and energy per day and
// battery life from the advisor's catalog.
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "hybrid/simulation.h"

namespace tierml::cli {
namespace {

struct SimulateOptions {
  hybrid::SimulationOptions simulation;
  std::string broker = "mqtt://127.0.0.1:1883";
  std::string duration, scenario;
  bool json = false;
};

// "90", "90s", "15m", "2h" -> seconds.
Expected<double> parse_duration(const std::string& text) {
  double value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string unit(end, text.data() + text.size());
  const double scale = unit.empty() || unit == "s" ? 1
                       : unit == "m"               ? 60
                       : unit == "h"               ? 3600
                                                   : 0;
  if (ec != std::errc() || scale == 0 || value <= 0)
    return invalid_argument("--duration '" + text +
                            "': expected a positive number of seconds, "
                            "or with a unit: 90s, 15m, 2h");
  return value * scale;
}

void print_report(const nlohmann::json& r) {
  const auto& lat = r["latency_ms"];
  const auto& c = r["confirmation"];
  const auto& e = r["energy"];
  std::printf(
      "%d devices, %.0f s simulated (%.1f s wall, max lag %.0f ms), %llu "
      "inferences\n",
      r["devices"].get<int>(), r["duration_s"].get<double>(),
      r["wall_s"].get<double>(), r["max_lag_ms"].get<double>(),
      r["inferences"].get<unsigned long long>());
  std::printf(
      "injected: %llu events, %llu decoys; triggers %llu, verdicts %llu (%llu "
      "missing)\n",
      r["injected"]["events"].get<unsigned long long>(),
      r["injected"]["decoys"].get<unsigned long long>(),
      r["triggers"].get<unsigned long long>(),
      r["verdicts"].get<unsigned long long>(),
      r["missing_verdicts"].get<unsigned long long>());
  std::printf("bytes sent: %llu vs %.0f streaming raw (%.5f%%)\n",
              r["bytes"]["sent"].get<unsigned long long>(),
              r["bytes"]["raw_stream"].get<double>(),
              100 * r["bytes"]["ratio"].get<double>());
  std::printf(
      "trigger -> verdict latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max "
      "%.1f ms\n",
      lat["p50"].get<double>(), lat["p90"].get<double>(),
      lat["p99"].get<double>(), lat["max"].get<double>());
  std::printf(
      "confirmed events: precision %.3f, recall %.3f (trigger recall %.3f)\n",
      c["precision"].get<double>(), c["recall"].get<double>(),
      c["trigger_recall"].get<double>());
  std::printf(
      "energy per device per day: %.2f J (%s + %s) -> %.0f days on %s; "
      "streaming raw: %.1f J/day -> %.1f days\n",
      e["per_device_j_per_day"]["mean"].get<double>(),
      e["board"].get<std::string>().c_str(),
      e["radio"].get<std::string>().c_str(),
      e["battery_life_days"]["mean"].get<double>(),
      e["battery"].get<std::string>().c_str(),
      e["raw_streaming_j_per_day"].get<double>(),
      e["raw_streaming_battery_life_days"].get<double>());
}

int simulate_main(SimulateOptions& options) {
  auto broker = hybrid::parse_broker_url(options.broker);
  if (!broker) return report_error(broker.status());
  auto duration = parse_duration(options.duration);
  if (!duration) return report_error(duration.status());
  auto scenario = hybrid::read_simulation_scenario(options.scenario);
  if (!scenario) return report_error(scenario.status());
  hybrid::SimulationOptions& sim = options.simulation;
  sim.broker = *broker;
  sim.duration_s = *duration;
  sim.scenario = *scenario;
  const bool tty = ::isatty(STDERR_FILENO);
  const double total = *duration;
  auto report = hybrid::run_simulation(
      sim, [tty, total](double done, const nlohmann::json& n) {
        if (!tty) return;
        const int width = 30,
                  filled =
                      static_cast<int>(width * std::min(1.0, done / total));
        std::fprintf(
            stderr, "\r[%s%s] %3.0f%% %.0f/%.0f s, %llu events, %llu verdicts ",
            std::string(filled, '#').c_str(),
            std::string(width - filled, '.').c_str(),
            100 * std::min(1.0, done / total), done, total,
            n["events"].get<unsigned long long>(),
            n["verdicts"].get<unsigned long long>());
        std::fflush(stderr);
      });
  if (tty) std::fprintf(stderr, "\n");
  if (!report) return report_error(report.status());
  if (options.json) {
    std::printf("%s\n", report->dump().c_str());
  } else {
    print_report(*report);
  }
  return kExitOk;
}

}  // namespace

void add_simulate_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "Simulate a fleet of hybrid-tier devices against a running broker and "
      "gateway(s); report bytes, latency, precision/recall and battery life");
  cmd->add_option("--devices", options->simulation.devices, "simulated devices")
      ->required()
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--duration", options->duration,
                  "simulated time, run in real time: 90, 90s, 15m, 2h")
      ->required();
  cmd->add_option("--scenario", options->scenario,
                  "YAML scenario: trigger model, event rates, board, radio, "
                  "battery (docs/hybrid.md)")
      ->required();
  cmd->add_option("--broker", options->broker,
                  "MQTT broker the gateways listen to, mqtt://HOST:PORT")
      ->capture_default_str();
  cmd->add_option(
         "--drain", options->simulation.drain_s,
         "after the run, wait up to this many seconds for missing verdicts")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_flag("--json", options->json, "print the report as JSON");
  cmd->callback([options, &exit_code] { exit_code = simulate_main(*options); });
}

}  // namespace tierml::cli
