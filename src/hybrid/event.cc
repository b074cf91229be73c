#include "hybrid/event.h"

#include <nlohmann/json.hpp>

#include "serve/tensor_codec.h"

namespace tierml::hybrid {
namespace {

using nlohmann::json;

// The value of a required field, or why it is unusable.
template <typename T>
Status read_field(const json& object, const char* name, T& out) {
  const auto it = object.find(name);
  if (it == object.end())
    return invalid_argument(std::string("missing '") + name + "'");
  try {
    out = it->get<T>();
  } catch (const json::exception&) {
    return invalid_argument(std::string("'") + name + "' has the wrong type");
  }
  return Status::ok();
}

#define TIERML_READ(object, name, out)                  \
  do {                                                  \
    Status read_status = read_field(object, name, out); \
    if (!read_status.is_ok()) return read_status;       \
  } while (false)

Status read_window(const json& header, EventWindow& window, size_t& bytes) {
  const auto it = header.find("window");
  if (it == header.end() || !it->is_object())
    return invalid_argument("missing 'window' object");
  const json& w = *it;
  std::string datatype;
  TIERML_READ(w, "kind", window.kind);
  if (window.kind != "features" && window.kind != "raw")
    return invalid_argument("window.kind must be 'features' or 'raw'");
  TIERML_READ(w, "datatype", datatype);
  const auto type = serve::datatype_from_name(datatype);
  if (!type || tm_type_size(*type) == 0)
    return invalid_argument("window.datatype '" + datatype + "' is unknown");
  window.type = *type;
  TIERML_READ(w, "shape", window.shape);
  size_t elements = 1;
  for (int64_t d : window.shape) {
    if (d <= 0 || d > static_cast<int64_t>(kMaxEventWindowBytes))
      return invalid_argument("window.shape has a dimension out of range");
    elements *= static_cast<size_t>(d);
    if (elements > kMaxEventWindowBytes)
      return invalid_argument("window.shape is too large");
  }
  if (w.contains("scale")) {
    window.quantized = true;
    TIERML_READ(w, "scale", window.scale);
    TIERML_READ(w, "zero_point", window.zero_point);
  }
  TIERML_READ(header, "bytes", bytes);
  if (bytes != elements * tm_type_size(window.type))
    return invalid_argument(
        "'bytes' (" + std::to_string(bytes) +
        ") does not match window shape and datatype (" +
        std::to_string(elements * tm_type_size(window.type)) + ")");
  return Status::ok();
}

}  // namespace

std::vector<uint8_t> encode_event(const Event& e) {
  json window = {{"kind", e.window.kind},
                 {"datatype", std::string(serve::datatype_name(e.window.type))},
                 {"shape", e.window.shape}};
  if (e.window.quantized) {
    window["scale"] = e.window.scale;
    window["zero_point"] = e.window.zero_point;
  }
  const json header = {{"v", kEventFormatVersion},
                       {"id", e.id},
                       {"fleet", e.fleet},
                       {"device", e.device},
                       {"seq", e.seq},
                       {"window_start_s", e.window_start_s},
                       {"window_end_s", e.window_end_s},
                       {"triggered_at_ms", e.triggered_at_ms},
                       {"score", e.score},
                       {"threshold", e.threshold},
                       {"model_version", e.model_version},
                       {"recipe", e.recipe},
                       {"window", window},
                       {"bytes", e.data.size()}};
  const std::string text = header.dump();
  std::vector<uint8_t> out(4 + text.size() + e.data.size());
  const uint32_t n = static_cast<uint32_t>(text.size());
  out[0] = static_cast<uint8_t>(n >> 24);
  out[1] = static_cast<uint8_t>(n >> 16);
  out[2] = static_cast<uint8_t>(n >> 8);
  out[3] = static_cast<uint8_t>(n);
  std::copy(text.begin(), text.end(), out.begin() + 4);
  std::copy(e.data.begin(), e.data.end(), out.begin() + 4 + text.size());
  return out;
}

Expected<Event> decode_event(std::span<const uint8_t> payload) {
  if (payload.size() < 4)
    return invalid_argument("payload of " + std::to_string(payload.size()) +
                            " bytes is shorter than the 4-byte header length");
  const size_t n = (size_t{payload[0]} << 24) | (size_t{payload[1]} << 16) |
                   (size_t{payload[2]} << 8) | size_t{payload[3]};
  if (n > kMaxEventHeaderBytes || n > payload.size() - 4)
    return invalid_argument("header length " + std::to_string(n) +
                            " exceeds the payload (" +
                            std::to_string(payload.size()) + " bytes)");
  const json header =
      json::parse(payload.begin() + 4, payload.begin() + 4 + n, nullptr, false);
  if (header.is_discarded() || !header.is_object())
    return invalid_argument("header is not a JSON object");
  int version = 0;
  TIERML_READ(header, "v", version);
  if (version != kEventFormatVersion)
    return invalid_argument("event format version " + std::to_string(version) +
                            " (this gateway reads " +
                            std::to_string(kEventFormatVersion) + ")");
  Event e;
  TIERML_READ(header, "id", e.id);
  if (e.id.empty() || e.id.size() > 256)
    return invalid_argument("'id' must have 1 to 256 characters");
  TIERML_READ(header, "fleet", e.fleet);
  TIERML_READ(header, "device", e.device);
  TIERML_READ(header, "seq", e.seq);
  TIERML_READ(header, "window_start_s", e.window_start_s);
  TIERML_READ(header, "window_end_s", e.window_end_s);
  TIERML_READ(header, "triggered_at_ms", e.triggered_at_ms);
  TIERML_READ(header, "score", e.score);
  TIERML_READ(header, "threshold", e.threshold);
  TIERML_READ(header, "model_version", e.model_version);
  TIERML_READ(header, "recipe", e.recipe);
  size_t bytes = 0;
  Status window = read_window(header, e.window, bytes);
  if (!window.is_ok()) return window;
  if (payload.size() - 4 - n != bytes)
    return invalid_argument("window holds " +
                            std::to_string(payload.size() - 4 - n) +
                            " bytes, the header says " + std::to_string(bytes));
  e.data.assign(payload.begin() + 4 + n, payload.end());
  return e;
}

std::string encode_verdict(const Verdict& v) {
  return json{{"id", v.id},
              {"fleet", v.fleet},
              {"device", v.device},
              {"confirmed", v.confirmed},
              {"confirm_score", v.confirm_score},
              {"trigger_score", v.trigger_score},
              {"model", v.model},
              {"model_version", v.model_version},
              {"gateway", v.gateway},
              {"triggered_at_ms", v.triggered_at_ms},
              {"decided_at_ms", v.decided_at_ms}}
      .dump();
}

Expected<Verdict> decode_verdict(std::span<const uint8_t> payload) {
  const json j = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return invalid_argument("verdict is not a JSON object");
  Verdict v;
  TIERML_READ(j, "id", v.id);
  TIERML_READ(j, "fleet", v.fleet);
  TIERML_READ(j, "device", v.device);
  TIERML_READ(j, "confirmed", v.confirmed);
  TIERML_READ(j, "confirm_score", v.confirm_score);
  TIERML_READ(j, "trigger_score", v.trigger_score);
  TIERML_READ(j, "model", v.model);
  TIERML_READ(j, "model_version", v.model_version);
  TIERML_READ(j, "gateway", v.gateway);
  TIERML_READ(j, "triggered_at_ms", v.triggered_at_ms);
  TIERML_READ(j, "decided_at_ms", v.decided_at_ms);
  return v;
}

std::string topic_for(const std::string& fleet, const std::string& device,
                      const std::string& kind) {
  return "tierml/" + fleet + "/" + device + "/" + kind;
}

bool valid_topic_id(const std::string& id) {
  return !id.empty() && id.size() <= 128 &&
         id.find_first_of("/+#") == std::string::npos;
}

bool split_topic(const std::string& topic, std::string& fleet,
                 std::string& device, std::string& kind) {
  const std::string prefix = "tierml/";
  if (topic.compare(0, prefix.size(), prefix) != 0) return false;
  const size_t a = prefix.size();
  const size_t b = topic.find('/', a);
  if (b == std::string::npos) return false;
  const size_t c = topic.find('/', b + 1);
  if (c == std::string::npos || topic.find('/', c + 1) != std::string::npos)
    return false;
  fleet = topic.substr(a, b - a);
  device = topic.substr(b + 1, c - b - 1);
  kind = topic.substr(c + 1);
  return !fleet.empty() && !device.empty() && !kind.empty();
}

}  // namespace tierml::hybrid
