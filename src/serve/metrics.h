// Prometheus metrics per model and version: request outcomes, latency split
// into queue and compute time, batch sizes and queue depth. Lock-free on the
// request path (atomics); the registry's lock is taken only when a version
// first appears and when /metrics renders.
#ifndef TIERML_SERVE_METRICS_H_
#define TIERML_SERVE_METRICS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tierml::serve {

// A label value in Prometheus text format: backslash, quote and newline
// escaped.
std::string escape_label(const std::string& value);

// A cumulative histogram with fixed upper bounds (the +Inf bucket implied).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Prometheus text lines for `name` with `labels` ("model=\"m\",...").
  void render(const std::string& name, const std::string& labels,
              std::string& out) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound + Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

struct VersionMetrics {
  VersionMetrics();
  std::atomic<uint64_t> success{0};
  std::atomic<uint64_t> failure{0};
  std::atomic<int64_t> queue_depth{0};
  Histogram queue_seconds;    // enqueue to the start of its batch
  Histogram compute_seconds;  // its own invoke(s)
  Histogram request_seconds;  // whole request, decoding and encoding included
  Histogram batch_size;       // requests per executed batch
};

class MetricsRegistry {
 public:
  // The metrics of a model version, created on first use; kept across
  // reloads so counters stay monotonic.
  std::shared_ptr<VersionMetrics> get(const std::string& model,
                                      int64_t version);
  // The Prometheus text exposition format (version 0.0.4).
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<VersionMetrics>>
      versions_;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_METRICS_H_
