// What a device sends when its trigger fires, and what a gateway answers.
//
// Event payload (MQTT PUBLISH body on tierml/<fleet>/<device>/events):
//   4 bytes  big-endian length N of the header
//   N bytes  JSON header (fields below; "bytes" = length of the window)
//   window   the model input the trigger saw (features) or the raw int16
//            samples of the window, little-endian
// A JSON header keeps the payload self-describing and easy to inspect; the
// window stays binary because it is most of the bytes on the radio.
//
// Verdict payload (tierml/<fleet>/<device>/verdicts): one JSON object.
#ifndef TIERML_HYBRID_EVENT_H_
#define TIERML_HYBRID_EVENT_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "tierml/tensor.h"

namespace tierml::hybrid {

constexpr int kEventFormatVersion = 1;
constexpr size_t kMaxEventHeaderBytes = 64 * 1024;
constexpr size_t kMaxEventWindowBytes = 4 * 1024 * 1024;

struct EventWindow {
  std::string kind = "features";  // "features" (model input) or "raw"
  TmType type = kTmInt8;
  std::vector<int64_t> shape;
  bool quantized = false;
  float scale = 0;
  int32_t zero_point = 0;
};

struct Event {
  std::string id;  // unique per event across restarts (see device_agent.h)
  std::string fleet, device;
  uint64_t seq = 0;           // per device run, from 0
  double window_start_s = 0;  // position of the window in the stream
  double window_end_s = 0;
  int64_t triggered_at_ms = 0;  // wall clock (Unix ms) when it fired
  float score = 0;              // trigger model output
  float threshold = 0;
  std::string model_version;  // fingerprint of the trigger model file
  std::string recipe;         // feature recipe (kws, ad)
  EventWindow window;
  std::vector<uint8_t> data;
};

std::vector<uint8_t> encode_event(const Event& event);
// invalid_argument with the reason for any malformed payload: truncated,
// header not JSON, a field missing or of the wrong type, a window whose byte
// count does not match its type and shape.
Expected<Event> decode_event(std::span<const uint8_t> payload);

struct Verdict {
  std::string id, fleet, device;
  bool confirmed = false;
  float confirm_score = 0;
  float trigger_score = 0;
  std::string model;
  int64_t model_version = 0;
  std::string gateway;  // client id of the gateway that decided
  int64_t triggered_at_ms = 0;
  int64_t decided_at_ms = 0;
};

std::string encode_verdict(const Verdict& verdict);
Expected<Verdict> decode_verdict(std::span<const uint8_t> payload);

// Topics: tierml/<fleet>/<device>/<kind>. Fleet and device ids must be
// non-empty and free of MQTT's '/', '+', '#' (checked by valid_topic_id).
std::string topic_for(const std::string& fleet, const std::string& device,
                      const std::string& kind);
bool valid_topic_id(const std::string& id);
// Splits tierml/<fleet>/<device>/<kind>; false for any other shape.
bool split_topic(const std::string& topic, std::string& fleet,
                 std::string& device, std::string& kind);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_EVENT_H_
