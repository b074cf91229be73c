// Routes an HTTP request by method and path to a handler. A pattern is a
// path whose "*" segments each match one segment of the request's path
// (possibly empty); the handler gets those segments in order. HEAD is
// routed as GET (libmicrohttpd leaves the body out).
#ifndef TIERML_SERVE_HTTP_ROUTER_H_
#define TIERML_SERVE_HTTP_ROUTER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/http_server.h"

namespace tierml::serve {

class HttpRouter {
 public:
  using Captures = std::vector<std::string_view>;
  using Route = std::function<void(HttpExchange&, const Captures&)>;

  void add(std::string method, std::string_view pattern, Route route);
  // False when no route takes the request.
  bool dispatch(HttpExchange& exchange) const;

 private:
  struct Entry {
    std::string method;
    std::vector<std::string> segments;
    Route route;
  };
  std::vector<Entry> routes_;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_HTTP_ROUTER_H_
