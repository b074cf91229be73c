#include "serve/metrics.h"

#include <cstdio>

namespace tierml::serve {
namespace {

// Latency buckets from 50 us (a small model's invoke) to 10 s.
std::vector<double> latency_bounds() {
  return {50e-6, 100e-6, 250e-6, 500e-6, 1e-3,   2.5e-3, 5e-3, 10e-3,
          25e-3, 50e-3,  100e-3, 250e-3, 500e-3, 1.0,    2.5,  10.0};
}
std::vector<double> batch_bounds() { return {1, 2, 4, 8, 16, 32, 64, 128}; }

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

}  // namespace

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(const std::string& name, const std::string& labels,
                       std::string& out) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    const std::string le = i < bounds_.size() ? number(bounds_[i]) : "+Inf";
    out += name + "_bucket{" + labels + ",le=\"" + le + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  out += name + "_sum{" + labels + "} " + number(sum()) + "\n";
  out += name + "_count{" + labels + "} " + std::to_string(count()) + "\n";
}

VersionMetrics::VersionMetrics()
    : queue_seconds(latency_bounds()),
      compute_seconds(latency_bounds()),
      request_seconds(latency_bounds()),
      batch_size(batch_bounds()) {}

std::shared_ptr<VersionMetrics> MetricsRegistry::get(const std::string& model,
                                                     int64_t version) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = versions_[{model, version}];
  if (!slot) slot = std::make_shared<VersionMetrics>();
  return slot;
}

std::string MetricsRegistry::render() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  auto each = [&](const std::string& name, const std::string& type,
                  const std::string& help, auto&& line) {
    out += "# HELP " + name + " " + help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    for (const auto& [key, m] : versions_) {
      const std::string labels = "model=\"" + escape_label(key.first) +
                                 "\",version=\"" + std::to_string(key.second) +
                                 "\"";
      line(labels, *m);
    }
  };
  each("tierml_inference_requests_total", "counter",
       "Inference requests by outcome.",
       [&](const std::string& labels, const VersionMetrics& m) {
         out += "tierml_inference_requests_total{" + labels +
                ",status=\"success\"} " + std::to_string(m.success.load()) +
                "\n";
         out += "tierml_inference_requests_total{" + labels +
                ",status=\"failure\"} " + std::to_string(m.failure.load()) +
                "\n";
       });
  each("tierml_queue_depth", "gauge", "Requests waiting in the model's queue.",
       [&](const std::string& labels, const VersionMetrics& m) {
         out += "tierml_queue_depth{" + labels + "} " +
                std::to_string(m.queue_depth.load()) + "\n";
       });
  each("tierml_queue_duration_seconds", "histogram",
       "Time from enqueue to the start of the request's batch.",
       [&](const std::string& labels, const VersionMetrics& m) {
         m.queue_seconds.render("tierml_queue_duration_seconds", labels, out);
       });
  each("tierml_compute_duration_seconds", "histogram",
       "Interpreter time of the request (its own invokes).",
       [&](const std::string& labels, const VersionMetrics& m) {
         m.compute_seconds.render("tierml_compute_duration_seconds", labels,
                                  out);
       });
  each("tierml_request_duration_seconds", "histogram",
       "Whole request time, decoding and encoding included.",
       [&](const std::string& labels, const VersionMetrics& m) {
         m.request_seconds.render("tierml_request_duration_seconds", labels,
                                  out);
       });
  each("tierml_batch_size", "histogram", "Requests per executed batch.",
       [&](const std::string& labels, const VersionMetrics& m) {
         m.batch_size.render("tierml_batch_size", labels, out);
       });
  return out;
}

}  // namespace tierml::serve
