// SpanExporter: sends finished spans somewhere (OTLP/HTTP, console, memory, files).
//
// Called by one span processor, never concurrently: Export receives a batch and a deadline by
// which it must return, retrying inside that deadline if it can. Exporters read the spans and
// must not keep references to them after Export returns (SpanData is recycled).
// Thread-safety: Export, ForceFlush and Shutdown are called from the processor's thread, except
// Shutdown, which may come from any thread once; implementations guard their own state.
#pragma once

#include <chrono>
#include <span>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/export_result.h"
#include "llmtrace/common/status.h"
#include "llmtrace/trace/span_data.h"

namespace llmtrace::trace {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual ExportResult Export(std::span<const SpanDataPtr> batch,
                              MonotonicTime deadline) noexcept = 0;
  virtual Status ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept { return Status::Ok(); }
  // After Shutdown, Export fails fast. Interrupts an in-flight retry wait.
  virtual Status Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace llmtrace::trace
