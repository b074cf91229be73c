#include "hybrid/metrics_http.h"

#include <httplib.h>

namespace tierml::hybrid {

Expected<std::unique_ptr<MetricsHttp>> MetricsHttp::start(
    const std::string& host, int port, std::function<std::string()> metrics,
    std::function<std::string()> stats) {
  std::unique_ptr<MetricsHttp> server(new MetricsHttp());
  server->http_ = std::make_unique<httplib::Server>();
  httplib::Server& http = *server->http_;
  http.new_task_queue = [] { return new httplib::ThreadPool(2); };
  http.Get("/metrics",
           [metrics](const httplib::Request&, httplib::Response& res) {
             res.set_content(metrics(), "text/plain; version=0.0.4");
           });
  http.Get("/stats", [stats](const httplib::Request&, httplib::Response& res) {
    res.set_content(stats(), "application/json");
  });
  if (port == 0) {
    server->port_ = http.bind_to_any_port(host);
    if (server->port_ <= 0)
      return io_error("cannot bind a metrics port on " + host);
  } else {
    if (!http.bind_to_port(host, port))
      return io_error(
          "cannot bind metrics port " + host + ":" + std::to_string(port) +
          " (in use? pick another with --metrics-port, or 0 for any)");
    server->port_ = port;
  }
  server->thread_ = std::thread([&http] { http.listen_after_bind(); });
  return server;
}

MetricsHttp::~MetricsHttp() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tierml::hybrid
