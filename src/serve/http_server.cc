#include "serve/http_server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>
#include <nlohmann/json.hpp>

namespace tierml::serve {
namespace {

// An answer of the front end's own: nothing a handler set survives.
void fail(HttpResponse& response, int status, const std::string& message) {
  response = HttpResponse{};
  send_error(response, status, message);
}

// A listening socket of our own rather than libmicrohttpd's, for the
// backlog: a burst of new connections (a proxy opening its pool, a
// benchmark's 64) must not overflow it, or the kernel drops SYNs and those
// clients retry only after a second. -1 when nothing could be bound.
int listen_on(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints,
                    &found) != 0)
    return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                  a->ai_protocol);
    if (fd < 0) continue;
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 ||
        ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    return 0;
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

std::optional<size_t> declared_length(MHD_Connection* connection) {
  const char* text = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (text == nullptr) return std::nullopt;
  size_t value = 0;
  const char* end = text + std::strlen(text);
  if (std::from_chars(text, end, value).ptr != end) return std::nullopt;
  return value;
}

}  // namespace

void send_error(HttpResponse& response, int status,
                const std::string& message) {
  response.status = status;
  response.content_type = "application/json";
  // The message may quote a client's bytes: invalid UTF-8 is replaced.
  response.body = nlohmann::json{{"error", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::string_view> HttpExchange::header(const char* name) const {
  const char* value =
      MHD_lookup_connection_value(connection_, MHD_HEADER_KIND, name);
  if (value == nullptr) return std::nullopt;
  return std::string_view(value);
}

// Shared by an exchange and the function that resumes it, which may run
// late, on any thread: it touches the connection only while suspended, and
// a suspended connection stays open until resumed.
struct HttpExchange::Deferral {
  enum State { kWaiting, kSuspended, kReady, kDropped };
  std::mutex mutex;
  State state = kWaiting;
  MHD_Connection* connection;
};

HttpExchange::HttpExchange(MHD_Connection* connection, std::string method,
                           std::string path)
    : connection_(connection),
      method_(std::move(method)),
      path_(std::move(path)) {}

std::function<void()> HttpExchange::defer(
    std::function<void(HttpResponse&)> finish) {
  finish_ = std::move(finish);
  deferral_ = std::make_shared<Deferral>();
  deferral_->connection = connection_;
  return [deferral = deferral_] {
    std::lock_guard<std::mutex> lock(deferral->mutex);
    if (deferral->state == Deferral::kSuspended)
      MHD_resume_connection(deferral->connection);
    if (deferral->state <= Deferral::kSuspended)
      deferral->state = Deferral::kReady;
  };
}

struct HttpServer::Callbacks {
  // libmicrohttpd calls this once the headers are in (a new exchange), once
  // per piece of body, then with no data once the request is complete, and
  // once more after each resume of a suspended connection.
  static MHD_Result on_request(void* cls, MHD_Connection* connection,
                               const char* url, const char* method,
                               const char* /*version*/, const char* data,
                               size_t* size, void** context) {
    HttpServer& server = *static_cast<HttpServer*>(cls);
    auto* exchange = static_cast<HttpExchange*>(*context);
    if (exchange == nullptr) {
      try {
        exchange = new HttpExchange(connection, method, url);
      } catch (const std::exception&) {
        return MHD_NO;  // closes the connection
      }
      *context = exchange;
      {
        std::lock_guard<std::mutex> lock(server.mutex_);
        ++server.in_flight_;
      }
      // Refused before the body is read when its length says so.
      const std::optional<size_t> length = declared_length(connection);
      if (length && *length > server.options_.max_body_bytes) {
        too_large(server, *exchange);
        return send(server, *exchange);
      }
      return MHD_YES;
    }
    if (*size != 0) {
      // A chunked body has no declared length: past the limit it is read
      // and dropped, and answered with 413 at its end.
      if (!exchange->body_too_large_) {
        if (exchange->body_.size() + *size > server.options_.max_body_bytes) {
          exchange->body_too_large_ = true;
          std::string().swap(exchange->body_);
        } else {
          exchange->body_.append(data, *size);
        }
      }
      *size = 0;
      return MHD_YES;
    }
    if (exchange->body_too_large_) {
      too_large(server, *exchange);
      return send(server, *exchange);
    }
    while (true) {
      run(server, *exchange);
      if (!exchange->finish_) return send(server, *exchange);
      if (suspend_unless_ready(*exchange)) return MHD_YES;
    }
  }

  // The handler, or after a deferral its `finish`. Exceptions become 500s.
  static void run(HttpServer& server, HttpExchange& exchange) {
    try {
      if (exchange.finish_) {
        std::exchange(exchange.finish_, nullptr)(exchange.response_);
      } else {
        server.handler_(exchange);
      }
    } catch (const std::exception& e) {
      drop_deferral(exchange);
      fail(exchange.response_, 500, std::string("internal error: ") + e.what());
    } catch (...) {
      drop_deferral(exchange);
      fail(exchange.response_, 500, "internal error");
    }
  }

  // After a handler deferred: suspends the connection, unless the answer
  // is ready already (false: run `finish` now). Under the deferral's lock,
  // so that a resume cannot come between the check and the suspension.
  static bool suspend_unless_ready(HttpExchange& exchange) {
    HttpExchange::Deferral& deferral = *exchange.deferral_;
    std::lock_guard<std::mutex> lock(deferral.mutex);
    if (deferral.state == HttpExchange::Deferral::kReady) return false;
    deferral.state = HttpExchange::Deferral::kSuspended;
    MHD_suspend_connection(exchange.connection_);
    return true;
  }

  static void drop_deferral(HttpExchange& exchange) {
    exchange.finish_ = nullptr;
    if (!exchange.deferral_) return;
    std::lock_guard<std::mutex> lock(exchange.deferral_->mutex);
    exchange.deferral_->state = HttpExchange::Deferral::kDropped;
  }

  static void too_large(HttpServer& server, HttpExchange& exchange) {
    fail(exchange.response_, 413,
         "request body exceeds " +
             std::to_string(server.options_.max_body_bytes) + " bytes");
  }

  static MHD_Result send(HttpServer& server, HttpExchange& exchange) {
    HttpResponse& answer = exchange.response_;
    // The body moves to the response, which frees it once sent.
    auto* body = new std::string(std::move(answer.body));
    MHD_Response* response =
        MHD_create_response_from_buffer_with_free_callback_cls(
            body->size(), body->data(), &free_body, body);
    if (response == nullptr) {
      delete body;
      return MHD_NO;
    }
    if (!answer.content_type.empty())
      MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                              answer.content_type.c_str());
    for (const auto& [name, value] : answer.headers)
      MHD_add_response_header(response, name.c_str(), value.c_str());
    // Draining: clients on kept-alive connections go elsewhere.
    if (!server.accepting_)
      MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
    const MHD_Result queued = MHD_queue_response(
        exchange.connection_, static_cast<unsigned>(answer.status), response);
    MHD_destroy_response(response);
    return queued;
  }

  static void free_body(void* body) { delete static_cast<std::string*>(body); }

  // Every exchange ends here: answered, or its connection closed.
  static void on_completed(void* cls, MHD_Connection* /*connection*/,
                           void** context,
                           MHD_RequestTerminationCode /*reason*/) {
    HttpServer& server = *static_cast<HttpServer*>(cls);
    auto* exchange = static_cast<HttpExchange*>(*context);
    if (exchange == nullptr) return;  // never got as far as an exchange
    delete exchange;
    *context = nullptr;
    std::lock_guard<std::mutex> lock(server.mutex_);
    if (--server.in_flight_ == 0) server.idle_.notify_all();
  }
};

Expected<std::unique_ptr<HttpServer>> HttpServer::start(const Options& options,
                                                        Handler handler) {
  const std::string address =
      options.host + (options.port ? ":" + std::to_string(options.port) : "");
  const int fd = listen_on(options.host, options.port);
  if (fd < 0) return io_error("cannot bind " + address);
  std::unique_ptr<HttpServer> server(new HttpServer(options, std::move(handler)));
  server->port_ = bound_port(fd);
  // Epoll loops on a fixed pool of threads; suspend/resume for deferred
  // answers (it also gives each loop the wake-up channel that
  // MHD_quiesce_daemon needs).
  const unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                         MHD_ALLOW_SUSPEND_RESUME;
  server->daemon_ = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &Callbacks::on_request, server.get(),
      MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
      static_cast<unsigned>(std::max(1, options.threads)),
      MHD_OPTION_NOTIFY_COMPLETED, &Callbacks::on_completed, server.get(),
      // An idle keep-alive connection, or a request that stalls mid-way, is
      // closed after this many seconds (suspended ones never time out).
      MHD_OPTION_CONNECTION_TIMEOUT, 5u, MHD_OPTION_END);
  if (server->daemon_ == nullptr) {
    ::close(fd);
    return io_error("cannot start the HTTP server on " + address);
  }
  return server;
}

HttpServer::~HttpServer() {
  if (daemon_ == nullptr) return;  // failed to start
  stop_accepting();
  wait_idle();
  MHD_stop_daemon(daemon_);
}

void HttpServer::stop_accepting() {
  if (!accepting_.exchange(false)) return;
  const MHD_socket fd = MHD_quiesce_daemon(daemon_);
  if (fd != MHD_INVALID_SOCKET) ::close(fd);
}

void HttpServer::wait_idle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

}  // namespace tierml::serve
