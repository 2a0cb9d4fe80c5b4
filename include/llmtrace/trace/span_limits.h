// SpanLimits: how much one span may hold, so a runaway caller cannot grow memory without bound.
//
// What exceeds a count limit is dropped and counted (exported as dropped_*_count); strings longer
// than the value length limit are cut at a UTF-8 boundary. Defaults are the OpenTelemetry ones.
// Thread-safety: a value type.
#pragma once

#include <cstddef>

#include "llmtrace/common/arena.h"
#include "llmtrace/common/environment.h"

namespace llmtrace::trace {

struct SpanLimits {
  // OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT, else OTEL_ATTRIBUTE_COUNT_LIMIT.
  std::size_t attribute_count = 128;
  // OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT, else OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT.
  std::size_t attribute_value_length = Arena::kNoLimit;
  std::size_t event_count = 128;           // OTEL_SPAN_EVENT_COUNT_LIMIT
  std::size_t link_count = 128;            // OTEL_SPAN_LINK_COUNT_LIMIT
  std::size_t attributes_per_event = 128;  // OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT
  std::size_t attributes_per_link = 128;   // OTEL_LINK_ATTRIBUTE_COUNT_LIMIT

  static SpanLimits FromEnvironment(EnvironmentReader& env);
};

}  // namespace llmtrace::trace
