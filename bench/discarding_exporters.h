// Exporters that accept every batch and throw it away, so benchmarks measure the application's
// side of a pipeline (recording and the hand-off to the export thread) and nothing else.
#pragma once

#include <benchmark/benchmark.h>

#include "llmtrace/logs/log_record_exporter.h"
#include "llmtrace/trace/span_exporter.h"

namespace llmtrace::bench {

class DiscardingSpanExporter final : public trace::SpanExporter {
 public:
  ExportResult Export(std::span<const trace::SpanDataPtr> batch, MonotonicTime) noexcept override {
    benchmark::DoNotOptimize(batch.data());
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
};

class DiscardingLogExporter final : public logs::LogRecordExporter {
 public:
  ExportResult Export(std::span<const logs::LogRecordDataPtr> batch,
                      MonotonicTime) noexcept override {
    benchmark::DoNotOptimize(batch.data());
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
};

}  // namespace llmtrace::bench
