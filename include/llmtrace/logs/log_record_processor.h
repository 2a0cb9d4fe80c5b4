// LogRecordProcessor: the hook between Logger::Emit and export (the OpenTelemetry pipeline
// shape, as SpanProcessor is for spans).
//
// OnEmit receives ownership of each emitted record on the application's thread, on the hot
// path: it is noexcept, never blocks for long and never fails (it drops and counts instead).
// Implementations: SimpleLogRecordProcessor (export inline, for tests and debugging) and
// BatchLogRecordProcessor (the production default).
// Thread-safety: OnEmit may be called from any number of threads at once.
#pragma once

#include <chrono>

#include "llmtrace/common/status.h"
#include "llmtrace/logs/log_record_data.h"

namespace llmtrace::logs {

class LogRecordProcessor {
 public:
  virtual ~LogRecordProcessor() = default;
  virtual void OnEmit(LogRecordDataPtr record) noexcept = 0;
  // Exports everything received so far; kDeadlineExceeded if `timeout` passes first.
  virtual Status ForceFlush(std::chrono::milliseconds timeout) noexcept = 0;
  // Flushes, then stops; later records are dropped (and counted).
  virtual Status Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace llmtrace::logs
