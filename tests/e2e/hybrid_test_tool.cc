// Helpers for the hybrid end-to-end tests, built from the project's own
// parts:
//   hybrid_test_tool models DIR
//       DIR/trigger.tflite       int8 [1,640] (the ad recipe's 5 log-mel
//                                frames) -> FULLY_CONNECTED -> LOGISTIC:
//                                fires on loud windows (tones and noise)
//       DIR/repo/confirm/1/model.tflite  same input -> FULLY_CONNECTED ->
//                                LOGISTIC: confirms only a 1 kHz tone (energy
//                                in its mel bands above the window's mean)
//       Weights are calibrated here on synthetic windows with runtime/dsp.
//   hybrid_test_tool stream OUT.wav SECONDS TONES NOISES [SEED]
//       16 kHz mono: quiet noise, 0.5 s 1 kHz tones at the times (seconds,
//       comma-separated, "-" for none) in TONES, 0.5 s loud noise bursts at
//       NOISES. Times snap to the device's windows (hop 2560 samples) so
//       that one window holds the start of a burst and the previous none.
//   hybrid_test_tool publish mqtt://H:P TOPIC TEXT
//       publishes TEXT at QoS 1 and waits for the broker's PUBACK.
//   hybrid_test_tool publish-event mqtt://H:P FLEET DEVICE ID COUNT
//       publishes one well-formed event with that id COUNT times (as a
//       device resending it would).
//   hybrid_test_tool watch mqtt://H:P OUT.jsonl CLIENT_ID
//       appends every verdict (tierml/+/+/verdicts, QoS 1, persistent
//       session) to OUT.jsonl until SIGTERM.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dsp/features.h"
#include "dsp/recipes.h"
#include "hybrid/broker_url.h"
#include "hybrid/event.h"
#include "hybrid/mqtt_client.h"
#include "hybrid/sensor_stream.h"
#include "hybrid/synthetic_signal.h"
#include "model/graph_builder.h"
#include "model/writer.h"

namespace {

using namespace tierml;
using namespace tierml::model;

constexpr int kRate = 16000;
constexpr int kHop = 2560;     // 5 frames of 512 (the ad recipe)
constexpr int kWindow = 3072;  // 1024 + 4 * 512
constexpr int kFrameStride = 512;
constexpr int kBurst = 8000;  // 0.5 s
constexpr int kBands = 128, kFrames = 5, kValues = kBands * kFrames;

// Dequantised log-mel (dB) of one window, [frame][band].
std::vector<double> features_db(const std::vector<int16_t>& window) {
  TmFeatureSpec spec;
  tm_features_spec_mlperf_ad(&spec);
  size_t table_bytes = 0, scratch_bytes = 0;
  tm_features_sizes(&spec, kTmFeaturesFixed, &table_bytes, &scratch_bytes);
  std::vector<uint64_t> tables(table_bytes / 8 + 1),
      scratch(scratch_bytes / 8 + 1);
  TmFeatures f;
  tm_features_init(&spec, kTmFeaturesFixed, tables.data(), table_bytes, &f);
  std::vector<int8_t> q(kValues);
  for (int t = 0; t < kFrames; ++t)
    tm_features_s8(&f, window.data() + t * spec.frame_stride, 0,
                   q.data() + t * kBands, scratch.data());
  std::vector<double> db(kValues);
  for (int i = 0; i < kValues; ++i)
    db[i] = spec.output_scale * (q[i] - spec.output_zero_point);
  return db;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) /
         static_cast<double>(v.size());
}

// FULLY_CONNECTED(640 -> 1) with real weights w and bias, then LOGISTIC,
// all int8 on the ad recipe's input quantisation.
Graph linear_logistic(const std::vector<double>& w, double bias, double range) {
  TmFeatureSpec spec;
  tm_features_spec_mlperf_ad(&spec);
  GraphBuilder b;
  const int32_t x =
      b.add_input("log_mel", kTmInt8, {1, kValues},
                  per_tensor(spec.output_scale, spec.output_zero_point));
  double max_w = 0;
  for (double v : w) max_w = std::max(max_w, std::fabs(v));
  const float w_scale = static_cast<float>(max_w / 127);
  std::vector<int8_t> wq(w.size());
  for (size_t i = 0; i < w.size(); ++i)
    wq[i] = static_cast<int8_t>(std::lround(w[i] / w_scale));
  const int32_t wt = b.add_constant("w", kTmInt8, {1, kValues}, to_bytes(wq),
                                    per_tensor(w_scale, 0));
  const float b_scale = spec.output_scale * w_scale;
  const int32_t bt =
      b.add_constant("b", kTmInt32, {1},
                     to_bytes(std::vector<int32_t>{
                         static_cast<int32_t>(std::lround(bias / b_scale))}),
                     per_tensor(b_scale, 0));
  const int32_t logit =
      b.add_tensor("logit", kTmInt8, {1, 1},
                   per_tensor(static_cast<float>(2 * range / 255), 0));
  b.add_op(fully_connected_attrs(), {x, wt, bt}, {logit});
  const int32_t score =
      b.add_tensor("score", kTmInt8, {1, 1}, per_tensor(1.0f / 256, -128));
  b.add_op(attrs_of(kTmOpLogistic), {logit}, {score});
  b.mark_output(score);
  return std::move(b).build();
}

