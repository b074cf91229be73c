// tierml serve --model-repository DIR [--port 8000] [--threads N]
//              [--admin-token-file F] [--poll SECONDS] ...
//
// Serves every model of a repository (DIR/<model>/<version>/model.tflite,
// optional DIR/<model>/config.yaml) over the Open Inference Protocol (KServe
// v2, REST). SIGTERM or SIGINT drains: readiness turns false, the listener
// closes, in-flight and queued requests finish, then the process exits 0.
// docs/serving.md describes the endpoints and the choices behind them.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "commands.h"
#include "serve/server.h"

namespace tierml::cli {
namespace {

struct ServeOptions {
  serve::ServerOptions server;
  std::string token_file;
  bool json = false;
};

Expected<std::string> read_token(const std::string& path) {
  std::ifstream file(path);
  if (!file) return io_error("cannot open admin token file " + path);
  std::stringstream text;
  text << file.rdbuf();
  std::string token = text.str();
  const auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  token.erase(std::find_if_not(token.rbegin(), token.rend(), is_space).base(),
              token.end());
  token.erase(token.begin(),
              std::find_if_not(token.begin(), token.end(), is_space));
  if (token.empty())
    return invalid_argument("admin token file " + path + " is empty");
  return token;
}

int serve_main(ServeOptions& options) {
  if (!options.token_file.empty()) {
    auto token = read_token(options.token_file);
    if (!token) return report_error(token.status());
    options.server.admin_token = *token;
  }
  // Every thread the server starts inherits this mask, so only the waiter
  // below sees SIGTERM/SIGINT; a closed client socket must not kill us.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  serve::InferenceServer server(options.server);
  Status status = server.start();
  if (!status.is_ok()) return report_error(status);

  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    signalled = true;
    std::fprintf(stderr, "tierml serve: signal %d, draining\n", received);
    server.shutdown();
  });
  if (options.json) {
    std::printf("%s\n", nlohmann::json{{"host", options.server.host},
                                       {"port", server.port()}}
                            .dump()
                            .c_str());
  } else {
    std::printf("tierml serve: listening on %s:%d\n",
                options.server.host.c_str(), server.port());
  }
  std::fflush(stdout);
  server.run();
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  server.drain();
  std::fprintf(stderr, "tierml serve: drained, exiting\n");
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServeOptions>();
  const int cores =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options->server.instances = cores;
  options->server.http_threads = cores;
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve a model repository over the Open Inference Protocol (KServe v2 "
      "REST), with dynamic batching, hot reload and Prometheus metrics");
  cmd->add_option("--model-repository", options->server.repository,
                  "folder of <model>/<version>/model.tflite (+ optional "
                  "<model>/config.yaml)")
      ->required();
  cmd->add_option("--host", options->server.host, "address to listen on")
      ->capture_default_str();
  cmd->add_option("--port", options->server.port,
                  "TCP port (0: any free port, printed at start)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options->server.instances,
                  "inference instances (interpreter + worker thread) per "
                  "model version, unless its config.yaml sets instance_count")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--http-threads", options->server.http_threads,
                  "HTTP event-loop threads (each serves any number of "
                  "connections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--admin-token-file", options->token_file,
                  "file holding the bearer token for /v2/repository/*; "
                  "without it repository management is disabled");
  cmd->add_option("--poll", options->server.poll_seconds,
                  "rescan the repository every SECONDS and load changes "
                  "safely (0: never)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--max-body-bytes", options->server.max_body_bytes,
                  "largest request body accepted (413 beyond)")
      ->capture_default_str();
  cmd->add_option("--timeout-ms", options->server.timeout_ms,
                  "default request deadline (parameters.timeout overrides)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600000));
  cmd->add_option("--predict-model", options->server.predict_model,
                  "model behind POST /predict (default: the only model)");
  cmd->add_flag("--json", options->json, "print the listening address as JSON");
  cmd->callback([options, &exit_code] { exit_code = serve_main(*options); });
}

}  // namespace tierml::cli
