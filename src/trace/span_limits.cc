#include "llmtrace/trace/span_limits.h"

#include <optional>

namespace llmtrace::trace {

namespace {

std::optional<std::size_t> ReadCount(EnvironmentReader& env, std::string_view name) {
  if (name.empty() || !env.GetString(name)) return std::nullopt;
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

SpanLimits SpanLimits::FromEnvironment(EnvironmentReader& env) {
  SpanLimits limits;
  limits.attribute_count = ReadLimit(env, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
                                     "OTEL_ATTRIBUTE_COUNT_LIMIT", limits.attribute_count);
  limits.attribute_value_length =
      ReadLimit(env, "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
                limits.attribute_value_length);
  limits.event_count = ReadLimit(env, "OTEL_SPAN_EVENT_COUNT_LIMIT", "", limits.event_count);
  limits.link_count = ReadLimit(env, "OTEL_SPAN_LINK_COUNT_LIMIT", "", limits.link_count);
  limits.attributes_per_event =
      ReadLimit(env, "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT",
                limits.attributes_per_event);
  limits.attributes_per_link = ReadLimit(env, "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
                                         "OTEL_ATTRIBUTE_COUNT_LIMIT", limits.attributes_per_link);
  return limits;
}

}  // namespace llmtrace::trace
