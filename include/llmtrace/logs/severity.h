// Severity: the OpenTelemetry log severity scale (SeverityNumber 1-24 in six ranges of four) and
// the conventional short names ("TRACE", "DEBUG2", "INFO", "WARN", "ERROR3", "FATAL4").
// Thread-safety: pure functions.
//
//   record.severity = Severity::kWarn;
//   SeverityText(Severity::kError2);  // "ERROR2"
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace llmtrace::logs {

// Values match OTLP's SeverityNumber.
enum class Severity : std::uint8_t {
  kUnspecified = 0,
  kTrace = 1,
  kTrace2,
  kTrace3,
  kTrace4,
  kDebug = 5,
  kDebug2,
  kDebug3,
  kDebug4,
  kInfo = 9,
  kInfo2,
  kInfo3,
  kInfo4,
  kWarn = 13,
  kWarn2,
  kWarn3,
  kWarn4,
  kError = 17,
  kError2,
  kError3,
  kError4,
  kFatal = 21,
  kFatal2,
  kFatal3,
  kFatal4,
};

// "INFO", "WARN3", ...; "" for kUnspecified.
std::string_view SeverityText(Severity severity) noexcept;
// Parses the short names (any case), also "WARNING" and "CRITICAL" (as FATAL); nullopt otherwise.
std::optional<Severity> ParseSeverity(std::string_view text) noexcept;

}  // namespace llmtrace::logs
