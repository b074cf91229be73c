#include "hybrid/simulation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "hybrid/energy.h"
#include "hybrid/event.h"
#include "hybrid/mqtt_client.h"
#include "hybrid/trigger_pipeline.h"
#include "hybrid/window_library.h"

namespace tierml::hybrid {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kLibraryPerClass = 16;

struct Pending {
  Clock::time_point sent;
  bool tone = false;
  bool decided = false;
  bool confirmed = false;
  double latency_ms = 0;
};

struct DeviceState {
  std::string id;
  double next_trigger_s = 0;
  uint64_t triggers = 0, bytes = 0;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t at = static_cast<size_t>(std::ceil(p / 100.0 * values.size()));
  return values[std::clamp<size_t>(at, 1, values.size()) - 1];
}

}  // namespace

Expected<json> run_simulation(const SimulationOptions& o,
                              const SimulationProgress& progress) {
  const SimulationScenario& s = o.scenario;
  if (o.devices < 1) return invalid_argument("--devices must be at least 1");
  if (!valid_topic_id(s.fleet))
    return invalid_argument("scenario fleet '" + s.fleet +
                            "' is not a topic level");
  auto created = TriggerPipeline::create(s.trigger_model, s.features);
  if (!created) return created.status();
  TriggerPipeline& pipeline = **created;
  auto energy = EnergyEstimate::create(s.board, s.radio,
                                       static_cast<double>(pipeline.macs()));
  if (!energy) return energy.status();
  if (auto check = energy->battery_days(s.battery, 1.0); !check)
    return check.status();
  auto library =
      build_window_library(pipeline, s.seed, s.min_gain, kLibraryPerClass);
  if (!library) return library.status();

  std::mutex mutex;
  std::condition_variable cv;
  std::unordered_map<std::string, Pending> pending;
  uint64_t verdicts = 0, duplicate_verdicts = 0, acked = 0;
  int connected = 0;

  MqttCallbacks watch;
  MqttClient* watcher_ptr = nullptr;
  watch.connected = [&](bool) {
    (void)watcher_ptr->subscribe("tierml/" + s.fleet + "/+/verdicts", 1);
    std::lock_guard lock(mutex);
    ++connected;
    cv.notify_all();
  };
  watch.message = [&](const MqttMessage& m) {
    auto v = decode_verdict(m.payload);
    if (!v) return;
    const Clock::time_point now = Clock::now();
    std::lock_guard lock(mutex);
    const auto it = pending.find(v->id);
    if (it == pending.end()) return;
    if (it->second.decided) {
      ++duplicate_verdicts;
      return;
    }
    it->second.decided = true;
    it->second.confirmed = v->confirmed;
    it->second.latency_ms =
        std::chrono::duration<double, std::milli>(now - it->second.sent)
            .count();
    ++verdicts;
    cv.notify_all();
  };
  auto watcher = MqttClient::create(
      {o.broker, "tierml-simulate-" + s.fleet + "-verdicts"}, watch);
  if (!watcher) return watcher.status();
  watcher_ptr = watcher->get();

  std::vector<std::unique_ptr<MqttClient>> clients;
  for (int c = 0; c < s.connections; ++c) {
    MqttCallbacks callbacks;
    callbacks.connected = [&](bool) {
      std::lock_guard lock(mutex);
      ++connected;
      cv.notify_all();
    };
    callbacks.published = [&](int, int) {
      std::lock_guard lock(mutex);
      ++acked;
    };
    auto client = MqttClient::create(
        {o.broker, "tierml-simulate-" + s.fleet + "-" + std::to_string(c)},
        callbacks);
    if (!client) return client.status();
    clients.push_back(std::move(*client));
  }
  (*watcher)->connect();
  for (auto& c : clients) c->connect();
  {
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, std::chrono::seconds(10),
                     [&] { return connected >= s.connections + 1; }))
      return io_error("cannot reach the broker at " + o.broker.host + ":" +
                      std::to_string(o.broker.port) +
                      " (start mosquitto and a gateway first)");
  }
  std::this_thread::sleep_for(
      std::chrono::milliseconds(300));  // the verdict SUBSCRIBE

  std::vector<DeviceState> devices(static_cast<size_t>(o.devices));
  for (int d = 0; d < o.devices; ++d) {
    char id[32];
    std::snprintf(id, sizeof id, "sim-%05d", d);
    devices[d].id = id;
  }
  std::mt19937_64 rng(s.seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double hop_s =
      static_cast<double>(pipeline.hop_samples()) / pipeline.sample_rate();
  const double p_tone = s.events_per_hour / 3600.0 * hop_s;
  const double p_decoy = s.decoys_per_hour / 3600.0 * hop_s;
  const int64_t steps = static_cast<int64_t>(o.duration_s / hop_s);
  char nonce[16];
  std::snprintf(nonce, sizeof nonce, "%08x",
                static_cast<unsigned>(std::random_device{}()));
  uint64_t inferences = 0, injected[3] = {0, 0, 0}, publish_errors = 0,
           triggers = 0;
  double max_lag_s = 0;
  const Clock::time_point start = Clock::now();
  Clock::time_point next_progress = start;
  const auto counts = [&] {
    std::lock_guard lock(mutex);
    return json{{"events", triggers}, {"verdicts", verdicts}};
  };
  for (int64_t step = 0; step < steps; ++step) {
    const double t = static_cast<double>(step) * hop_s;
    const Clock::time_point due =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(t));
    std::this_thread::sleep_until(due);
    max_lag_s = std::max(
        max_lag_s, std::chrono::duration<double>(Clock::now() - due).count());
    for (size_t d = 0; d < devices.size(); ++d) {
      DeviceState& dev = devices[d];
      const double r = uniform(rng);
      const int cls = r < p_tone             ? kEventWindow
                      : r < p_tone + p_decoy ? kDecoyWindow
                                             : kQuietWindow;
      ++injected[cls];
      const std::vector<uint8_t>& input =
          (*library)[cls][rng() % kLibraryPerClass];
      auto score = pipeline.score_input(input);
      if (!score) return score.status();
      ++inferences;
      if (*score < s.threshold || t < dev.next_trigger_s) continue;
      dev.next_trigger_s = t + s.refractory_s;
      Event e;
      e.id = dev.id + "-" + nonce + "-" + std::to_string(dev.triggers);
      e.fleet = s.fleet;
      e.device = dev.id;
      e.seq = dev.triggers++;
      e.window_start_s = t;
      e.window_end_s = t + static_cast<double>(pipeline.window_samples()) /
                               pipeline.sample_rate();
      e.triggered_at_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::system_clock::now().time_since_epoch())
              .count();
      e.score = *score;
      e.threshold = static_cast<float>(s.threshold);
      e.model_version = pipeline.model_version();
      e.recipe = pipeline.recipe();
      e.window = pipeline.input_description();
      e.data = input;
      const std::vector<uint8_t> payload = encode_event(e);
      {
        std::lock_guard lock(mutex);
        pending[e.id] = {Clock::now(), cls == kEventWindow};
        ++triggers;
      }
      if (!clients[d % clients.size()]->publish(
              topic_for(s.fleet, dev.id, "events"), payload, 1)) {
        ++publish_errors;
        continue;
      }
      dev.bytes += payload.size();
    }
    if (progress && Clock::now() >= next_progress) {
      progress(t, counts());
      next_progress += std::chrono::seconds(1);
    }
  }
  const double run_s =
      std::chrono::duration<double>(Clock::now() - start).count();
  {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, std::chrono::duration<double>(o.drain_s),
                [&] { return verdicts + publish_errors >= pending.size(); });
  }
  if (progress) progress(static_cast<double>(steps) * hop_s, counts());
  for (auto& c : clients) c->stop();
  (*watcher)->stop();

  // Confirmation quality against the injected truth.
  std::vector<double> latencies;
  uint64_t tp = 0, fp = 0, tone_triggers = 0, missing = 0;
  for (const auto& [id, p] : pending) {
    tone_triggers += p.tone;
    if (!p.decided) {
      ++missing;
      continue;
    }
    latencies.push_back(p.latency_ms);
    if (p.confirmed) (p.tone ? tp : fp) += 1;
  }
  const double sim_s = static_cast<double>(steps) * hop_s;
  uint64_t bytes = 0;
  std::vector<double> per_day_j, battery_days;
  const double inferences_per_day = 86400.0 / hop_s;
  for (const DeviceState& dev : devices) {
    bytes += dev.bytes;
    const double scale = 86400.0 / sim_s;
    const double j = energy->total_j(86400.0, inferences_per_day,
                                     static_cast<double>(dev.triggers) * scale,
                                     static_cast<double>(dev.bytes) * scale);
    per_day_j.push_back(j);
    battery_days.push_back(*energy->battery_days(s.battery, j));
  }
  const double raw_bytes =
      static_cast<double>(o.devices) * sim_s * pipeline.sample_rate() * 2;
  const double raw_per_day = 86400.0 * pipeline.sample_rate() * 2;
  const double raw_j = energy->sleep_j(86400.0) + energy->send_j(raw_per_day);
  const auto summary = [](const std::vector<double>& v) {
    return json{{"mean", std::accumulate(v.begin(), v.end(), 0.0) /
                             std::max<size_t>(v.size(), 1)},
                {"min", v.empty() ? 0 : *std::min_element(v.begin(), v.end())},
                {"max", v.empty() ? 0 : *std::max_element(v.begin(), v.end())}};
  };
  const double mean_latency =
      latencies.empty()
          ? 0
          : std::accumulate(latencies.begin(), latencies.end(), 0.0) /
                latencies.size();
  return json{
      {"devices", o.devices},
      {"duration_s", sim_s},
      {"wall_s", run_s},
      {"max_lag_ms", max_lag_s * 1000},
      {"connections", s.connections},
      {"window_hop_s", hop_s},
      {"inferences", inferences},
      {"injected",
       {{"events", injected[kEventWindow]},
        {"decoys", injected[kDecoyWindow]}}},
      {"triggers", triggers},
      {"publish_errors", publish_errors},
      {"verdicts", verdicts},
      {"duplicate_verdicts", duplicate_verdicts},
      {"missing_verdicts", missing},
      {"bytes",
       {{"sent", bytes},
        {"raw_stream", raw_bytes},
        {"ratio", raw_bytes > 0 ? static_cast<double>(bytes) / raw_bytes : 0}}},
      {"latency_ms",
       {{"p50", percentile(latencies, 50)},
        {"p90", percentile(latencies, 90)},
        {"p99", percentile(latencies, 99)},
        {"max", percentile(latencies, 100)},
        {"mean", mean_latency}}},
      {"confirmation",
       {{"true_positives", tp},
        {"false_positives", fp},
        {"false_negatives",
         injected[kEventWindow] - std::min(tp, injected[kEventWindow])},
        {"precision", tp + fp ? static_cast<double>(tp) / (tp + fp) : 0},
        {"recall", injected[kEventWindow]
                       ? static_cast<double>(tp) / injected[kEventWindow]
                       : 0},
        {"trigger_recall",
         injected[kEventWindow]
             ? static_cast<double>(tone_triggers) / injected[kEventWindow]
             : 0}}},
      {"energy",
       {{"board", s.board},
        {"radio", s.radio},
        {"battery", s.battery},
        {"inference_j", energy->inference_j()},
        {"per_device_j_per_day", summary(per_day_j)},
        {"battery_life_days", summary(battery_days)},
        {"raw_streaming_j_per_day", raw_j},
        {"raw_streaming_battery_life_days",
         *energy->battery_days(s.battery, raw_j)}}}};
}

}  // namespace tierml::hybrid
