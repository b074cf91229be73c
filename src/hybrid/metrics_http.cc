#include "hybrid/metrics_http.h"

namespace tierml::hybrid {

using serve::HttpExchange;
using serve::HttpRouter;

Expected<std::unique_ptr<MetricsHttp>> MetricsHttp::start(
    const std::string& host, int port, std::function<std::string()> metrics,
    std::function<std::string()> stats) {
  std::unique_ptr<MetricsHttp> server(new MetricsHttp());
  auto text_route = [](std::function<std::string()> render,
                       std::string content_type) {
    return [render = std::move(render), content_type = std::move(content_type)](
               HttpExchange& exchange, const HttpRouter::Captures&) {
      exchange.response().content_type = content_type;
      exchange.response().body = render();
    };
  };
  server->router_.add("GET", "/metrics",
                      text_route(std::move(metrics), "text/plain; version=0.0.4"));
  server->router_.add("GET", "/stats",
                      text_route(std::move(stats), "application/json"));
  serve::HttpServer::Options options;
  options.host = host;
  options.port = port;
  auto http = serve::HttpServer::start(
      options, [router = &server->router_](HttpExchange& exchange) {
        if (!router->dispatch(exchange)) {
          exchange.response().status = 404;
          exchange.response().content_type = "text/plain";
          exchange.response().body = "not found\n";
        }
      });
  if (!http) {
    if (port == 0) return io_error("cannot bind a metrics port on " + host);
    return io_error(
        "cannot bind metrics port " + host + ":" + std::to_string(port) +
        " (in use? pick another with --metrics-port, or 0 for any)");
  }
  server->http_ = std::move(*http);
  return server;
}

}  // namespace tierml::hybrid
