#include "hybrid/gateway.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "hybrid/dedup_store.h"
#include "hybrid/event.h"
#include "hybrid/metrics_http.h"
#include "hybrid/mqtt_client.h"
#include "serve/metrics.h"
#include "serve/repository.h"

namespace tierml::hybrid {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::span<const uint8_t> bytes_of(const std::string& text) {
  return std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

std::string describe(TmType type, const std::vector<int64_t>& shape) {
  std::string out = std::string(tm_type_name(type)) + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

// The window's values as real numbers, for the drift indicator.
std::vector<double> feature_values(const Event& e) {
  const size_t n = e.data.size() / tm_type_size(e.window.type);
  std::vector<double> values(n);
  for (size_t i = 0; i < n; ++i) {
    switch (e.window.type) {
      case kTmInt8:
        values[i] = static_cast<int8_t>(e.data[i]);
        break;
      case kTmInt16: {
        int16_t v;
        std::memcpy(&v, e.data.data() + 2 * i, 2);
        values[i] = v;
        break;
      }
      case kTmFloat32: {
        float v;
        std::memcpy(&v, e.data.data() + 4 * i, 4);
        values[i] = v;
        break;
      }
      default:
        values[i] = e.data[i * tm_type_size(e.window.type)];
    }
    if (e.window.quantized)
      values[i] = e.window.scale * (values[i] - e.window.zero_point);
  }
  return values;
}

}  // namespace

struct Gateway::Impl {
  GatewayOptions options;
  GatewayLog log;
  serve::MetricsRegistry model_metrics;
  std::unique_ptr<serve::Repository> repository;
  std::unique_ptr<DedupStore> store;
  FleetStats stats;
  std::unique_ptr<MqttClient> client;
  std::unique_ptr<MetricsHttp> http;
  std::string model_name;
  std::atomic<bool> link_down{false};

  Impl(GatewayOptions o, GatewayLog l)
      : options(std::move(o)),
        log(std::move(l)),
        stats(options.group, options.psi_events) {}

  void reject(const std::string& topic, const std::string& reason) {
    stats.count(Outcome::kRejected);
    log({{"type", "rejected"}, {"topic", topic}, {"reason", reason}});
  }
  void fail(const std::string& id, const std::string& reason) {
    stats.count(Outcome::kFailed);
    log({{"type", "failed"}, {"id", id}, {"reason", reason}});
  }

