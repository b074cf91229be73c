// tierml gateway --broker mqtt://HOST:PORT --model-repository DIR
//                --group NAME [--metrics-port P] ...
//
// The edge half of the hybrid tier (docs/hybrid.md): confirms device events
// with the repository's model and publishes a verdict per event id, once.
// Runs until SIGTERM or SIGINT, then disconnects and exits 0.
#include "hybrid/gateway.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"

namespace tierml::cli {
namespace {

struct GatewayCliOptions {
  hybrid::GatewayOptions gateway;
  std::string broker;
  bool json = false;
};

void print_text(const nlohmann::json& j) {
  const std::string type = j.value("type", "");
  if (type == "verdict") {
    std::printf("%s from %s: %s (score %.3f)\n",
                j["id"].get<std::string>().c_str(),
                j["device"].get<std::string>().c_str(),
                j["confirmed"].get<bool>() ? "confirmed" : "not confirmed",
                j["confirm_score"].get<double>());
  } else if (type == "duplicate") {
    std::printf("%s: already decided, verdict sent again\n",
                j["id"].get<std::string>().c_str());
  } else if (type == "rejected") {
    std::printf("rejected a message on %s: %s\n",
                j["topic"].get<std::string>().c_str(),
                j["reason"].get<std::string>().c_str());
  } else if (type == "failed") {
    std::printf("could not decide %s: %s\n", j["id"].get<std::string>().c_str(),
                j["reason"].get<std::string>().c_str());
  } else if (type == "link" && j["state"] == "down") {
    std::printf("broker link down (%s); reconnecting\n",
                j["reason"].get<std::string>().c_str());
  } else if (type == "link") {
    std::printf("connected; consuming %s\n",
                j["subscription"].get<std::string>().c_str());
  } else {
    std::printf("%s\n", j.dump().c_str());
  }
  std::fflush(stdout);
}

int gateway_main(GatewayCliOptions& options) {
  auto broker = hybrid::parse_broker_url(options.broker);
  if (!broker) return report_error(broker.status());
  options.gateway.broker = *broker;
  // Only the waiter below sees SIGTERM/SIGINT (threads inherit the mask).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  const bool json = options.json;
  auto gateway =
      hybrid::Gateway::start(options.gateway, [json](const nlohmann::json& j) {
        if (json) {
          std::printf("%s\n", j.dump().c_str());
          std::fflush(stdout);
        } else {
          print_text(j);
        }
      });
  if (!gateway) return report_error(gateway.status());
  {
    const nlohmann::json ready = {{"type", "ready"},
                                  {"metrics_port", (*gateway)->metrics_port()},
                                  {"state_dir", (*gateway)->state_dir()}};
    if (json) {
      std::printf("%s\n", ready.dump().c_str());
    } else {
      std::printf("tierml gateway: ready (state in %s%s)\n",
                  (*gateway)->state_dir().c_str(),
                  (*gateway)->metrics_port() >= 0
                      ? (", metrics on port " +
                         std::to_string((*gateway)->metrics_port()))
                            .c_str()
                      : "");
    }
    std::fflush(stdout);
  }
  int received = 0;
  sigwait(&signals, &received);
  (*gateway)->stop();
  const nlohmann::json summary = {{"type", "summary"},
                                  {"stats", (*gateway)->stats().json()}};
  if (json) {
    std::printf("%s\n", summary.dump().c_str());
  } else {
    std::fprintf(stderr, "tierml gateway: signal %d, stopped\n", received);
  }
  return kExitOk;
}

}  // namespace

void add_gateway_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GatewayCliOptions>();
  hybrid::GatewayOptions& g = options->gateway;
  CLI::App* cmd = app.add_subcommand(
      "gateway",
      "Confirm hybrid-tier device events with a bigger model: MQTT shared "
      "subscription in, one verdict per event id out, Prometheus metrics");
  cmd->add_option("--broker", options->broker, "MQTT broker, mqtt://HOST:PORT")
      ->required();
  cmd->add_option(
         "--model-repository", g.repository,
         "folder of <model>/<version>/model.tflite, as for `tierml serve`")
      ->required();
  cmd->add_option(
         "--group", g.group,
         "shared-subscription group: gateways of one group split the events")
      ->required();
  cmd->add_option("--model", g.model,
                  "confirm model name (default: the repository's only one)");
  cmd->add_option(
      "--id", g.id,
      "MQTT client id; keep it across restarts so the broker hands back "
      "this gateway's unacknowledged events (default: host and pid)");
  cmd->add_option("--state-dir", g.state_dir,
                  "decided event ids, shared by the group's gateways "
                  "(default: <tmp>/tierml-gateway-<group>)");
  cmd->add_option("--metrics-port", g.metrics_port,
                  "serve /metrics and /stats on this port (0: any free port; "
                  "default: off)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--metrics-host", g.metrics_host,
                  "address for the metrics endpoint")
      ->capture_default_str();
  cmd->add_option("--confirm-threshold", g.confirm_threshold,
                  "confirm when the model's score reaches this")
      ->capture_default_str();
  cmd->add_option("--dedup-capacity", g.dedup_capacity,
                  "event ids remembered for deduplication")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100000000}));
  cmd->add_option("--psi-events", g.psi_events,
                  "events in the drift reference and in the compared window")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  cmd->add_option(
         "--session-expiry", g.session_expiry_s,
         "seconds the broker keeps this gateway's session while it is away")
      ->capture_default_str();
  cmd->add_flag("--json", options->json, "one JSON object per line");
  cmd->callback([options, &exit_code] { exit_code = gateway_main(*options); });
}

}  // namespace tierml::cli
