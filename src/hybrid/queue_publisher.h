// Moves events from the disk queue to the broker: publishes QoS 1, keeps at
// most `window` unacknowledged, and acknowledges a record in the queue when
// the broker's PUBACK for it arrives. After every (re)connect it starts
// again from the queue's head, so whatever was in flight when the link
// dropped is sent again (the gateway removes the duplicates by event id).
#ifndef TIERML_HYBRID_QUEUE_PUBLISHER_H_
#define TIERML_HYBRID_QUEUE_PUBLISHER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "hybrid/disk_queue.h"
#include "hybrid/mqtt_client.h"

namespace tierml::hybrid {

struct PublisherCounts {
  uint64_t published = 0;  // messages handed to the broker, resends included
  uint64_t bytes = 0;      // their payload bytes
  uint64_t acked = 0;
  uint64_t refused = 0;  // PUBACK with a failure reason: dropped
};

class QueuePublisher {
 public:
  QueuePublisher(DiskQueue& queue, std::string topic, size_t window = 16)
      : queue_(queue), topic_(std::move(topic)), window_(window) {}

  void attach(MqttClient* client) { client_ = client; }
  // From the client's callbacks.
  void on_connected();
  void on_published(int mid, int reason);
  // Publishes what the window allows; a no-op while disconnected.
  Status pump();
  PublisherCounts counts() const;

 private:
  DiskQueue& queue_;
  std::string topic_;
  size_t window_;
  MqttClient* client_ = nullptr;
  mutable std::mutex mutex_;
  std::unordered_map<int, uint64_t> inflight_;  // mid -> seq
  uint64_t next_ = 0;
  bool restart_ = true;
  PublisherCounts counts_;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_QUEUE_PUBLISHER_H_
