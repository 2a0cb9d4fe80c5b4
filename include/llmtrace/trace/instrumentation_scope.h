// InstrumentationScope: the library that produced a span ("llmtrace.genai", "my-rag-app"),
// with its version, schema URL and attributes, as OTLP's ScopeSpans carries it.
// Thread-safety: immutable once its Tracer exists.
#pragma once

#include <string>

#include "llmtrace/common/attribute_set.h"

namespace llmtrace::trace {

struct InstrumentationScope {
  std::string name;
  std::string version;
  std::string schema_url;
  AttributeSet attributes;
};

}  // namespace llmtrace::trace
