#include "serve/server.h"

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

void send_json(HttpResponse& res, int status, const json& body) {
  res.status = status;
  res.content_type = kJson;
  res.body = dump(body);
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

// The model and version a /v2/models path names: {model} or {model,
// version}, as the router captured them.
struct ModelPath {
  std::string name;
  std::string_view version_text;
};

ModelPath model_path(const HttpRouter::Captures& path) {
  return {std::string(path[0]), path.size() > 1 ? path[1] : ""};
}

// The version the path names: a positive integer, or none. Anything else is
// answered with a 404 here, and false.
bool named_version(const ModelPath& named, HttpResponse& res,
                   std::optional<int64_t>& version) {
  const std::string_view text = named.version_text;
  if (text.empty()) return true;
  int64_t value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    send_error(res, 404,
               "model '" + named.name + "' has no version '" +
                   std::string(text) + "'");
    return false;
  }
  version = value;
  return true;
}

}  // namespace

InferenceServer::InferenceServer(ServerOptions options)
    : options_(std::move(options)),
      repository_(options_.repository, options_.instances, metrics_) {}

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
  HttpServer::Options http;
  http.host = options_.host;
  http.port = options_.port;
  http.threads = options_.http_threads;
  http.max_body_bytes = options_.max_body_bytes;
  auto started = HttpServer::start(http, [this](HttpExchange& exchange) {
    if (!router_.dispatch(exchange))
      send_error(exchange.response(), 404,
                 "no route for " + exchange.method() + " " + exchange.path());
  });
  if (!started) return started.status();
  http_ = std::move(*started);
  port_ = http_->port();
  repository_.start_polling(options_.poll_seconds);
  return Status::ok();
}

void InferenceServer::run() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    stopped_.wait(lock, [this] { return draining_.load(); });
  }
  http_->wait_idle();
}

void InferenceServer::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (draining_) return;
    draining_ = true;
  }
  if (http_) http_->stop_accepting();
  stopped_.notify_all();
}

void InferenceServer::drain() {
  repository_.stop_polling();
  repository_.drain();
}

void InferenceServer::await(HttpExchange& exchange, std::shared_ptr<Job> job,
                            std::shared_ptr<ModelVersion> version,
                            std::function<void(HttpResponse&)> answer) {
  // Read by `finish` only, on the loop thread, after this function returned.
  auto deadline = std::make_shared<std::optional<DeadlineTimer::Ticket>>();
  auto finish = [this, job, version, deadline,
                 answer = std::move(answer)](HttpResponse& res) {
    if (*deadline) deadlines_.cancel(**deadline);
    VersionMetrics& metrics = version->metrics();
    // An abandoned job may still be in a worker's hands: nothing else of it
    // is read.
    if (job->abandoned() || job->expired) {
      metrics.failure.fetch_add(1, std::memory_order_relaxed);
      return send_error(res, 503, "deadline exceeded before the request ran");
    }
    if (!job->status.is_ok()) {
      metrics.failure.fetch_add(1, std::memory_order_relaxed);
      return send_error(res, 500, job->status.message());
    }
    answer(res);
  };
  std::function<void()> resume = exchange.defer(std::move(finish));
  // Ran on this thread already (caller runs), or done in the meantime.
  if (!job->notify_when_done(resume)) return resume();
  *deadline = deadlines_.schedule(job->deadline, [job, resume] {
    if (job->abandon()) resume();
  });
}

std::shared_ptr<ModelVersion> InferenceServer::resolve(
    const HttpRouter::Captures& path, HttpResponse& res) {
  const ModelPath named = model_path(path);
  std::optional<int64_t> version;
  if (!named_version(named, res, version)) return nullptr;
  Lookup lookup = repository_.find(named.name, version);
  if (!lookup.version) send_error(res, lookup.http_status, lookup.error);
  return lookup.version;
}

