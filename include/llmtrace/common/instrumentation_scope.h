// InstrumentationScope: the library that produced telemetry ("llmtrace.genai", "my-rag-app"),
// with its version, schema URL and attributes, as OTLP's ScopeSpans/ScopeMetrics/ScopeLogs
// carry it. Shared by tracers, meters and loggers.
// Thread-safety: immutable once the tracer, meter or logger that owns it exists.
#pragma once

#include <string>

#include "llmtrace/common/attribute_set.h"

namespace llmtrace {

struct InstrumentationScope {
  std::string name;
  std::string version;
  std::string schema_url;
  AttributeSet attributes;
};

}  // namespace llmtrace
