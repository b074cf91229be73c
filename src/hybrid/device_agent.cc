#include "hybrid/device_agent.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "hybrid/energy.h"
#include "hybrid/event.h"
#include "hybrid/mqtt_client.h"
#include "hybrid/queue_publisher.h"
#include "hybrid/sensor_stream.h"
#include "hybrid/trigger_pipeline.h"

namespace tierml::hybrid {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string boot_nonce() {
  std::random_device random;
  char text[24];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

// The device's view of its link, reported once per change.
class LinkState {
 public:
  LinkState(const DeviceLog& log, const DiskQueue& queue, std::string queue_dir)
      : log_(log), queue_(queue), queue_dir_(std::move(queue_dir)) {}
  void up() {
    std::lock_guard lock(mutex_);
    if (state_ == 1) return;
    state_ = 1;
    log_({{"type", "link"}, {"state", "up"}, {"queued", queue_.pending()}});
  }
  void down(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (state_ == 0) return;
    state_ = 0;
    log_({{"type", "link"},
          {"state", "down"},
          {"reason", reason},
          {"queued", queue_.pending()},
          {"queue_dir", queue_dir_}});
  }

 private:
  const DeviceLog& log_;
  const DiskQueue& queue_;
  std::string queue_dir_;
  std::mutex mutex_;
  int state_ = -1;  // unknown until the first connect or failure
};

}  // namespace

Status run_device(const DeviceOptions& o, const DeviceLog& unsafe_log) {
  std::mutex log_mutex;
  const DeviceLog log = [&](const json& j) {
    std::lock_guard lock(log_mutex);
    unsafe_log(j);
  };
  if (!valid_topic_id(o.id))
    return invalid_argument("--id '" + o.id +
                            "' must be non-empty without '/', '+' or '#'");
  if (!valid_topic_id(o.fleet))
    return invalid_argument("--fleet '" + o.fleet +
                            "' must be non-empty without '/', '+' or '#'");
  if (o.payload != "features" && o.payload != "raw")
    return invalid_argument("--payload must be 'features' or 'raw'");
  auto pipeline = TriggerPipeline::create(o.model, o.recipe);
  if (!pipeline) return pipeline.status();
  TriggerPipeline& trigger = **pipeline;
  auto stream = read_sensor_stream(o.stream);
  if (!stream) return stream.status();
  if (stream->sample_rate != 0 && stream->sample_rate != trigger.sample_rate())
    return invalid_argument(
        o.stream + ": sample rate " + std::to_string(stream->sample_rate) +
        " Hz, the " + o.recipe + " recipe needs " +
        std::to_string(trigger.sample_rate()) + " Hz (resample first)");
  auto energy = EnergyEstimate::create(o.board, o.radio,
                                       static_cast<double>(trigger.macs()));
  if (!energy) return energy.status();
  const std::string queue_dir = o.queue_dir.empty()
                                    ? (std::filesystem::temp_directory_path() /
                                       ("tierml-queue-" + o.fleet + "-" + o.id))
                                          .string()
                                    : o.queue_dir;
  auto opened = DiskQueue::open(queue_dir, o.queue_limits);
  if (!opened) return opened.status();
  DiskQueue& queue = **opened;
  if (queue.recovered() > 0)
    log({{"type", "queue"},
         {"recovered", queue.recovered()},
         {"queue_dir", queue_dir}});

  LinkState link(log, queue, queue_dir);
  QueuePublisher publisher(queue, topic_for(o.fleet, o.id, "events"));
  MqttOptions mqtt;
  mqtt.broker = o.broker;
  mqtt.client_id = "tierml-device-" + o.fleet + "-" + o.id;
  MqttCallbacks callbacks;
  callbacks.connected = [&](bool) {
    publisher.on_connected();
    link.up();
  };
  callbacks.disconnected = [&](const std::string& reason) {
    link.down(reason);
  };
  callbacks.published = [&](int mid, int reason) {
    publisher.on_published(mid, reason);
  };
  auto client = MqttClient::create(mqtt, callbacks);
  if (!client) return client.status();
  publisher.attach(client->get());
  (*client)->connect();

  const std::string nonce = boot_nonce();
  const double rate = trigger.sample_rate();
  const size_t window = static_cast<size_t>(trigger.window_samples());
  const size_t hop = static_cast<size_t>(trigger.hop_samples());
  const std::vector<int16_t>& samples = stream->samples;
  uint64_t inferences = 0, triggers = 0, refused = 0;
  double last_trigger_s = -1e300, next_telemetry_s = o.telemetry_s,
         stream_s = 0;

  const auto report = [&](const char* type) {
    const PublisherCounts sent = publisher.counts();
    const double energy_j = energy->total_j(
        stream_s, static_cast<double>(inferences),
        static_cast<double>(sent.published), static_cast<double>(sent.bytes));
    json j = {{"type", type},
              {"device", o.id},
              {"fleet", o.fleet},
              {"stream_s", stream_s},
              {"inferences", inferences},
              {"triggers", triggers},
              {"published", sent.published},
              {"acked", sent.acked},
              {"bytes_sent", sent.bytes},
              {"raw_bytes", static_cast<uint64_t>(stream_s * rate) * 2},
              {"queued", queue.pending()},
              {"dropped", queue.dropped()},
              {"refused", refused + sent.refused},
              {"energy_j", energy_j},
              {"energy_per_day_j",
               stream_s > 0 ? energy_j / stream_s * 86400.0 : 0.0},
              {"board", energy->board_id()},
              {"radio", energy->radio_id()}};
    return j;
  };

  const Clock::time_point start = Clock::now();
  for (size_t pos = 0; pos + window <= samples.size(); pos += hop) {
    const double t_start = static_cast<double>(pos) / rate;
    const double t_end = static_cast<double>(pos + window) / rate;
    if (o.realtime)
      std::this_thread::sleep_until(start +
                                    std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(t_end)));
    const std::span<const int16_t> span(samples.data() + pos, window);
    auto score = trigger.score(span);
    if (!score) return score.status();
    ++inferences;
    stream_s = t_end;
    if (*score >= o.threshold && t_start - last_trigger_s >= o.refractory_s) {
      last_trigger_s = t_start;
      Event e;
      e.id = o.id + "-" + nonce + "-" + std::to_string(triggers);
      e.fleet = o.fleet;
      e.device = o.id;
      e.seq = triggers++;
      e.window_start_s = t_start;
      e.window_end_s = t_end;
      e.triggered_at_ms = unix_ms();
      e.score = *score;
      e.threshold = o.threshold;
      e.model_version = trigger.model_version();
      e.recipe = trigger.recipe();
      if (o.payload == "raw") {
        e.window = {"raw", kTmInt16, {static_cast<int64_t>(window)},
                    false, 0,        0};
        e.data.resize(window * 2);
        std::memcpy(e.data.data(), span.data(), e.data.size());
      } else {
        e.window = trigger.input_description();
        const auto input = trigger.input_bytes();
        e.data.assign(input.begin(), input.end());
      }
      auto seq = queue.push(encode_event(e));
      if (!seq) {
        ++refused;
        log({{"type", "error"},
             {"event", e.id},
             {"reason", seq.status().message()}});
      } else {
        log({{"type", "event"},
             {"id", e.id},
             {"window_start_s", t_start},
             {"score", e.score},
             {"queued", !(*client)->connected()}});
      }
    }
    if (Status s = publisher.pump(); !s.is_ok())
      log({{"type", "error"}, {"reason", s.message()}});
    if (t_end >= next_telemetry_s) {
      const std::string text = report("telemetry").dump();
      if ((*client)->connected())
        (void)(*client)->publish(
            topic_for(o.fleet, o.id, "telemetry"),
            std::span(reinterpret_cast<const uint8_t*>(text.data()),
                      text.size()),
            0);
      next_telemetry_s += o.telemetry_s;
    }
  }

  const Clock::time_point linger_end =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(o.linger_s));
  while (queue.pending() > 0 && Clock::now() < linger_end) {
    (void)publisher.pump();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  json summary = report("summary");
  summary["queue_dir"] = queue_dir;
  summary["window_samples"] = window;
  summary["hop_samples"] = hop;
  summary["macs_per_inference"] = trigger.macs();
  summary["inference_j"] = energy->inference_j();
  const std::string text = summary.dump();
  if ((*client)->connected())
    (void)(*client)->publish(
        topic_for(o.fleet, o.id, "telemetry"),
        std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
        0);
  (*client)->stop();
  log(summary);
  return Status::ok();
}

}  // namespace tierml::hybrid
