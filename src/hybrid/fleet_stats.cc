#include "hybrid/fleet_stats.h"

#include <fmt/format.h>

namespace tierml::hybrid {
namespace {

constexpr const char* kOutcomeNames[] = {"decided", "duplicate", "rejected",
                                         "failed"};

}  // namespace

FleetStats::FleetStats(std::string group, size_t psi_events)
    : group_(std::move(group)),
      latency_(
          {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}),
      psi_events_(std::max<size_t>(psi_events, 1)) {}

void FleetStats::count(Outcome outcome) {
  std::lock_guard lock(mutex_);
  ++outcomes_[static_cast<int>(outcome)];
}

void FleetStats::decided(const std::string& fleet, const std::string& device,
                         bool confirmed, double latency_s) {
  latency_.observe(latency_s);
  std::lock_guard lock(mutex_);
  ++outcomes_[static_cast<int>(Outcome::kDecided)];
  DeviceStats& stats = devices_[{fleet, device}];
  ++stats.triggers;
  stats.confirmations += confirmed;
}

void FleetStats::add_features(const std::string& fleet,
                              const std::string& device,
                              std::span<const double> values) {
  std::lock_guard lock(mutex_);
  if (!drift_)
    drift_.emplace(values.size() * psi_events_, values.size() * psi_events_);
  // A device's window starts once the bins exist; the events that built the
  // reference are not compared with themselves.
  const bool reference_was_ready = drift_->reference_ready();
  drift_->add(values);
  if (!reference_was_ready) return;
  DeviceStats& stats = devices_[{fleet, device}];
  if (!stats.drift) stats.drift.emplace(psi_events_);
  stats.drift->add(values, drift_->edges());
}

std::optional<double> FleetStats::device_psi(const DeviceStats& stats) const {
  if (!drift_ || !stats.drift) return std::nullopt;
  return drift_->psi_of(*stats.drift);
}

std::string FleetStats::prometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP tierml_gateway_events_total Events received, by outcome.\n";
  out += "# TYPE tierml_gateway_events_total counter\n";
  for (int i = 0; i < 4; ++i)
    out += fmt::format("tierml_gateway_events_total{{outcome=\"{}\"}} {}\n",
                       kOutcomeNames[i], outcomes_[i]);
  out +=
      "# HELP tierml_gateway_device_triggers_total Events decided per "
      "device.\n";
  out += "# TYPE tierml_gateway_device_triggers_total counter\n";
  for (const auto& [key, s] : devices_)
    out += fmt::format(
        "tierml_gateway_device_triggers_total{{fleet=\"{}\",device=\"{}\"}} "
        "{}\n",
        serve::escape_label(key.first), serve::escape_label(key.second),
        s.triggers);
  out +=
      "# HELP tierml_gateway_device_confirmations_total Events the confirm "
      "model confirmed.\n";
  out += "# TYPE tierml_gateway_device_confirmations_total counter\n";
  for (const auto& [key, s] : devices_)
    out += fmt::format(
        "tierml_gateway_device_confirmations_total{{fleet=\"{}\",device=\"{}\"}"
        "} {}\n",
        serve::escape_label(key.first), serve::escape_label(key.second),
        s.confirmations);
  out +=
      "# HELP tierml_gateway_device_false_trigger_ratio Share of triggers not "
      "confirmed.\n";
  out += "# TYPE tierml_gateway_device_false_trigger_ratio gauge\n";
  for (const auto& [key, s] : devices_)
    out += fmt::format(
        "tierml_gateway_device_false_trigger_ratio{{fleet=\"{}\",device=\"{}\"}"
        "} {}\n",
        serve::escape_label(key.first), serve::escape_label(key.second),
        s.triggers ? 1.0 - static_cast<double>(s.confirmations) / s.triggers
                   : 0.0);
  out +=
      "# HELP tierml_gateway_device_feature_psi Population stability index "
      "of a device's last events against the fleet's reference.\n";
  out += "# TYPE tierml_gateway_device_feature_psi gauge\n";
  for (const auto& [key, s] : devices_) {
    if (const auto psi = device_psi(s))
      out += fmt::format(
          "tierml_gateway_device_feature_psi{{fleet=\"{}\",device=\"{}\"}} "
          "{}\n",
          serve::escape_label(key.first), serve::escape_label(key.second),
          *psi);
  }
  out +=
      "# HELP tierml_gateway_trigger_to_verdict_seconds From the device's "
      "trigger to the decision.\n";
  out += "# TYPE tierml_gateway_trigger_to_verdict_seconds histogram\n";
  latency_.render("tierml_gateway_trigger_to_verdict_seconds",
                  "group=\"" + serve::escape_label(group_) + "\"", out);
  if (drift_ && drift_->psi()) {
    out +=
        "# HELP tierml_gateway_feature_psi Population stability index of event "
        "features.\n";
    out += "# TYPE tierml_gateway_feature_psi gauge\n";
    out += fmt::format("tierml_gateway_feature_psi {}\n", *drift_->psi());
  }
  return out;
}

nlohmann::json FleetStats::json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json devices = nlohmann::json::array();
  for (const auto& [key, s] : devices_) {
    nlohmann::json device = {
        {"fleet", key.first},
        {"device", key.second},
        {"triggers", s.triggers},
        {"confirmations", s.confirmations},
        {"false_trigger_rate",
         s.triggers ? 1.0 - static_cast<double>(s.confirmations) / s.triggers
                    : 0.0}};
    if (const auto psi = device_psi(s)) device["feature_psi"] = *psi;
    devices.push_back(std::move(device));
  }
  nlohmann::json out = {{"devices", devices}};
  for (int i = 0; i < 4; ++i) out[kOutcomeNames[i]] = outcomes_[i];
  if (drift_ && drift_->psi()) out["feature_psi"] = *drift_->psi();
  return out;
}

}  // namespace tierml::hybrid
