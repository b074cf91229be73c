#include "hybrid/psi.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tierml::hybrid {

size_t bin_of(double value, std::span<const double> edges) {
  return static_cast<size_t>(
      std::upper_bound(edges.begin(), edges.end(), value) - edges.begin());
}

std::vector<uint64_t> bin_counts(std::span<const double> values,
                                 std::span<const double> edges) {
  std::vector<uint64_t> counts(edges.size() + 1, 0);
  for (double v : values) ++counts[bin_of(v, edges)];
  return counts;
}

double population_stability_index(std::span<const uint64_t> expected,
                                  std::span<const uint64_t> actual,
                                  double floor) {
  const double e_total = std::accumulate(expected.begin(), expected.end(), 0.0);
  const double a_total = std::accumulate(actual.begin(), actual.end(), 0.0);
  if (e_total == 0 || a_total == 0) return 0;
  double psi = 0;
  const size_t bins = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < bins; ++i) {
    const double e = std::max(expected[i] / e_total, floor);
    const double a = std::max(actual[i] / a_total, floor);
    psi += (a - e) * std::log(a / e);
  }
  return psi;
}

EventHistogramWindow::EventHistogramWindow(size_t events)
    : max_events_(std::max<size_t>(events, 1)) {}

void EventHistogramWindow::add(std::span<const double> values,
                               std::span<const double> edges) {
  counts_.resize(edges.size() + 1, 0);
  std::vector<uint32_t> event(edges.size() + 1, 0);
  for (double v : values) ++event[bin_of(v, edges)];
  for (size_t i = 0; i < event.size(); ++i) counts_[i] += event[i];
  events_.push_back(std::move(event));
  if (events_.size() > max_events_) {
    const std::vector<uint32_t>& oldest = events_.front();
    for (size_t i = 0; i < oldest.size(); ++i) counts_[i] -= oldest[i];
    events_.pop_front();
  }
}

DriftMonitor::DriftMonitor(size_t reference_size, size_t window_size,
                           size_t num_bins)
    : reference_size_(std::max<size_t>(reference_size, 1)),
      window_size_(std::max<size_t>(window_size, 1)),
      num_bins_(std::max<size_t>(num_bins, 2)) {}

void DriftMonitor::freeze_reference() {
  const auto [lo, hi] =
      std::minmax_element(reference_.begin(), reference_.end());
  const double width = (*hi - *lo) / static_cast<double>(num_bins_);
  // A constant reference still needs increasing edges: one unit-wide bin.
  const double step = width > 0 ? width : 1.0 / static_cast<double>(num_bins_);
  for (size_t k = 1; k < num_bins_; ++k)
    edges_.push_back(*lo + step * static_cast<double>(k));
  reference_counts_ = bin_counts(reference_, edges_);
  window_counts_.assign(num_bins_, 0);
  reference_.clear();
  reference_.shrink_to_fit();
}

void DriftMonitor::add(std::span<const double> values) {
  for (double v : values) {
    if (edges_.empty()) {
      reference_.push_back(v);
      if (reference_.size() == reference_size_) freeze_reference();
      continue;
    }
    const size_t bin = bin_of(v, edges_);
    window_bins_.push_back(bin);
    ++window_counts_[bin];
    if (window_bins_.size() > window_size_) {
      --window_counts_[window_bins_.front()];
      window_bins_.pop_front();
    }
  }
}

std::optional<double> DriftMonitor::psi() const {
  if (edges_.empty() || window_bins_.size() < window_size_) return std::nullopt;
  return population_stability_index(reference_counts_, window_counts_);
}

std::optional<double> DriftMonitor::psi_of(
    const EventHistogramWindow& window) const {
  if (edges_.empty() || !window.full()) return std::nullopt;
  return population_stability_index(reference_counts_, window.counts());
}

}  // namespace tierml::hybrid
