// JsonLinesLogExporter: writes every log record as one flat JSON object on its own line — the
// structured log of the seed's pattern 3, ready for `jq`, Loki or any log shipper.
//
//   {"timestamp":"2026-11-25T02:32:19.123456Z","severity":"INFO","severity_number":9,
//    "body":"LLM call completed","trace_id":"4bf9...","span_id":"00f0...",
//    "attributes":{"gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":1200},
//    "service.name":"rag-api","scope":"llm_calls"}                           (one line)
//
// timestamp: ISO-8601 UTC with microseconds (the observed time when the record has none).
// trace_id / span_id: lower-case hex, left out when the record has no span. attributes: a nested
// object keyed by attribute name (arrays as JSON arrays; NaN and the infinities as strings);
// "dropped_attributes" appears when the limits dropped some. service.name: the resource's.
// Strings are escaped per RFC 8259 and ill-formed UTF-8 becomes U+FFFD, so every line parses.
// Not the OTLP/JSON format: for that, use the OTLP exporter with http/json.
//
// The stream is flushed after every batch, so a crash loses at most the batch being written.
// Files are opened in append mode, so several runs accumulate in one file.
// Thread-safety: Export, ForceFlush and Shutdown may be called from any thread; writes are
// serialized, and a line is never interleaved with another.
//
//   auto exporter = logs::JsonLinesLogExporter::OpenFile("/var/log/app/llm.jsonl");
//   if (!exporter.ok()) return exporter.status();
//   auto processor = logs::BatchLogRecordProcessor::Create(std::move(*exporter));
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>

#include "llmtrace/common/result.h"
#include "llmtrace/logs/log_record_exporter.h"

namespace llmtrace::logs {

class JsonLinesLogExporter final : public LogRecordExporter {
 public:
  // Writes to `out`, which must outlive the exporter.
  explicit JsonLinesLogExporter(std::ostream& out) noexcept;
  // Opens (creating if needed) `path` for appending. The error names the path and the reason.
  static Result<std::unique_ptr<JsonLinesLogExporter>> OpenFile(const std::filesystem::path& path);
  ~JsonLinesLogExporter() override;

  // kFailure after Shutdown, when the stream is in a failed state, or on a write error.
  ExportResult Export(std::span<const LogRecordDataPtr> batch,
                      MonotonicTime deadline) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  // Flushes; an owned file is closed.
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  JsonLinesLogExporter(std::unique_ptr<std::ostream> file, std::string description) noexcept;

  std::unique_ptr<std::ostream> owned_;  // set when the exporter opened the file
  std::ostream& out_;
  std::string description_;  // "json lines log exporter to '/tmp/logs.jsonl'", for errors
  std::mutex mutex_;
  std::string lines_;  // reused across batches
  std::atomic<bool> shut_down_{false};
};

// The line JsonLinesLogExporter writes for `record`, without the newline, appended to `out`.
// Exposed for sinks that frame records themselves.
void AppendJsonLine(const LogRecordData& record, std::string& out);

}  // namespace llmtrace::logs