void InferenceServer::infer(HttpExchange& exchange,
                            const HttpRouter::Captures& path) {
  const Clock::time_point start = Clock::now();
  HttpResponse& res = exchange.response();
  auto version = resolve(path, res);
  if (!version) return;
  auto fail = [&](int status, const std::string& message) {
    version->metrics().failure.fetch_add(1, std::memory_order_relaxed);
    send_error(res, status, message);
  };
  std::optional<size_t> header_length;
  if (auto text = exchange.header("Inference-Header-Content-Length")) {
    size_t value = 0;
    const auto [end, ec] =
        std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size())
      return fail(400, "Inference-Header-Content-Length must be a number");
    header_length = value;
  }
  auto request = parse_infer_request(version->inputs(), version->outputs(),
                                     exchange.body(), header_length);
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
    auto again = resolve(path, res);
    if (!again) {
      version->metrics().failure.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    version = again;
    submitted = version->submit(job);
  }
  if (submitted == SubmitResult::kQueueFull) {
    res.headers.emplace_back("Retry-After", "1");
    return fail(503, "model '" + version->model() + "' version " +
                         std::to_string(version->version()) +
                         ": queue full (" +
                         std::to_string(version->config().queue_limit) +
                         " requests waiting)");
  }
  if (submitted == SubmitResult::kStopped)
    return fail(503, "model '" + version->model() + "' is being unloaded");
  await(exchange, job, version,
        [job, version, start,
         request = std::move(*request)](HttpResponse& res) {
          InferResponse response =
              encode_infer_response(version->model(), version->version(),
                                    request, version->outputs(), job->outputs);
          if (response.header_length) {
            res.headers.emplace_back("Inference-Header-Content-Length",
                                     std::to_string(*response.header_length));
            res.content_type = "application/octet-stream";
          } else {
            res.content_type = kJson;
          }
          res.body = std::move(response.body);
          res.status = 200;
          version->metrics().success.fetch_add(1, std::memory_order_relaxed);
          version->metrics().request_seconds.observe(seconds_since(start));
        });
}

void InferenceServer::predict(HttpExchange& exchange) {
  const Clock::time_point start = Clock::now();
  HttpResponse& res = exchange.response();
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
  if (!lookup.version) return send_error(res, lookup.http_status, lookup.error);
  std::shared_ptr<ModelVersion> version = lookup.version;
  VersionMetrics& metrics = version->metrics();
  auto fail = [&](int status, const std::string& message) {
    metrics.failure.fetch_add(1, std::memory_order_relaxed);
    send_error(res, status, message);
  };
  if (version->inputs().size() != 1 || version->outputs().size() != 1)
    return fail(400, "/predict serves models with one input and one output");
  auto input = parse_predict_request(version->inputs()[0], exchange.body());
  if (!input) return fail(400, input.status().message());
  auto job = std::make_shared<Job>();
  job->inputs.push_back(std::move(*input));
  job->deadline = start + std::chrono::milliseconds(options_.timeout_ms);
  const SubmitResult submitted = version->submit(job);
  if (submitted == SubmitResult::kQueueFull) {
    res.headers.emplace_back("Retry-After", "1");
    return fail(503, "queue full");
  }
  if (submitted == SubmitResult::kStopped)
    return fail(503, "model is being reloaded; retry");
  await(exchange, job, version, [job, version, start](HttpResponse& res) {
    res.content_type = kJson;
    res.body = encode_predict_response(version->outputs()[0], job->outputs[0]);
    res.status = 200;
    version->metrics().success.fetch_add(1, std::memory_order_relaxed);
    version->metrics().request_seconds.observe(seconds_since(start));
  });
}

