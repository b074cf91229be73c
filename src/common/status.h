// Host-side error handling: errors are values. Functions that can fail return
// Status or Expected<T>; only the CLI turns them into messages and exit codes.
#ifndef TIERML_COMMON_STATUS_H_
#define TIERML_COMMON_STATUS_H_

#include <string>
#include <utility>
#include <variant>

namespace tierml {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,  // bad usage or input data (CLI exit 2)
  kMalformedModel,   // the model file is not valid (CLI exit 3)
  kUnsupported,      // valid model, operator or option we do not run (exit 3)
  kIoError,          // file system (exit 2)
  kInternal,
};

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message)
      : code_(code), message_(std::move(message)) {}
  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}
inline Status malformed_model(std::string message) {
  return Status(ErrorCode::kMalformedModel, std::move(message));
}
inline Status unsupported(std::string message) {
  return Status(ErrorCode::kUnsupported, std::move(message));
}
inline Status io_error(std::string message) {
  return Status(ErrorCode::kIoError, std::move(message));
}

// A value or the Status saying why there is none.
template <typename T>
class Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Status status) : state_(std::move(status)) {}  // NOLINT

  bool has_value() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return has_value(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Status& status() const { return std::get<Status>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace tierml

#endif  // TIERML_COMMON_STATUS_H_