int write_graph(const Graph& graph, const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  auto bytes = write_model(graph);
  if (!bytes) {
    std::fprintf(stderr, "hybrid_test_tool: %s\n",
                 bytes.status().message().c_str());
    return 1;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes->data()),
            static_cast<std::streamsize>(bytes->size()));
  return out ? 0 : 1;
}

int models(const std::filesystem::path& dir) {
  hybrid::SyntheticSignal signal(7);
  std::vector<int16_t> quiet = signal.quiet(kWindow);
  std::vector<int16_t> tone = quiet, burst = quiet;
  signal.add_tone(tone, 0, kBurst);
  signal.add_noise_burst(burst, 0, kBurst);
  const std::vector<double> fq = features_db(quiet), ft = features_db(tone),
                            fn = features_db(burst);
  // The tone's bands, strongest first.
  std::vector<double> band_level(kBands, 0);
  for (int t = 0; t < kFrames; ++t)
    for (int k = 0; k < kBands; ++k) band_level[k] += ft[t * kBands + k];
  std::vector<int> order(kBands);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int c) { return band_level[a] > band_level[c]; });
  // Trigger: the mean level of the 16 bands around the tone's strongest
  // one (a cheap "something loud in the band of interest" detector that
  // noise fires too), threshold halfway between quiet and the quieter burst.
  const int peak = std::clamp(order[0], 8, kBands - 8);
  const auto level = [&](const std::vector<double>& f) {
    double sum = 0;
    for (int t = 0; t < kFrames; ++t)
      for (int k = peak - 8; k < peak + 8; ++k) sum += f[t * kBands + k];
    return sum / (16 * kFrames);
  };
  const double loud = std::min(level(ft), level(fn));
  const double level_mid = (level(fq) + loud) / 2;
  const double level_gain = 8.0 / ((loud - level(fq)) / 2);
  std::vector<double> w_trigger(kValues, 0.0);
  for (int t = 0; t < kFrames; ++t)
    for (int k = peak - 8; k < peak + 8; ++k)
      w_trigger[t * kBands + k] = level_gain / (16 * kFrames);
  const int trig =
      write_graph(linear_logistic(w_trigger, -level_gain * level_mid, 16),
                  dir / "trigger.tflite");
  // Confirm: the tone's four strongest bands against the window's mean.
  std::vector<bool> tone_band(kBands, false);
  for (int i = 0; i < 4; ++i) tone_band[order[i]] = true;
  const auto contrast = [&](const std::vector<double>& f) {
    double in = 0;
    for (int t = 0; t < kFrames; ++t)
      for (int k = 0; k < kBands; ++k)
        in += tone_band[k] ? f[t * kBands + k] : 0;
    return in / (4 * kFrames) - mean(f);
  };
  const double c_mid = (contrast(ft) + contrast(fn)) / 2;
  const double c_gain = 8.0 / ((contrast(ft) - contrast(fn)) / 2);
  std::vector<double> w_confirm(kValues);
  for (int t = 0; t < kFrames; ++t)
    for (int k = 0; k < kBands; ++k)
      w_confirm[t * kBands + k] =
          c_gain * ((tone_band[k] ? 1.0 / (4 * kFrames) : 0.0) - 1.0 / kValues);
  const int conf = write_graph(linear_logistic(w_confirm, -c_gain * c_mid, 16),
                               dir / "repo" / "confirm" / "1" / "model.tflite");
  std::printf(
      "{\"level_db\":{\"quiet\":%.2f,\"tone\":%.2f,\"noise\":%.2f},"
      "\"contrast_db\":{\"tone\":%.2f,\"noise\":%.2f}}\n",
      level(fq), level(ft), level(fn), contrast(ft), contrast(fn));
  return trig || conf;
}

std::vector<double> times_of(const std::string& text) {
  std::vector<double> out;
  if (text == "-") return out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    out.push_back(std::stod(item));
  return out;
}

