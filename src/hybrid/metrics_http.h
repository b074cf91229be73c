// A small HTTP endpoint for the gateway: GET /metrics (Prometheus text)
// and GET /stats (JSON), each rendered on request by the given functions.
#ifndef TIERML_HYBRID_METRICS_HTTP_H_
#define TIERML_HYBRID_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/status.h"

namespace httplib {
class Server;
}

namespace tierml::hybrid {

class MetricsHttp {
 public:
  // port 0: any free port (see port()). io_error when it cannot bind.
  static Expected<std::unique_ptr<MetricsHttp>> start(
      const std::string& host, int port, std::function<std::string()> metrics,
      std::function<std::string()> stats);
  ~MetricsHttp();
  int port() const { return port_; }

 private:
  MetricsHttp() = default;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_METRICS_HTTP_H_
