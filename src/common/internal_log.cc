#include "llmtrace/common/internal_log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "llmtrace/common/strings.h"

namespace llmtrace {

namespace {

std::mutex handler_mutex;
InternalLogHandler& Handler() {
  static InternalLogHandler handler;
  return handler;
}
std::atomic<int> log_level{static_cast<int>(LogLevel::kWarning)};

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
    case LogLevel::kNone:
      return "none";
  }
  return "unknown";
}

std::int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

InternalLogHandler SetInternalLogHandler(InternalLogHandler handler) {
  std::lock_guard lock(handler_mutex);
  InternalLogHandler previous = std::move(Handler());
  Handler() = std::move(handler);
  return previous;
}

void SetInternalLogLevel(LogLevel level) noexcept {
  log_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

LogLevel InternalLogLevel() noexcept {
  return static_cast<LogLevel>(log_level.load(std::memory_order_relaxed));
}

LogLevel ParseLogLevel(std::string_view name, LogLevel fallback) noexcept {
  if (EqualsIgnoreCase(name, "debug")) return LogLevel::kDebug;
  if (EqualsIgnoreCase(name, "info")) return LogLevel::kInfo;
  if (EqualsIgnoreCase(name, "warn") || EqualsIgnoreCase(name, "warning")) {
    return LogLevel::kWarning;
  }
  if (EqualsIgnoreCase(name, "error")) return LogLevel::kError;
  if (EqualsIgnoreCase(name, "none")) return LogLevel::kNone;
  return fallback;
}

void InternalLog(LogLevel level, std::string_view message) noexcept {
  if (level < InternalLogLevel() || level == LogLevel::kNone) return;
  try {
    std::lock_guard lock(handler_mutex);
    if (Handler()) {
      Handler()(level, message);
      return;
    }
    std::string line = "llmtrace [";
    line += LevelName(level);
    line += "] ";
    line += message;
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  } catch (...) {
    // A throwing user handler must not take the caller down; the message is lost.
  }
}

bool RateLimitedLog::Admit() noexcept {
  std::int64_t now = SteadyNanos();
  std::int64_t next = next_allowed_ns_.load(std::memory_order_relaxed);
  if (now < next || !next_allowed_ns_.compare_exchange_strong(next, now + interval_ns_,
                                                              std::memory_order_relaxed)) {
    suppressed_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void RateLimitedLog::Emit(LogLevel level, std::string_view message) noexcept {
  std::uint64_t suppressed = suppressed_.exchange(0, std::memory_order_relaxed);
  if (suppressed == 0) {
    InternalLog(level, message);
    return;
  }
  try {
    std::string line(message);
    line += " (+" + std::to_string(suppressed) + " similar suppressed)";
    InternalLog(level, line);
  } catch (...) {
  }
}

}  // namespace llmtrace
