#include "llmtrace/common/environment.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/common/strings.h"

namespace llmtrace {

std::optional<std::string> ProcessEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

const ProcessEnvironment& ProcessEnvironment::Instance() noexcept {
  static const ProcessEnvironment env;
  return env;
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> EnvironmentReader::GetString(std::string_view name) const {
  std::optional<std::string> raw = env_.Get(name);
  if (!raw) return std::nullopt;
  std::string trimmed(TrimWhitespace(*raw));
  if (trimmed.empty()) return std::nullopt;
  return trimmed;
}

bool EnvironmentReader::GetBool(std::string_view name, bool default_value) {
  std::optional<std::string> value = GetString(name);
  if (!value) return default_value;
  if (EqualsIgnoreCase(*value, "true")) return true;
  if (!EqualsIgnoreCase(*value, "false")) Warn(name, "true or false", *value, "false");
  return false;
}

std::int64_t EnvironmentReader::GetInt(std::string_view name, std::int64_t default_value,
                                       std::int64_t min, std::int64_t max) {
  std::optional<std::string> value = GetString(name);
  if (!value) return default_value;
  errno = 0;
  char* end = nullptr;
  long long parsed = std::strtoll(value->c_str(), &end, 10);
  if (errno != 0 || end == value->c_str() || *end != '\0' || parsed < min || parsed > max) {
    std::string expected = "an integer";
    if (min != INT64_MIN) expected += " >= " + std::to_string(min);
    if (max != INT64_MAX) expected += " <= " + std::to_string(max);
    Warn(name, expected, *value, std::to_string(default_value));
    return default_value;
  }
  return parsed;
}

double EnvironmentReader::GetDouble(std::string_view name, double default_value, double min,
                                    double max) {
  std::optional<std::string> value = GetString(name);
  if (!value) return default_value;
  errno = 0;
  char* end = nullptr;
  double parsed = std::strtod(value->c_str(), &end);
  if (errno != 0 || end == value->c_str() || *end != '\0' || !std::isfinite(parsed) ||
      parsed < min || parsed > max) {
    Warn(name, "a number in [" + FormatDouble(min) + ", " + FormatDouble(max) + "]", *value,
         FormatDouble(default_value));
    return default_value;
  }
  return parsed;
}

std::chrono::milliseconds EnvironmentReader::GetMilliseconds(
    std::string_view name, std::chrono::milliseconds default_value) {
  return std::chrono::milliseconds(GetInt(name, default_value.count(), 0));
}

void EnvironmentReader::LogWarnings() {
  for (const std::string& warning : warnings_) InternalLog(LogLevel::kWarning, warning);
  warnings_.clear();
}

void EnvironmentReader::Warn(std::string_view name, std::string_view expected, std::string_view got,
                             std::string_view fallback) {
  std::string message(name);
  message += ": expected ";
  message += expected;
  message += ", got '";
  message += got;
  message += "'; using ";
  message += fallback;
  warnings_.push_back(std::move(message));
}

}  // namespace llmtrace
