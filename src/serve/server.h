// The inference server: Open Inference Protocol (KServe v2) over REST with
// the binary tensor extension, a /predict shortcut for classifiers, model
// repository management behind a bearer token, and Prometheus /metrics.
// HTTP is libmicrohttpd's event loops (http_server.h); inference runs on the
// loop thread when an instance is free ("caller runs"), else on the model
// version's own workers while the connection waits suspended
// (model_version.h).
#ifndef TIERML_SERVE_SERVER_H_
#define TIERML_SERVE_SERVER_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "serve/deadline_timer.h"
#include "serve/http_router.h"
#include "serve/http_server.h"
#include "serve/metrics.h"
#include "serve/repository.h"

namespace tierml::serve {

struct ServerOptions {
  std::string repository;
  std::string host = "0.0.0.0";
  int port = 8000;  // 0: any free port (see InferenceServer::port())
  // HTTP event-loop threads, each serving any number of connections.
  int http_threads = 1;
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
  // would be on a reload), binds the port and starts answering.
  Status start();
  int port() const { return port_; }
  // Returns after shutdown(), once the requests in flight are answered.
  void run();
  // Graceful drain: report not ready, stop accepting, let in-flight and
  // queued requests finish, stop polling. Safe from any thread.
  void shutdown();
  // Waits for the drain after run() returned.
  void drain();

 private:
  void install_routes();
  // The version a /v2/models path names, or nullptr after answering 404.
  std::shared_ptr<ModelVersion> resolve(const HttpRouter::Captures& path,
                                        HttpResponse& res);
  void infer(HttpExchange& exchange, const HttpRouter::Captures& path);
  void predict(HttpExchange& exchange);
  // Answers `exchange` once the submitted `job` is done, without blocking
  // the event loop: `answer` fills the response of a job that ran; one whose
  // deadline passed gets 503, a failed invoke 500.
  void await(HttpExchange& exchange, std::shared_ptr<Job> job,
             std::shared_ptr<ModelVersion> version,
             std::function<void(HttpResponse&)> answer);

  ServerOptions options_;
  MetricsRegistry metrics_;
  Repository repository_;
  DeadlineTimer deadlines_;
  HttpRouter router_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  std::atomic<bool> draining_{false};
  int port_ = 0;
  // Last: destroyed first, after the requests in flight, which use the
  // members above.
  std::unique_ptr<HttpServer> http_;
};

}  // namespace tierml::serve

#endif  // TIERML_SERVE_SERVER_H_
