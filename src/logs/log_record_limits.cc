#include "llmtrace/logs/log_record_limits.h"

#include <optional>

namespace llmtrace::logs {

namespace {

std::optional<std::size_t> ReadCount(EnvironmentReader& env, std::string_view name) {
  if (!env.GetString(name)) return std::nullopt;
  std::int64_t value = env.GetInt(name, -1, 0);  // invalid values warn and read as -1
  if (value < 0) return std::nullopt;
  return static_cast<std::size_t>(value);
}

// The signal-specific variable wins over the general one, which wins over the default.
std::size_t ReadLimit(EnvironmentReader& env, std::string_view specific, std::string_view general,
                      std::size_t fallback) {
  if (std::optional<std::size_t> v = ReadCount(env, specific)) return *v;
  if (std::optional<std::size_t> v = ReadCount(env, general)) return *v;
  return fallback;
}

}  // namespace

LogRecordLimits LogRecordLimits::FromEnvironment(EnvironmentReader& env) {
  LogRecordLimits limits;
  limits.attribute_count = ReadLimit(env, "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
                                     "OTEL_ATTRIBUTE_COUNT_LIMIT", limits.attribute_count);
  limits.attribute_value_length =
      ReadLimit(env, "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
                "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", limits.attribute_value_length);
  return limits;
}

}  // namespace llmtrace::logs
