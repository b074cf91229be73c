// What the gateway knows about the fleet: event outcomes, per-device
// triggers and confirmations (the false-trigger rate is the share of
// triggers the confirm model rejected), trigger-to-verdict latency, and the
// drift of the feature values the devices send (PSI, psi.h), for the fleet
// and for each device against the fleet's reference. Rendered as
// Prometheus text and as JSON. Thread-safe.
#ifndef TIERML_HYBRID_FLEET_STATS_H_
#define TIERML_HYBRID_FLEET_STATS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "hybrid/psi.h"
#include "serve/metrics.h"

namespace tierml::hybrid {

enum class Outcome { kDecided, kDuplicate, kRejected, kFailed };

class FleetStats {
 public:
  // PSI: the first psi_events events' feature values are the reference;
  // the fleet's last psi_events events, and each device's, are compared
  // with it.
  FleetStats(std::string group, size_t psi_events);

  void count(Outcome outcome);
  // A first decision for one of the device's events.
  void decided(const std::string& fleet, const std::string& device,
               bool confirmed, double latency_s);
  void add_features(const std::string& fleet, const std::string& device,
                    std::span<const double> values);

  std::string prometheus() const;
  nlohmann::json json() const;

 private:
  struct DeviceStats {
    uint64_t triggers = 0, confirmations = 0;
    std::optional<EventHistogramWindow>
        drift;  // from when the reference is ready
  };
  std::optional<double> device_psi(const DeviceStats& stats) const;
  std::string group_;
  mutable std::mutex mutex_;
  uint64_t outcomes_[4] = {0, 0, 0, 0};
  std::map<std::pair<std::string, std::string>, DeviceStats> devices_;
  serve::Histogram latency_;
  size_t psi_events_;
  std::optional<DriftMonitor> drift_;  // sized by the first event
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_FLEET_STATS_H_
