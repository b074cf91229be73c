// tierml device --model TINY.tflite --features RECIPE --stream FILE
//               --broker mqtt://HOST:PORT --id ID [--fleet F] ...
//
// Emulates a sensor node of the hybrid tier (docs/hybrid.md): the trigger
// model runs on the stream with the device interpreter, triggers become
// events queued on disk and published with MQTT 5 QoS 1. Exit 0 when the
// stream is done (events still queued are reported and kept for the next
// run), 2 for bad usage or input, 3 for a model that cannot run.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "hybrid/device_agent.h"

namespace tierml::cli {
namespace {

struct DeviceCliOptions {
  hybrid::DeviceOptions device;
  std::string broker;
  std::string rate = "realtime";
  bool json = false;
};

void print_text(const nlohmann::json& j) {
  const std::string type = j.value("type", "");
  if (type == "event") {
    std::printf(
        "trigger at %.2f s: score %.3f, event %s%s\n",
        j["window_start_s"].get<double>(), j["score"].get<double>(),
        j["id"].get<std::string>().c_str(),
        j["queued"].get<bool>() ? " (queued on disk, broker not connected)" : "");
  } else if (type == "link" && j["state"] == "down") {
    std::printf(
        "broker unreachable (%s): queueing events to disk in %s (%zu waiting); "
        "they are sent when the link returns\n",
        j["reason"].get<std::string>().c_str(),
        j["queue_dir"].get<std::string>().c_str(), j["queued"].get<size_t>());
  } else if (type == "link") {
    std::printf("connected to the broker (%zu events waiting)\n",
                j["queued"].get<size_t>());
  } else if (type == "queue") {
    std::printf("%zu undelivered events from an earlier run found in %s\n",
                j["recovered"].get<size_t>(),
                j["queue_dir"].get<std::string>().c_str());
  } else if (type == "error") {
    std::printf("error: %s\n", j["reason"].get<std::string>().c_str());
  } else if (type == "summary") {
    std::printf(
        "%.1f s of stream: %llu inferences, %llu triggers, %llu published "
        "(%llu acknowledged), %llu bytes sent vs %llu raw; energy %.4f J "
        "(%.1f J/day on %s + %s)\n",
        j["stream_s"].get<double>(), j["inferences"].get<unsigned long long>(),
        j["triggers"].get<unsigned long long>(),
        j["published"].get<unsigned long long>(),
        j["acked"].get<unsigned long long>(),
        j["bytes_sent"].get<unsigned long long>(),
        j["raw_bytes"].get<unsigned long long>(), j["energy_j"].get<double>(),
        j["energy_per_day_j"].get<double>(),
        j["board"].get<std::string>().c_str(),
        j["radio"].get<std::string>().c_str());
    if (j["queued"].get<size_t>() > 0)
      std::printf(
          "%zu events not yet acknowledged stay queued in %s for the next "
          "run\n",
          j["queued"].get<size_t>(), j["queue_dir"].get<std::string>().c_str());
  }
  std::fflush(stdout);
}

int device_main(DeviceCliOptions& options) {
  auto broker = hybrid::parse_broker_url(options.broker);
  if (!broker) return report_error(broker.status());
  options.device.broker = *broker;
  options.device.realtime = options.rate == "realtime";
  const bool json = options.json;
  const Status status =
      hybrid::run_device(options.device, [json](const nlohmann::json& j) {
        if (json) {
          std::printf("%s\n", j.dump().c_str());
          std::fflush(stdout);
        } else {
          print_text(j);
        }
      });
  return status.is_ok() ? kExitOk : report_error(status);
}

}  // namespace

void add_device_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DeviceCliOptions>();
  hybrid::DeviceOptions& d = options->device;
  CLI::App* cmd = app.add_subcommand(
      "device",
      "Emulate a hybrid-tier sensor node: trigger model on a recorded stream, "
      "events to an MQTT broker with a store-and-forward disk queue");
  cmd->add_option("--model", d.model, "trigger model (.tflite)")->required();
  cmd->add_option("--features", d.recipe,
                  "feature recipe: kws or ad (docs/features.md)")
      ->required()
      ->check(CLI::IsMember({"kws", "ad"}));
  cmd->add_option("--stream", d.stream,
                  "sensor stream: 16-bit PCM mono .wav, or .csv")
      ->required();
  cmd->add_option("--broker", options->broker, "MQTT broker, mqtt://HOST:PORT")
      ->required();
  cmd->add_option("--id", d.id, "device id (topic level; no '/', '+', '#')")
      ->required();
  cmd->add_option("--fleet", d.fleet, "fleet id (topic level)")
      ->capture_default_str();
  cmd->add_option(
         "--rate", options->rate,
         "realtime: the stream's own pace; max: as fast as it computes")
      ->capture_default_str()
      ->check(CLI::IsMember({"realtime", "max"}));
  cmd->add_option("--threshold", d.threshold,
                  "trigger when the score reaches this")
      ->capture_default_str();
  cmd->add_option("--refractory", d.refractory_s,
                  "seconds without a new trigger after one")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--payload", d.payload,
                  "what an event carries: features or raw samples")
      ->capture_default_str()
      ->check(CLI::IsMember({"features", "raw"}));
  cmd->add_option("--queue-dir", d.queue_dir,
                  "store-and-forward queue directory (default: "
                  "<tmp>/tierml-queue-<fleet>-<id>)");
  cmd->add_option(
         "--queue-max-bytes", d.queue_limits.max_bytes,
         "queue bound; the oldest events are dropped (and counted) beyond it")
      ->capture_default_str();
  cmd->add_option("--telemetry-interval", d.telemetry_s,
                  "seconds of stream between telemetry")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_option(
         "--linger", d.linger_s,
         "after the stream, wait up to this many seconds for acknowledgements")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--board", d.board,
                  "board for the energy estimate (data/boards.yaml)")
      ->capture_default_str();
  cmd->add_option("--radio", d.radio,
                  "radio for the energy estimate (data/radios.yaml)")
      ->capture_default_str();
  cmd->add_flag("--json", options->json,
                "one JSON object per line (events, link, summary)");
  cmd->callback([options, &exit_code] { exit_code = device_main(*options); });
}

}  // namespace tierml::cli
