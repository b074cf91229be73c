#include "serve/http_router.h"

namespace tierml::serve {
namespace {

// "/a/b/" -> {"a", "b", ""}; a path must start with '/'.
std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

void HttpRouter::add(std::string method, std::string_view pattern,
                     Route route) {
  Entry entry{std::move(method), {}, std::move(route)};
  for (std::string_view segment : split(pattern))
    entry.segments.emplace_back(segment);
  routes_.push_back(std::move(entry));
}

bool HttpRouter::dispatch(HttpExchange& exchange) const {
  const std::string_view method = exchange.method() == "HEAD"
                                      ? std::string_view("GET")
                                      : std::string_view(exchange.method());
  const std::vector<std::string_view> segments = split(exchange.path());
  Captures captures;
  for (const Entry& entry : routes_) {
    if (entry.method != method || entry.segments.size() != segments.size())
      continue;
    captures.clear();
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      if (entry.segments[i] == "*") {
        captures.push_back(segments[i]);
      } else {
        match = entry.segments[i] == segments[i];
      }
    }
    if (match) {
      entry.route(exchange, captures);
      return true;
    }
  }
  return false;
}

}  // namespace tierml::serve