int stream(const std::string& path, double seconds, const std::string& tones,
           const std::string& noises, uint32_t seed) {
  hybrid::SyntheticSignal signal(seed);
  std::vector<int16_t> x = signal.quiet(static_cast<size_t>(seconds * kRate));
  // Half a frame after a window start: that window takes the burst in
  // whole, the one before does not see it at all.
  const auto snap = [](double t) {
    return static_cast<size_t>(std::lround(t * kRate / kHop)) * kHop +
           kFrameStride;
  };
  for (double t : times_of(tones)) signal.add_tone(x, snap(t), kBurst);
  for (double t : times_of(noises)) signal.add_noise_burst(x, snap(t), kBurst);
  const std::vector<uint8_t> wav = hybrid::encode_wav(x, kRate);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(wav.data()),
            static_cast<std::streamsize>(wav.size()));
  return out ? 0 : 1;
}

// Publishes each payload at QoS 1, in order, and waits for every PUBACK.
int publish_all(const std::string& url, const std::string& topic,
                const std::vector<std::vector<uint8_t>>& payloads) {
  auto broker = hybrid::parse_broker_url(url);
  if (!broker) return 2;
  std::mutex mutex;
  std::condition_variable cv;
  bool connected = false;
  size_t acked = 0;
  hybrid::MqttCallbacks callbacks;
  callbacks.connected = [&](bool) {
    std::lock_guard lock(mutex);
    connected = true;
    cv.notify_all();
  };
  callbacks.published = [&](int, int) {
    std::lock_guard lock(mutex);
    ++acked;
    cv.notify_all();
  };
  auto client =
      hybrid::MqttClient::create({*broker, "hybrid-test-publish"}, callbacks);
  if (!client) return 1;
  (*client)->connect();
  std::unique_lock lock(mutex);
  if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return connected; }))
    return 1;
  lock.unlock();
  for (const std::vector<uint8_t>& payload : payloads)
    if (!(*client)->publish(topic, payload, 1)) return 1;
  lock.lock();
  return cv.wait_for(lock, std::chrono::seconds(5),
                     [&] { return acked == payloads.size(); })
             ? 0
             : 1;
}

// One well-formed event (quiet features) with the given id, COUNT times:
// what a device resending an event it saw no PUBACK for looks like.
int publish_event(const std::string& url, const std::string& fleet,
                  const std::string& device, const std::string& id, int count) {
  TmFeatureSpec spec;
  tm_features_spec_mlperf_ad(&spec);
  hybrid::Event e;
  e.id = id;
  e.fleet = fleet;
  e.device = device;
  e.triggered_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  e.recipe = "ad";
  e.window = {"features", kTmInt8,           {1, kValues},
              true,       spec.output_scale, spec.output_zero_point};
  e.data.assign(kValues, 0);
  return publish_all(
      url, hybrid::topic_for(fleet, device, "events"),
      std::vector<std::vector<uint8_t>>(count, hybrid::encode_event(e)));
}

int watch(const std::string& url, const std::string& path,
          const std::string& id) {
  auto broker = hybrid::parse_broker_url(url);
  if (!broker) return 2;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::ofstream out(path, std::ios::app);
  std::mutex mutex;
  hybrid::MqttClient* self = nullptr;
  hybrid::MqttCallbacks callbacks;
  callbacks.connected = [&](bool) {
    (void)self->subscribe("tierml/+/+/verdicts", 1);
  };
  callbacks.message = [&](const hybrid::MqttMessage& m) {
    std::lock_guard lock(mutex);
    out << std::string(m.payload.begin(), m.payload.end()) << "\n"
        << std::flush;
  };
  hybrid::MqttOptions options{*broker, id};
  options.clean_start = false;
  options.session_expiry_s = 600;
  auto client = hybrid::MqttClient::create(options, callbacks);
  if (!client) return 1;
  self = client->get();
  (*client)->connect();
  int received = 0;
  sigwait(&signals, &received);
  (*client)->stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "models" && argc == 3) return models(argv[2]);
  if (command == "stream" && (argc == 6 || argc == 7))
    return stream(argv[2], std::stod(argv[3]), argv[4], argv[5],
                  argc == 7 ? static_cast<uint32_t>(std::stoul(argv[6])) : 1);
  if (command == "publish" && argc == 5) {
    const std::string text = argv[4];
    return publish_all(argv[2], argv[3],
                       {std::vector<uint8_t>(text.begin(), text.end())});
  }
  if (command == "publish-event" && argc == 7)
    return publish_event(argv[2], argv[3], argv[4], argv[5],
                         std::stoi(argv[6]));
  if (command == "watch" && argc == 5) return watch(argv[2], argv[3], argv[4]);
  std::fprintf(stderr,
               "usage: hybrid_test_tool models DIR | stream OUT.wav SECONDS "
               "TONES NOISES [SEED]"
               " | publish mqtt://H:P TOPIC TEXT | publish-event mqtt://H:P "
               "FLEET DEVICE ID COUNT"
               " | watch mqtt://H:P OUT.jsonl CLIENT_ID\n");
  return 2;
}
