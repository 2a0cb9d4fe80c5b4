// SpanProcessor: the hook between span lifecycle and export (the OpenTelemetry pipeline shape).
//
// OnStart runs when a recording span starts; OnEnd receives ownership of the finished span.
// Both run on the application's thread, on the hot path: they are noexcept, never block for long
// and never fail (they drop and count instead).
// Implementations: SimpleSpanProcessor (export inline, for tests and debugging) and
// BatchSpanProcessor (the production default).
// Thread-safety: OnStart/OnEnd may be called from any number of threads at once.
#pragma once

#include <chrono>

#include "llmtrace/common/status.h"
#include "llmtrace/trace/context.h"
#include "llmtrace/trace/span_data.h"

namespace llmtrace::trace {

class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  virtual void OnStart(SpanData& /*span*/, const Context& /*parent*/) noexcept {}
  virtual void OnEnd(SpanDataPtr span) noexcept = 0;
  // Exports everything received so far; kDeadlineExceeded if `timeout` passes first.
  virtual Status ForceFlush(std::chrono::milliseconds timeout) noexcept = 0;
  // Flushes, then stops; later spans are dropped (and counted).
  virtual Status Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace llmtrace::trace
