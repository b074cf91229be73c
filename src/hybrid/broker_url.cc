#include "hybrid/broker_url.h"

#include <charconv>

namespace tierml::hybrid {

Expected<BrokerUrl> parse_broker_url(const std::string& url) {
  const auto bad = [&url](const std::string& why) {
    return invalid_argument("--broker '" + url + "': " + why +
                            " (expected mqtt://HOST:PORT, e.g. "
                            "mqtt://127.0.0.1:1883)");
  };
  const std::string scheme = "mqtt://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    return bad("only the mqtt:// scheme is supported");
  const std::string rest = url.substr(scheme.size());
  if (rest.find_first_of("/@?#") != std::string::npos)
    return bad("no path, credentials or query allowed");
  BrokerUrl out;
  std::string port_text;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:PORT
    const size_t close = rest.find(']');
    if (close == std::string::npos) return bad("unclosed '['");
    out.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad("junk after ']'");
      port_text = rest.substr(close + 2);
      if (port_text.empty()) return bad("empty port");
    }
  } else {
    const size_t colon = rest.rfind(':');
    out.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return bad("empty port");
    }
  }
  if (out.host.empty()) return bad("empty host");
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] = std::from_chars(
        port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() ||
        port < 1 || port > 65535)
      return bad("port must be a number from 1 to 65535");
    out.port = port;
  }
  return out;
}

}  // namespace tierml::hybrid
