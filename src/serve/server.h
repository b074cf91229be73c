// The inference server: Open Inference Protocol (KServe v2) over REST with
// the binary tensor extension, a /predict shortcut for classifiers, model
// repository management behind a bearer token, and Prometheus /metrics.
// HTTP is cpp-httplib (a thread per open connection, from a fixed pool);
// inference runs on each model version's own workers (model_version.h).
#ifndef TIERML_SERVE_SERVER_H_
#define TIERML_SERVE_SERVER_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "serve/metrics.h"
#include "serve/repository.h"

namespace httplib {
class Server;
}

namespace tierml::serve {

struct ServerOptions {
  std::string repository;
  std::string host = "0.0.0.0";
  int port = 8000;  // 0: any free port (see InferenceServer::port())
  // HTTP connection threads; each open keep-alive connection holds one.
  int http_threads = 64;
  // Interpreters per model version when its config does not say.
  int instances = 1;
  std::string admin_token;  // empty: repository management is disabled
  double poll_seconds = 0;  // 0: no polling
  size_t max_body_bytes = 16u << 20;
  int timeout_ms = 10000;     // default request deadline
  std::string predict_model;  // model behind /predict; "" = the only one
};

class InferenceServer {
 public:
  explicit InferenceServer(ServerOptions options);
  ~InferenceServer();

  // Loads the repository (failures are logged and left unready, as they
  // would be on a reload) and binds the port.
  Status start();
  int port() const { return port_; }
  // Serves until shutdown(); returns once the listener has stopped.
  void run();
  // Graceful drain: report not ready, stop accepting, let in-flight and
  // queued requests finish, stop polling. Safe from any thread.
  void shutdown();
  // Waits for the drain after run() returned.
  void drain();

 private:
  void install_routes();

  ServerOptions options_;
  MetricsRegistry metrics_;
  Repository repository_;
  std::unique_ptr<httplib::Server> http_;
  std::atomic<bool> draining_{false};
  int port_ = 0;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_SERVER_H_
