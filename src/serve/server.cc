#include "serve/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "serve/infer_request.h"

namespace tierml::serve {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";
constexpr const char* kServerVersion = "0.1.0";

// Messages may quote bytes of a malformed request: invalid UTF-8 is
// replaced rather than allowed to throw while encoding the answer.
std::string dump(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(dump(body), kJson);
}

void send_error(httplib::Response& res, int status,
                const std::string& message) {
  send_json(res, status, {{"error", message}});
}

// HTTP status for a Status coming out of the library.
int http_status_of(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kMalformedModel:
    case ErrorCode::kUnsupported:
      return 400;
    case ErrorCode::kIoError:
      return 404;
    default:
      return 500;
  }
}

// "versions/<v>" path segment: a positive integer, or nothing.
bool parse_version(const std::string& text, std::optional<int64_t>& version) {
  if (text.empty()) return true;
  int64_t value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0)
    return false;
  version = value;
  return true;
}

json tensor_metadata(const TensorSpec& spec) {
  json j = {{"name", spec.name},
            {"datatype", std::string(datatype_name(spec.type))},
            {"shape", spec.shape}};
  if (spec.quantized)
    j["parameters"] = {{"scale", spec.scale}, {"zero_point", spec.zero_point}};
  return j;
}

// Compares without an early exit, so timing tells nothing about the token.
bool same_secret(const std::string& given, const std::string& expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i]) ^
            static_cast<unsigned char>(expected[i % expected.size()]);
  }
  return diff == 0;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

InferenceServer::InferenceServer(ServerOptions options)
    : options_(std::move(options)),
      repository_(options_.repository, options_.instances, metrics_),
      http_(std::make_unique<httplib::Server>()) {}

InferenceServer::~InferenceServer() {
  shutdown();
  drain();
}

Status InferenceServer::start() {
  std::error_code ec;
  if (!std::filesystem::is_directory(options_.repository, ec))
    return io_error("model repository " + options_.repository +
                    " is not a directory");
  for (const std::string& line : repository_.scan()) {
    std::fprintf(stderr, "tierml serve: %s\n", line.c_str());
  }
  install_routes();
  const int threads = std::max(1, options_.http_threads);
  http_->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_keep_alive_max_count(100000);
  http_->set_tcp_nodelay(true);
  // Debian's compiled cpp-httplib listens with a backlog of 5: a burst of
  // new connections (a proxy opening its pool, a benchmark's 64) overflows
  // it, the kernel drops SYNs, and those clients retry only after a second.
  // Listening again on the bound socket raises the backlog.
  int listen_socket = -1;
  http_->set_socket_options([&listen_socket](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_socket = sock;
  });
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
  } else if (http_->bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  }
  // The hook captured a local: back to the library's own before anything
  // could call it again.
  http_->set_socket_options(httplib::default_socket_options);
  if (port_ <= 0) {
    return io_error("cannot bind " + options_.host +
                    (options_.port ? ":" + std::to_string(options_.port) : ""));
  }
  if (::listen(listen_socket, SOMAXCONN) != 0)
    return io_error("cannot listen on " + options_.host + ":" +
                    std::to_string(port_));
  repository_.start_polling(options_.poll_seconds);
  return Status::ok();
}

void InferenceServer::run() { http_->listen_after_bind(); }

void InferenceServer::shutdown() {
  if (draining_.exchange(true)) return;
  http_->stop();
}

void InferenceServer::drain() {
  repository_.stop_polling();
  repository_.drain();
}

