// Status: the outcome of a fallible call, with a stable code and a message that carries context.
//
// Every public API that can fail returns a Status or a Result<T> (see result.h); no exception
// crosses a public API. Messages say what was being done and with what ("otlp export to
// http://localhost:4318/v1/traces: connection refused"), so they can be logged as they are.
// Thread-safety: a Status is a value type; distinct objects may be used from any thread.
//
//   llmtrace::Status s = exporter.Shutdown();
//   if (!s.ok()) std::cerr << s.ToString() << "\n";
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace llmtrace {

// Codes are stable: they are logged, exported and compared by users.
enum class StatusCode {
  kOk = 0,
  kCancelled,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kUnauthenticated,
};

// "ok", "invalid_argument", ...: the lower-case name of a code, for logs and attributes.
std::string_view StatusCodeName(StatusCode code) noexcept;

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() noexcept { return Status(); }

  bool ok() const noexcept { return code_ == StatusCode::kOk; }
  StatusCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  // "invalid_argument: OTEL_BSP_MAX_QUEUE_SIZE: expected a positive integer, got 'abc'".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` ("loading config.yaml: ...").
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}
inline Status UnavailableError(std::string message) {
  return Status(StatusCode::kUnavailable, std::move(message));
}
inline Status DeadlineExceededError(std::string message) {
  return Status(StatusCode::kDeadlineExceeded, std::move(message));
}
inline Status FailedPreconditionError(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message));
}
inline Status ResourceExhaustedError(std::string message) {
  return Status(StatusCode::kResourceExhausted, std::move(message));
}
inline Status InternalError(std::string message) {
  return Status(StatusCode::kInternal, std::move(message));
}
inline Status NotFoundError(std::string message) {
  return Status(StatusCode::kNotFound, std::move(message));
}

}  // namespace llmtrace
