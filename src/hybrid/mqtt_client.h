// A small MQTT 5 client over Debian's libmosquitto, the only file that
// includes mosquitto.h. One network thread per client runs libmosquitto's
// loop and reconnects with backoff, so a broker that is down at start or
// restarts later is only a pause.
//
// Delivery order matters for the gateway's guarantee: the library is put in
// threaded mode, where packets it queues from inside a callback (the PUBACK
// of a received QoS 1 message, and anything the callback publishes) are
// written by the loop after the callback returns, in queue order. So a
// message callback that records its decision durably and publishes its
// answer before returning has both on the wire before the broker learns the
// message was received; a crash before that leads to redelivery.
#ifndef TIERML_HYBRID_MQTT_CLIENT_H_
#define TIERML_HYBRID_MQTT_CLIENT_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "common/status.h"
#include "hybrid/broker_url.h"

struct mosquitto;

namespace tierml::hybrid {

struct MqttOptions {
  BrokerUrl broker;
  std::string client_id;
  // false + session_expiry_s > 0: the broker keeps subscriptions and queued
  // QoS 1 messages while the client is away (the gateway needs this).
  bool clean_start = true;
  uint32_t session_expiry_s = 0;
  int keepalive_s = 10;
  double reconnect_min_s = 0.2;
  double reconnect_max_s = 2.0;
};

struct MqttMessage {
  std::string topic;
  std::span<const uint8_t> payload;
  int qos = 0;
};

struct MqttCallbacks {
  // Each runs on the client's network thread.
  std::function<void(bool session_present)> connected;
  // A lost connection or a failed attempt; says why.
  std::function<void(const std::string& reason)> disconnected;
  std::function<void(const MqttMessage&)> message;
  // The broker acknowledged QoS 1 publish `mid` (reason < 128: accepted).
  std::function<void(int mid, int reason)> published;
};

class MqttClient {
 public:
  // Sets the client up; nothing happens on the network until connect().
  static Expected<std::unique_ptr<MqttClient>> create(MqttOptions options,
                                                      MqttCallbacks callbacks);
  // Starts the network thread, which connects (and keeps reconnecting).
  // Separate from create() so callbacks may use the client once it is
  // stored. Call once.
  void connect();
  ~MqttClient();
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;

  // Queues a message; returns its message id (for QoS 1 acknowledgements).
  Expected<int> publish(const std::string& topic,
                        std::span<const uint8_t> payload, int qos,
                        bool retain = false);
  // Call from `connected`; the subscription is QoS 1 at most qos.
  Status subscribe(const std::string& pattern, int qos);
  bool connected() const { return connected_.load(); }
  // Disconnects cleanly and joins the network thread. Idempotent.
  void stop();
  const std::string& client_id() const { return options_.client_id; }

 private:
  MqttClient() = default;
  friend struct MqttBridge;  // libmosquitto's C callbacks, in the .cc
  void run();

  MqttOptions options_;
  MqttCallbacks callbacks_;
  mosquitto* mosq_ = nullptr;
  std::atomic<bool> connected_{false};
  std::atomic<bool> stopping_{false};
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  std::thread thread_;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_MQTT_CLIENT_H_
