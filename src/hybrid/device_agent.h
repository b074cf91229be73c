// `tierml device`: a sensor node of the hybrid tier, emulated on the host.
// Reads a recorded stream, scores each window with the trigger pipeline,
// and on a trigger queues an event on disk and publishes it (MQTT 5, QoS 1)
// to tierml/<fleet>/<device>/events; an event leaves the disk queue only
// when the broker has acknowledged it. While the broker is unreachable the
// stream keeps being processed and events wait on disk; when the link
// returns every unacknowledged event is published again, oldest first.
// Periodic telemetry goes to tierml/<fleet>/<device>/telemetry (QoS 0).
//
// Event ids are "<device>-<boot nonce>-<n>": a random nonce per run keeps
// them unique across restarts without a persistent counter.
#ifndef TIERML_HYBRID_DEVICE_AGENT_H_
#define TIERML_HYBRID_DEVICE_AGENT_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "hybrid/broker_url.h"
#include "hybrid/disk_queue.h"

namespace tierml::hybrid {

struct DeviceOptions {
  std::string model, recipe, stream;
  BrokerUrl broker;
  std::string fleet = "default";
  std::string id;
  bool realtime = true;
  float threshold = 0.5f;
  std::string queue_dir;  // empty: <temp>/tierml-queue-<fleet>-<id>
  DiskQueueLimits queue_limits;
  std::string payload = "features";  // or "raw": the window's samples
  double refractory_s = 1.0;         // no new trigger this long after one
  double telemetry_s = 5.0;          // of stream time
  double linger_s = 10.0;            // at the end, wait this long for acks
  std::string board = "nrf52840";
  std::string radio = "ble";
};

// Called with one JSON object per noteworthy thing: {"type":"event",...},
// {"type":"link",...}, {"type":"telemetry",...}, and {"type":"summary",...}
// last.
using DeviceLog = std::function<void(const nlohmann::json&)>;

// Runs the stream to its end, then waits up to linger_s for the queue to
// drain. Setup errors (model, stream, queue dir) are returned before
// anything is published; events left undelivered are reported in the
// summary (they stay on disk for the next run).
Status run_device(const DeviceOptions& options, const DeviceLog& log);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_DEVICE_AGENT_H_
