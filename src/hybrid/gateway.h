// `tierml gateway`: the edge half of the hybrid tier. Takes events from the
// shared subscription $share/<group>/tierml/+/+/events (gateways of one
// group split the events between them), runs the confirm model on the
// event's window with the server's engine (model repository, serve/),
// publishes a verdict to tierml/<fleet>/<device>/verdicts and keeps fleet
// statistics.
//
// Effectively once per event id. MQTT QoS 1 delivers at least once: the
// broker redelivers what a gateway had not acknowledged, and a device
// resends what it had not seen acknowledged. Each event is handled inside
// the message callback, before its PUBACK can leave (mqtt_client.h):
//   1. an id already on record in the group's DedupStore (dedup_store.h):
//      the recorded verdict is published again, nothing is re-decided;
//   2. otherwise the confirm model runs, the verdict is recorded (fsync'd,
//      first writer wins across the group) and the recorded one published.
// A crash before 2 completes leaves no record, so the redelivery decides;
// a crash after it republishes the same verdict. So every event id gets
// exactly one decision; its verdict message may arrive more than once
// (QoS 1), always with the same content. Holds while the group shares its
// --state-dir and an id comes back within the store's capacity.
//
// Malformed events (bad topic, payload, or a window the confirm model
// cannot take) are rejected with a logged reason and acknowledged, so they
// do not come back; the gateway keeps running.
#ifndef TIERML_HYBRID_GATEWAY_H_
#define TIERML_HYBRID_GATEWAY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "hybrid/broker_url.h"
#include "hybrid/fleet_stats.h"

namespace tierml::hybrid {

struct GatewayOptions {
  BrokerUrl broker;
  std::string repository;
  std::string group;
  std::string model;  // confirm model; empty: the repository's only one
  std::string id;     // MQTT client id; stable across restarts
  std::string
      state_dir;  // shared by the group; empty: <temp>/tierml-gateway-<group>
  int metrics_port = -1;  // -1: no HTTP endpoint; 0: any free port
  std::string metrics_host = "127.0.0.1";
  float confirm_threshold = 0.5f;
  size_t dedup_capacity = 100000;
  size_t psi_events = 50;
  uint32_t session_expiry_s = 3600;
  double confirm_timeout_s = 10;
};

using GatewayLog = std::function<void(const nlohmann::json&)>;

class Gateway {
 public:
  static Expected<std::unique_ptr<Gateway>> start(GatewayOptions options,
                                                  GatewayLog log);
  ~Gateway();
  int metrics_port() const;
  const FleetStats& stats() const;
  const std::string& state_dir() const;
  // Disconnects and stops serving. Idempotent.
  void stop();

 private:
  struct Impl;
  explicit Gateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_GATEWAY_H_
