// JsonLinesSpanExporter: writes each exported batch as one line of OTLP/JSON (an
// ExportTraceServiceRequest), the format the OpenTelemetry Collector's `file` exporter writes
// and its `otlpjsonfile` receiver reads.
//
// For local debugging, offline capture and tests: `tail -f` the file, replay it into a Collector,
// or load it with `jq`. The stream is flushed after every batch so a crash loses at most the
// batch being written. Empty batches write nothing. Files are opened in append mode, so several
// runs accumulate in one file.
// Thread-safety: Export, ForceFlush and Shutdown may be called from any thread; writes are
// serialized, and a line is never interleaved with another.
//
//   auto exporter = otlp::JsonLinesSpanExporter::OpenFile("/tmp/spans.jsonl");
//   if (!exporter.ok()) return exporter.status();
//   auto processor = trace::BatchSpanProcessor::Create(std::move(*exporter));
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>

#include "llmtrace/common/result.h"
#include "llmtrace/trace/span_exporter.h"

namespace llmtrace::otlp {

class JsonLinesSpanExporter final : public trace::SpanExporter {
 public:
  // Writes to `out`, which must outlive the exporter.
  explicit JsonLinesSpanExporter(std::ostream& out) noexcept;
  // Opens (creating if needed) `path` for appending. The error names the path and the reason.
  static Result<std::unique_ptr<JsonLinesSpanExporter>> OpenFile(const std::filesystem::path& path);
  ~JsonLinesSpanExporter() override;

  // kFailure after Shutdown, when the stream is in a failed state, or on a write error.
  ExportResult Export(std::span<const trace::SpanDataPtr> batch,
                      MonotonicTime deadline) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  // Flushes; an owned file is closed.
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  JsonLinesSpanExporter(std::unique_ptr<std::ostream> file, std::string description) noexcept;

  std::unique_ptr<std::ostream> owned_;  // set when the exporter opened the file
  std::ostream& out_;
  std::string description_;  // "json lines exporter to '/tmp/spans.jsonl'", for errors
  std::mutex mutex_;
  std::string line_;  // reused across batches
  std::atomic<bool> shut_down_{false};
};

}  // namespace llmtrace::otlp
