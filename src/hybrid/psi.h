// Population stability index: how far a feature distribution has moved from
// a reference one.
//   PSI = sum over bins i of (a_i - e_i) * ln(a_i / e_i)
// with e_i, a_i the reference's and the current sample's share of bin i. A
// share of 0 is replaced by `floor` so an empty bin gives a large but finite
// term. Common reading: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 major.
#ifndef TIERML_HYBRID_PSI_H_
#define TIERML_HYBRID_PSI_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace tierml::hybrid {

constexpr double kPsiShareFloor = 1e-4;

// Bin counts: bin 0 is (-inf, edges[0]), bin k is [edges[k-1], edges[k]),
// the last is [edges.back(), +inf); edges ascending.
std::vector<uint64_t> bin_counts(std::span<const double> values,
                                 std::span<const double> edges);
size_t bin_of(double value, std::span<const double> edges);

// PSI of two histograms over the same bins (counts, normalised here).
double population_stability_index(std::span<const uint64_t> expected,
                                  std::span<const uint64_t> actual,
                                  double floor = kPsiShareFloor);

// One source's (a device's) last `events` events, binned with edges that a
// DriftMonitor's reference fixed. It slides by whole events and keeps one
// small histogram per event, so a fleet of devices costs bins x events each,
// not one entry per value.
class EventHistogramWindow {
 public:
  explicit EventHistogramWindow(size_t events);
  void add(std::span<const double> values, std::span<const double> edges);
  bool full() const { return events_.size() == max_events_; }
  std::span<const uint64_t> counts() const { return counts_; }

 private:
  size_t max_events_;
  std::vector<uint64_t> counts_;
  std::deque<std::vector<uint32_t>> events_;
};

// Drift of a stream of values against its own beginning: the first
// reference_size values fix the bins (num_bins equal-width bins between the
// reference's min and max, the outer two open-ended) and the reference
// histogram; after that, PSI compares the last window_size values with it.
class DriftMonitor {
 public:
  DriftMonitor(size_t reference_size, size_t window_size, size_t num_bins = 10);
  void add(std::span<const double> values);
  // Empty until the reference is complete and the window full.
  std::optional<double> psi() const;
  bool reference_ready() const { return !edges_.empty(); }
  std::span<const double> edges() const { return edges_; }
  // PSI of another source's window against this reference; empty until
  // the reference is complete and the window full.
  std::optional<double> psi_of(const EventHistogramWindow& window) const;

 private:
  void freeze_reference();

  size_t reference_size_, window_size_, num_bins_;
  std::vector<double> reference_;
  std::vector<double> edges_;
  std::vector<uint64_t> reference_counts_;
  std::vector<uint64_t> window_counts_;
  std::deque<size_t> window_bins_;  // bin of each value in the window
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_PSI_H_
