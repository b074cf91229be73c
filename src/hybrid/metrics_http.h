// A small HTTP endpoint for the gateway: GET /metrics (Prometheus text)
// and GET /stats (JSON), each rendered on request by the given functions,
// on one event-loop thread of the serving tier's HTTP front end.
#ifndef TIERML_HYBRID_METRICS_HTTP_H_
#define TIERML_HYBRID_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "serve/http_router.h"
#include "serve/http_server.h"

namespace tierml::hybrid {

class MetricsHttp {
 public:
  // port 0: any free port (see port()). io_error when it cannot bind.
  static Expected<std::unique_ptr<MetricsHttp>> start(
      const std::string& host, int port, std::function<std::string()> metrics,
      std::function<std::string()> stats);
  int port() const { return http_->port(); }

 private:
  MetricsHttp() = default;
  serve::HttpRouter router_;
  std::unique_ptr<serve::HttpServer> http_;  // last: stops before router_
};

}  // namespace tierml::hybrid

#endif  // TIERML_HYBRID_METRICS_HTTP_H_
