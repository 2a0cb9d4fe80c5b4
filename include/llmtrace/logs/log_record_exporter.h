// LogRecordExporter: sends emitted log records somewhere (OTLP/HTTP, JSON lines, memory).
//
// Called by one log record processor, never concurrently: Export receives a batch and a
// deadline by which it must return, retrying inside that deadline if it can. Exporters read the
// records and must not keep references to them after Export returns (records are recycled).
// Thread-safety: Export and ForceFlush are called from the processor's thread; Shutdown may come
// from any thread, once; implementations guard their own state.
#pragma once

#include <chrono>
#include <span>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/export_result.h"
#include "llmtrace/common/status.h"
#include "llmtrace/logs/log_record_data.h"

namespace llmtrace::logs {

class LogRecordExporter {
 public:
  virtual ~LogRecordExporter() = default;
  virtual ExportResult Export(std::span<const LogRecordDataPtr> batch,
                              MonotonicTime deadline) noexcept = 0;
  virtual Status ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept { return Status::Ok(); }
  // After Shutdown, Export fails fast. Interrupts an in-flight retry wait.
  virtual Status Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace llmtrace::logs