  // The confirm model's score for the event, or why there is none; sets
  // `malformed` when retrying cannot help (the window does not fit).
  Expected<float> confirm(const Event& e, int64_t& version_out,
                          bool& malformed) {
    const Clock::time_point deadline =
        Clock::now() +
        std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(options.confirm_timeout_s));
    std::string last_error = "no attempt";
    while (Clock::now() < deadline) {
      serve::Lookup lookup = repository->find(model_name, std::nullopt);
      if (!lookup.version) {
        last_error = lookup.error;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      serve::ModelVersion& version = *lookup.version;
      if (version.inputs().size() != 1) {
        malformed = true;
        return invalid_argument("confirm model '" + model_name +
                                "' must have one input");
      }
      const serve::TensorSpec& input = version.inputs()[0];
      if (input.type != e.window.type || input.bytes != e.data.size()) {
        malformed = true;
        return invalid_argument("window " +
                                describe(e.window.type, e.window.shape) +
                                " does not fit confirm model input " +
                                describe(input.type, input.shape));
      }
      auto job = std::make_shared<serve::Job>();
      job->inputs.push_back(e.data);
      job->deadline = deadline;
      const serve::SubmitResult submitted = version.submit(job);
      if (submitted != serve::SubmitResult::kAccepted) {
        last_error = submitted == serve::SubmitResult::kQueueFull
                         ? "queue full"
                         : "model reloading";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (!job->wait_until(deadline) || job->expired) {
        version.metrics().failure.fetch_add(1, std::memory_order_relaxed);
        return io_error("confirm model timed out");
      }
      if (!job->status.is_ok()) {
        version.metrics().failure.fetch_add(1, std::memory_order_relaxed);
        return job->status;
      }
      version.metrics().success.fetch_add(1, std::memory_order_relaxed);
      const std::vector<float> scores =
          serve::output_as_float(version.outputs().back(), job->outputs.back());
      if (scores.empty()) return io_error("confirm model output is empty");
      version_out = version.version();
      return scores.back();
    }
    return io_error("confirm model '" + model_name +
                    "' unavailable: " + last_error);
  }

  void publish_verdict(const std::string& fleet, const std::string& device,
                       const std::string& verdict) {
    auto mid = client->publish(topic_for(fleet, device, "verdicts"),
                               bytes_of(verdict), 1);
    if (!mid) log({{"type", "error"}, {"reason", mid.status().message()}});
  }

  void handle(const MqttMessage& m) {
    std::string fleet, device, kind;
    if (!split_topic(m.topic, fleet, device, kind) || kind != "events")
      return reject(m.topic, "topic is not tierml/<fleet>/<device>/events");
    auto event = decode_event(m.payload);
    if (!event) return reject(m.topic, event.status().message());
    if (event->fleet != fleet || event->device != device)
      return reject(m.topic, "payload names fleet '" + event->fleet +
                                 "' device '" + event->device +
                                 "', the topic another");
    auto known = store->find(event->id);
    if (!known) return fail(event->id, known.status().message());
    if (known->has_value()) {
      stats.count(Outcome::kDuplicate);
      publish_verdict(fleet, device, **known);
      log({{"type", "duplicate"}, {"id", event->id}});
      return;
    }
    bool malformed = false;
    int64_t model_version = 0;
    auto score = confirm(*event, model_version, malformed);
    if (!score) {
      if (malformed) return reject(m.topic, score.status().message());
      return fail(event->id, score.status().message());
    }
    Verdict v;
    v.id = event->id;
    v.fleet = fleet;
    v.device = device;
    v.confirm_score = *score;
    v.confirmed = *score >= options.confirm_threshold;
    v.trigger_score = event->score;
    v.model = model_name;
    v.model_version = model_version;
    v.gateway = options.id;
    v.triggered_at_ms = event->triggered_at_ms;
    v.decided_at_ms = unix_ms();
    auto claim = store->record(event->id, encode_verdict(v));
    if (!claim) return fail(event->id, claim.status().message());
    publish_verdict(fleet, device, claim->decision);
    if (!claim->first) {
      stats.count(Outcome::kDuplicate);
      log({{"type", "duplicate"}, {"id", event->id}});
      return;
    }
    stats.decided(
        fleet, device, v.confirmed,
        static_cast<double>(v.decided_at_ms - v.triggered_at_ms) / 1000.0);
    stats.add_features(fleet, device, feature_values(*event));
    log({{"type", "verdict"},
         {"id", v.id},
         {"device", device},
         {"confirmed", v.confirmed},
         {"confirm_score", v.confirm_score}});
  }
};

Gateway::Gateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Gateway::~Gateway() { stop(); }

Expected<std::unique_ptr<Gateway>> Gateway::start(GatewayOptions options,
                                                  GatewayLog log) {
  if (!valid_topic_id(options.group))
    return invalid_argument("--group '" + options.group +
                            "' must be non-empty without '/', '+' or '#'");
  if (options.id.empty()) {
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    options.id = "gateway-" + options.group + "-" + host + "-" +
                 std::to_string(::getpid());
  }
  if (options.state_dir.empty())
    options.state_dir = (std::filesystem::temp_directory_path() /
                         ("tierml-gateway-" + options.group))
                            .string();
  std::error_code ec;
  if (!std::filesystem::is_directory(options.repository, ec))
    return io_error("model repository " + options.repository +
                    " is not a directory");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(log));
  Impl& g = *impl;
  g.repository = std::make_unique<serve::Repository>(g.options.repository, 1,
                                                     g.model_metrics);
  for (const std::string& line : g.repository->scan())
    g.log({{"type", "repository"}, {"message", line}});
  g.model_name = g.options.model;
  if (g.model_name.empty()) {
    const std::vector<std::string> names = g.repository->model_names();
    if (names.size() != 1)
      return invalid_argument("the repository holds " +
                              std::to_string(names.size()) +
                              " models: name the confirm model with --model");
    g.model_name = names.front();
  }
  if (g.repository->ready_versions(g.model_name).empty())
    return invalid_argument("confirm model '" + g.model_name +
                            "' has no ready version in " +
                            g.options.repository);
  auto store = DedupStore::open(g.options.state_dir, g.options.dedup_capacity);
  if (!store) return store.status();
  g.store = std::move(*store);
  if (g.options.metrics_port >= 0) {
    auto http = MetricsHttp::start(
        g.options.metrics_host, g.options.metrics_port,
        [&g] { return g.stats.prometheus() + g.model_metrics.render(); },
        [&g] { return g.stats.json().dump(); });
    if (!http) return http.status();
    g.http = std::move(*http);
  }
  MqttOptions mqtt;
  mqtt.broker = g.options.broker;
  mqtt.client_id = g.options.id;
  mqtt.clean_start = false;
  mqtt.session_expiry_s = g.options.session_expiry_s;
  const std::string subscription =
      "$share/" + g.options.group + "/tierml/+/+/events";
  MqttCallbacks callbacks;
  callbacks.connected = [&g, subscription](bool session_present) {
    g.link_down = false;
    const Status s = g.client->subscribe(subscription, 1);
    g.log({{"type", "link"},
           {"state", "up"},
           {"session_present", session_present},
           {"subscription", subscription},
           {"error", s.is_ok() ? "" : s.message()}});
  };
  callbacks.disconnected = [&g](const std::string& reason) {
    // Once per outage, not once per reconnect attempt.
    if (g.link_down.exchange(true)) return;
    g.log({{"type", "link"}, {"state", "down"}, {"reason", reason}});
  };
  callbacks.message = [&g](const MqttMessage& m) { g.handle(m); };
  auto client = MqttClient::create(mqtt, callbacks);
  if (!client) return client.status();
  g.client = std::move(*client);
  g.client->connect();
  return std::unique_ptr<Gateway>(new Gateway(std::move(impl)));
}

int Gateway::metrics_port() const {
  return impl_->http ? impl_->http->port() : -1;
}
const FleetStats& Gateway::stats() const { return impl_->stats; }
const std::string& Gateway::state_dir() const {
  return impl_->options.state_dir;
}

void Gateway::stop() {
  if (!impl_) return;
  if (impl_->client) impl_->client->stop();
  impl_->http.reset();
  if (impl_->repository) impl_->repository->drain();
}

}  // namespace tierml::hybrid
