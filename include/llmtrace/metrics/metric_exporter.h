// MetricExporter: sends a metrics snapshot somewhere (OTLP/HTTP, console, memory), driven by a
// PeriodicExportingMetricReader.
//
// Export receives one snapshot and a deadline by which it must return, retrying within it if it
// can. Calls are never concurrent. PreferredTemporality is what the reader collects with.
// Thread-safety: Export and ForceFlush come from the reader's thread; Shutdown once, from any
// thread.
#pragma once

#include <chrono>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/export_result.h"
#include "llmtrace/common/status.h"
#include "llmtrace/metrics/metric_data.h"
#include "llmtrace/metrics/metric_reader.h"

namespace llmtrace::metrics {

class MetricExporter {
 public:
  virtual ~MetricExporter() = default;
  virtual ExportResult Export(const ResourceMetrics& metrics, MonotonicTime deadline) noexcept = 0;
  virtual TemporalitySelector PreferredTemporality() const noexcept {
    return &CumulativeTemporality;
  }
  virtual Status ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept { return Status::Ok(); }
  virtual Status Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace llmtrace::metrics
