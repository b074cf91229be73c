// The HTTP front end: libmicrohttpd's epoll event loops (one per thread of
// a fixed pool) under a small request/response interface. A handler runs on
// an event-loop thread and either fills the response at once or defers it:
// the connection is then suspended, so the loop serves other connections,
// until the deferral is resumed from any thread. Only this file's .cc
// includes microhttpd.h.
#ifndef TIERML_SERVE_HTTP_SERVER_H_
#define TIERML_SERVE_HTTP_SERVER_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

struct MHD_Connection;
struct MHD_Daemon;

namespace tierml::serve {

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones
};

// Sets status and a {"error": message} JSON body, keeping the headers
// already set (Retry-After, WWW-Authenticate).
void send_error(HttpResponse& response, int status,
                const std::string& message);

// One request and its answer, alive from the request's headers until its
// response has been sent.
class HttpExchange {
 public:
  const std::string& method() const { return method_; }
  const std::string& path() const { return path_; }  // decoded, no query
  const std::string& body() const { return body_; }
  // A request header (the name is case-insensitive), if present.
  std::optional<std::string_view> header(const char* name) const;
  HttpResponse& response() { return response_; }

  // Answers later. Returns the function that says the answer is ready:
  // call it from any thread, even before the handler has returned; `finish`
  // then fills the response on an event-loop thread. Until then the
  // connection is suspended and its loop serves the others. Calls after the
  // first do nothing; so does a call after the handler threw.
  std::function<void()> defer(std::function<void(HttpResponse&)> finish);

 private:
  friend class HttpServer;
  struct Deferral;
  HttpExchange(MHD_Connection* connection, std::string method,
               std::string path);

  MHD_Connection* connection_;
  std::string method_, path_, body_;
  bool body_too_large_ = false;
  std::function<void(HttpResponse&)> finish_;
  std::shared_ptr<Deferral> deferral_;
  HttpResponse response_;
};

class HttpServer {
 public:
  struct Options {
    std::string host;
    int port = 0;  // 0: any free port (see port())
    int threads = 1;
    size_t max_body_bytes = 16u << 20;  // larger bodies get 413
  };
  using Handler = std::function<void(HttpExchange&)>;

  // Binds (listening with the kernel's largest backlog) and starts serving.
  static Expected<std::unique_ptr<HttpServer>> start(const Options& options,
                                                     Handler handler);
  // Stops accepting, waits for the requests in flight, stops the loops.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  // Closes the listener. Requests in flight, deferred ones too, complete,
  // and every answer from now on closes its connection. Idempotent; safe
  // from any thread.
  void stop_accepting();
  // Returns once no request is in flight (received but not yet answered).
  void wait_idle();

 private:
  struct Callbacks;  // libmicrohttpd's entry points, in the .cc
  HttpServer(Options options, Handler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}

  Options options_;
  Handler handler_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;

  std::mutex mutex_;
  std::condition_variable idle_;
  size_t in_flight_ = 0;
  std::atomic<bool> accepting_{true};
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_HTTP_SERVER_H_