void InferenceServer::install_routes() {
  HttpRouter& http = router_;

  http.add("GET", "/v2/health/live",
           [](HttpExchange& exchange, const HttpRouter::Captures&) {
             send_json(exchange.response(), 200, {{"live", true}});
           });
  http.add("GET", "/v2/health/ready",
           [this](HttpExchange& exchange, const HttpRouter::Captures&) {
             const bool ready = !draining_ && repository_.ready();
             send_json(exchange.response(), ready ? 200 : 400,
                       {{"ready", ready}});
           });
  http.add("GET", "/v2", [](HttpExchange& exchange, const HttpRouter::Captures&) {
    send_json(exchange.response(), 200,
              {{"name", "tierml"},
               {"version", kServerVersion},
               {"extensions", {"binary_tensor_data", "model_repository"}}});
  });

  // Every /v2/models route, with and without a version.
  auto model_route = [&http](const std::string& method,
                             const std::string& suffix,
                             const HttpRouter::Route& route) {
    http.add(method, "/v2/models/*" + suffix, route);
    http.add(method, "/v2/models/*/versions/*" + suffix, route);
  };

  model_route("GET", "", [this](HttpExchange& exchange,
                                const HttpRouter::Captures& path) {
    HttpResponse& res = exchange.response();
    auto version = resolve(path, res);
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
  model_route("GET", "/ready", [this](HttpExchange& exchange,
                                      const HttpRouter::Captures& path) {
    HttpResponse& res = exchange.response();
    const ModelPath named = model_path(path);
    std::optional<int64_t> version;
    if (!named_version(named, res, version)) return;
    Lookup lookup = repository_.find(named.name, version);
    if (lookup.http_status == 404) {
      send_error(res, 404, lookup.error);
      return;
    }
    const bool ready = lookup.version != nullptr && !draining_;
    json body = {{"name", named.name}, {"ready", ready}};
    if (!ready && !lookup.error.empty()) body["error"] = lookup.error;
    send_json(res, ready ? 200 : 400, body);
  });
  model_route("POST", "/infer", [this](HttpExchange& exchange,
                                       const HttpRouter::Captures& path) {
    infer(exchange, path);
  });

  http.add("POST", "/predict",
           [this](HttpExchange& exchange, const HttpRouter::Captures&) {
             predict(exchange);
           });

  http.add("GET", "/metrics",
           [this](HttpExchange& exchange, const HttpRouter::Captures&) {
             HttpResponse& res = exchange.response();
             res.content_type = "text/plain; version=0.0.4";
             res.body = metrics_.render();
           });

  // Repository management: bearer token or nothing.
  auto authorized = [this](HttpExchange& exchange) {
    HttpResponse& res = exchange.response();
    if (options_.admin_token.empty()) {
      send_error(res, 403,
                 "repository management is disabled (start the server with "
                 "--admin-token-file)");
      return false;
    }
    const std::string_view header =
        exchange.header("Authorization").value_or("");
    const std::string_view prefix = "Bearer ";
    if (!header.starts_with(prefix) ||
        !same_secret(std::string(header.substr(prefix.size())),
                     options_.admin_token)) {
      res.headers.emplace_back("WWW-Authenticate", "Bearer");
      send_error(res, 401, "a valid bearer token is required");
      return false;
    }
    return true;
  };
  http.add("POST", "/v2/repository/index",
           [this, authorized](HttpExchange& exchange,
                              const HttpRouter::Captures&) {
             if (!authorized(exchange)) return;
             send_json(exchange.response(), 200, repository_.index());
           });
  for (const bool load : {true, false}) {
    http.add("POST",
             load ? "/v2/repository/models/*/load"
                  : "/v2/repository/models/*/unload",
             [this, authorized, load](HttpExchange& exchange,
                                      const HttpRouter::Captures& path) {
               if (!authorized(exchange)) return;
               const std::string name(path[0]);
               const Status status = load ? repository_.load_model(name)
                                          : repository_.unload_model(name);
               if (!status.is_ok())
                 return send_error(exchange.response(), http_status_of(status),
                                   status.message());
               send_json(exchange.response(), 200, json::object());
             });
  }
}

}  // namespace tierml::serve
