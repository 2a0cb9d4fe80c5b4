// LogRecordLimits: how many attributes one log record may hold and how long their string values
// may be, so that a runaway caller cannot grow memory without bound.
//
// Attributes beyond the count limit are dropped and counted (exported as
// dropped_attributes_count); longer string values are cut at a UTF-8 boundary. The body is not
// an attribute and is never cut. Defaults are the OpenTelemetry ones (128, unlimited).
// Used by LoggerProvider (from the environment unless given in code).
// Thread-safety: a value type.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   LogRecordLimits limits = LogRecordLimits::FromEnvironment(env);
#pragma once

#include <cstddef>

#include "llmtrace/common/arena.h"
#include "llmtrace/common/environment.h"

namespace llmtrace::logs {

struct LogRecordLimits {
  // OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT, else OTEL_ATTRIBUTE_COUNT_LIMIT.
  std::size_t attribute_count = 128;
  // OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT, else OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT.
  std::size_t attribute_value_length = Arena::kNoLimit;

  static LogRecordLimits FromEnvironment(EnvironmentReader& env);
};

}  // namespace llmtrace::logs
