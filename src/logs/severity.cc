#include "llmtrace/logs/severity.h"

#include <array>
#include <string>

#include "llmtrace/common/strings.h"

namespace llmtrace::logs {

namespace {

constexpr std::array<std::string_view, 25> kNames = {
    "",       "TRACE",  "TRACE2", "TRACE3", "TRACE4", "DEBUG",  "DEBUG2", "DEBUG3", "DEBUG4",
    "INFO",   "INFO2",  "INFO3",  "INFO4",  "WARN",   "WARN2",  "WARN3",  "WARN4",  "ERROR",
    "ERROR2", "ERROR3", "ERROR4", "FATAL",  "FATAL2", "FATAL3", "FATAL4"};

}  // namespace

std::string_view SeverityText(Severity severity) noexcept {
  auto index = static_cast<std::size_t>(severity);
  return index < kNames.size() ? kNames[index] : "";
}

std::optional<Severity> ParseSeverity(std::string_view text) noexcept {
  if (EqualsIgnoreCase(text, "WARNING")) return Severity::kWarn;
  if (EqualsIgnoreCase(text, "CRITICAL")) return Severity::kFatal;
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    if (EqualsIgnoreCase(text, kNames[i])) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

}  // namespace llmtrace::logs
