// The SDK's own diagnostics: warnings about configuration, drops and export failures.
//
// By default they go to stderr as "llmtrace [warning] ..." at level warning and above
// (OTEL_LOG_LEVEL picks another threshold). Applications can route them elsewhere with
// SetInternalLogHandler. Hot paths never log directly: they use a RateLimitedLog, which prints
// the first message of each interval and counts the rest ("(+41 similar suppressed)").
// Thread-safety: all functions may be called from any thread.
//
//   static RateLimitedLog drops_log(std::chrono::seconds(10));
//   drops_log.Warn([&] { return "span queue full; dropping spans"; });
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace llmtrace {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kNone = 4 };

using InternalLogHandler = std::function<void(LogLevel, std::string_view)>;

// Replaces the handler (nullptr restores stderr). Returns the previous one.
InternalLogHandler SetInternalLogHandler(InternalLogHandler handler);
void SetInternalLogLevel(LogLevel level) noexcept;
LogLevel InternalLogLevel() noexcept;
// "debug", "info", "warn"/"warning", "error", "none" (OTEL_LOG_LEVEL values); nullopt-like kNone
// is returned only for "none"; unknown names give `fallback`.
LogLevel ParseLogLevel(std::string_view name, LogLevel fallback) noexcept;

void InternalLog(LogLevel level, std::string_view message) noexcept;

// Lets one message per interval through and counts what it holds back.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(std::chrono::nanoseconds interval = std::chrono::seconds(10))
      : interval_ns_(interval.count()) {}

  // `make_message` runs only when the message will be printed.
  template <typename MakeMessage>
  void Warn(MakeMessage&& make_message) noexcept {
    if (!Admit()) return;
    try {
      Emit(LogLevel::kWarning, make_message());
    } catch (...) {  // building the message failed (out of memory): nothing to log
    }
  }
  template <typename MakeMessage>
  void Error(MakeMessage&& make_message) noexcept {
    if (!Admit()) return;
    try {
      Emit(LogLevel::kError, make_message());
    } catch (...) {
    }
  }

 private:
  bool Admit() noexcept;
  void Emit(LogLevel level, std::string_view message) noexcept;

  const std::int64_t interval_ns_;
  std::atomic<std::int64_t> next_allowed_ns_{0};
  std::atomic<std::uint64_t> suppressed_{0};
};

}  // namespace llmtrace