void InferenceServer::install_routes() {
  httplib::Server& http = *http_;

  http.Get("/v2/health/live",
           [](const httplib::Request&, httplib::Response& res) {
             send_json(res, 200, {{"live", true}});
           });
  http.Get("/v2/health/ready",
           [this](const httplib::Request&, httplib::Response& res) {
             const bool ready = !draining_ && repository_.ready();
             send_json(res, ready ? 200 : 400, {{"ready", ready}});
           });
  http.Get("/v2", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200,
              {{"name", "tierml"},
               {"version", kServerVersion},
               {"extensions", {"binary_tensor_data", "model_repository"}}});
  });

  // Resolves the model (and version) named in the path, or answers the
  // error itself and returns nullptr.
  auto resolve = [this](
                     const httplib::Request& req,
                     httplib::Response& res) -> std::shared_ptr<ModelVersion> {
    const std::string name = req.matches[1];
    std::optional<int64_t> version;
    if (!parse_version(req.matches[2], version)) {
      send_error(res, 404,
                 "model '" + name + "' has no version '" +
                     std::string(req.matches[2]) + "'");
      return nullptr;
    }
    Lookup lookup = repository_.find(name, version);
    if (!lookup.version) send_error(res, lookup.http_status, lookup.error);
    return lookup.version;
  };

  const std::string model_path = R"(/v2/models/([^/]+)(?:/versions/([^/]*))?)";
  http.Get(model_path, [this, resolve](const httplib::Request& req,
                                       httplib::Response& res) {
    auto version = resolve(req, res);
    if (!version) return;
    json versions = json::array();
    for (int64_t v : repository_.ready_versions(version->model()))
      versions.push_back(std::to_string(v));
    json inputs = json::array(), outputs = json::array();
    for (const TensorSpec& spec : version->inputs())
      inputs.push_back(tensor_metadata(spec));
    for (const TensorSpec& spec : version->outputs())
      outputs.push_back(tensor_metadata(spec));
    send_json(res, 200,
              {{"name", version->model()},
               {"versions", versions},
               {"platform", "tflite"},
               {"inputs", inputs},
               {"outputs", outputs}});
  });
  http.Get(model_path + "/ready",
           [this](const httplib::Request& req, httplib::Response& res) {
             const std::string name = req.matches[1];
             std::optional<int64_t> version;
             if (!parse_version(req.matches[2], version)) {
               send_error(res, 404,
                          "model '" + name + "' has no version '" +
                              std::string(req.matches[2]) + "'");
               return;
             }
             Lookup lookup = repository_.find(name, version);
             if (lookup.http_status == 404) {
               send_error(res, 404, lookup.error);
               return;
             }
             const bool ready = lookup.version != nullptr && !draining_;
             json body = {{"name", name}, {"ready", ready}};
             if (!ready && !lookup.error.empty()) body["error"] = lookup.error;
             send_json(res, ready ? 200 : 400, body);
           });

  http.Post(model_path + "/infer", [this, resolve](const httplib::Request& req,
                                                   httplib::Response& res) {
    const Clock::time_point start = Clock::now();
    auto version = resolve(req, res);
    if (!version) return;
    VersionMetrics& metrics = version->metrics();
    auto fail = [&](int status, const std::string& message) {
      metrics.failure.fetch_add(1, std::memory_order_relaxed);
      send_error(res, status, message);
    };
    std::optional<size_t> header_length;
    if (req.has_header("Inference-Header-Content-Length")) {
      const std::string text =
          req.get_header_value("Inference-Header-Content-Length");
      size_t value = 0;
      const auto [end, ec] =
          std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size())
        return fail(400, "Inference-Header-Content-Length must be a number");
      header_length = value;
    }
    auto request = parse_infer_request(version->inputs(), version->outputs(),
                                       req.body, header_length);
    if (!request) return fail(400, request.status().message());
    auto job = std::make_shared<Job>();
    job->inputs = std::move(request->inputs);
    job->deadline =
        start +
        (request->timeout_us
             ? std::chrono::microseconds(*request->timeout_us)
             : std::chrono::microseconds(int64_t{options_.timeout_ms} * 1000));
    SubmitResult submitted = version->submit(job);
    if (submitted == SubmitResult::kStopped) {
      // Replaced or unloaded between lookup and submit: the successor takes
      // it (a request that names a version only gets that version).
      auto again = resolve(req, res);
      if (!again) {
        metrics.failure.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      version = again;
      submitted = version->submit(job);
    }
    if (submitted == SubmitResult::kQueueFull) {
      res.set_header("Retry-After", "1");
      return fail(503, "model '" + version->model() + "' version " +
                           std::to_string(version->version()) +
                           ": queue full (" +
                           std::to_string(version->config().queue_limit) +
                           " requests waiting)");
    }
    if (submitted == SubmitResult::kStopped)
      return fail(503, "model '" + version->model() + "' is being unloaded");
    if (!job->wait_until(job->deadline) || job->expired)
      return fail(503, "deadline exceeded before the request ran");
    if (!job->status.is_ok()) return fail(500, job->status.message());
    InferResponse response =
        encode_infer_response(version->model(), version->version(), *request,
                              version->outputs(), job->outputs);
    if (response.header_length) {
      res.set_header("Inference-Header-Content-Length",
                     std::to_string(*response.header_length));
      res.set_content(response.body, "application/octet-stream");
    } else {
      res.set_content(response.body, kJson);
    }
    res.status = 200;
    version->metrics().success.fetch_add(1, std::memory_order_relaxed);
    version->metrics().request_seconds.observe(seconds_since(start));
  });

  http.Post("/predict", [this](const httplib::Request& req,
                               httplib::Response& res) {
    const Clock::time_point start = Clock::now();
    std::string name = options_.predict_model;
    if (name.empty()) {
      const std::vector<std::string> names = repository_.model_names();
      if (names.size() != 1)
        return send_error(res, 404,
                          "/predict needs --predict-model when the repository "
                          "does not hold exactly one model");
      name = names.front();
    }
    Lookup lookup = repository_.find(name, std::nullopt);
    if (!lookup.version)
      return send_error(res, lookup.http_status, lookup.error);
    std::shared_ptr<ModelVersion> version = lookup.version;
    VersionMetrics& metrics = version->metrics();
    auto fail = [&](int status, const std::string& message) {
      metrics.failure.fetch_add(1, std::memory_order_relaxed);
      send_error(res, status, message);
    };
    if (version->inputs().size() != 1 || version->outputs().size() != 1)
      return fail(400, "/predict serves models with one input and one output");
    auto input = parse_predict_request(version->inputs()[0], req.body);
    if (!input) return fail(400, input.status().message());
    auto job = std::make_shared<Job>();
    job->inputs.push_back(std::move(*input));
    job->deadline = start + std::chrono::milliseconds(options_.timeout_ms);
    const SubmitResult submitted = version->submit(job);
    if (submitted == SubmitResult::kQueueFull) {
      res.set_header("Retry-After", "1");
      return fail(503, "queue full");
    }
    if (submitted == SubmitResult::kStopped)
      return fail(503, "model is being reloaded; retry");
    if (!job->wait_until(job->deadline) || job->expired)
      return fail(503, "deadline exceeded before the request ran");
    if (!job->status.is_ok()) return fail(500, job->status.message());
    res.set_content(
        encode_predict_response(version->outputs()[0], job->outputs[0]), kJson);
    res.status = 200;
    metrics.success.fetch_add(1, std::memory_order_relaxed);
    metrics.request_seconds.observe(seconds_since(start));
  });

  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.render(), "text/plain; version=0.0.4");
  });

  // Repository management: bearer token or nothing.
  auto authorized = [this](const httplib::Request& req,
                           httplib::Response& res) {
    if (options_.admin_token.empty()) {
      send_error(res, 403,
                 "repository management is disabled (start the server with "
                 "--admin-token-file)");
      return false;
    }
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (header.compare(0, prefix.size(), prefix) != 0 ||
        !same_secret(header.substr(prefix.size()), options_.admin_token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(res, 401, "a valid bearer token is required");
      return false;
    }
    return true;
  };
  http.Post(
      "/v2/repository/index",
      [this, authorized](const httplib::Request& req, httplib::Response& res) {
        if (!authorized(req, res)) return;
        send_json(res, 200, repository_.index());
      });
  http.Post(
      R"(/v2/repository/models/([^/]+)/(load|unload))",
      [this, authorized](const httplib::Request& req, httplib::Response& res) {
        if (!authorized(req, res)) return;
        const std::string name = req.matches[1];
        const Status status = req.matches[2] == "load"
                                  ? repository_.load_model(name)
                                  : repository_.unload_model(name);
        if (!status.is_ok())
          return send_error(res, http_status_of(status), status.message());
        send_json(res, 200, json::object());
      });

  http.set_error_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;  // a handler already explained itself
        std::string message = "HTTP " + std::to_string(res.status);
        if (res.status == 404)
          message = "no route for " + req.method + " " + req.path;
        if (res.status == 413)
          message = "request body exceeds " +
                    std::to_string(options_.max_body_bytes) + " bytes";
        if (res.status == 400) message = "bad HTTP request";
        res.set_content(dump(json{{"error", message}}), kJson);
      });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                std::exception_ptr error) {
    std::string message = "internal error";
    try {
      if (error) std::rethrow_exception(error);
    } catch (const std::exception& e) {
      message += std::string(": ") + e.what();
    } catch (...) {
    }
    send_error(res, 500, message);
  });
}

}  // namespace tierml::serve
