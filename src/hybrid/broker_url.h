// mqtt://HOST:PORT, the one form --broker takes. Parsed here so every
// command rejects a bad URL with the same message (exit 2).
#ifndef TIERML_HYBRID_BROKER_URL_H_
#define TIERML_HYBRID_BROKER_URL_H_

#include <string>

#include "common/status.h"

namespace tierml::hybrid {

struct BrokerUrl {
  std::string host;
  int port = 1883;
};

// invalid_argument naming the expected form for anything else: another
// scheme, an empty host, a port outside 1..65535, a path or credentials.
Expected<BrokerUrl> parse_broker_url(const std::string& url);

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_BROKER_URL_H_
