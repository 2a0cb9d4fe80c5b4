// OtlpHttpLogExporter: sends log record batches to an OpenTelemetry Collector (or any OTLP/HTTP
// receiver) as ExportLogsServiceRequest, protobuf or JSON, optionally gzip-compressed.
//
// The log twin of OtlpHttpSpanExporter, on the same sender: failures never reach the
// application (a batch that cannot be delivered is counted in stats() and reported in the
// internal log at a limited rate); retries follow retry_policy.h (429, 502, 503, 504 and
// transport errors; Retry-After honoured), all within the export deadline the processor gives,
// and Shutdown() cuts a retry wait short. A partial success is not retried: its rejected log
// record count and message are recorded. OTEL_EXPORTER_OTLP_LOGS_* (then OTEL_EXPORTER_OTLP_*)
// configure it through OtlpHttpOptions::FromEnvironment(env, OtlpSignal::kLogs).
// Thread-safety: Export is called by one processor thread; Shutdown and stats() from any thread.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   auto exporter = OtlpHttpLogExporter::Create(
//       OtlpHttpOptions::FromEnvironment(env, OtlpSignal::kLogs));
//   auto processor = logs::BatchLogRecordProcessor::Create(std::move(*exporter));
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "llmtrace/common/result.h"
#include "llmtrace/logs/log_record_exporter.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"  // OtlpExporterStats, OtlpExporterDependencies
#include "llmtrace/otlp/otlp_options.h"

namespace llmtrace::otlp {

class OtlpHttpLogExporter final : public logs::LogRecordExporter {
 public:
  // Fails on an endpoint that is not an http:// or https:// URL, or on a bad retry policy.
  static Result<std::unique_ptr<OtlpHttpLogExporter>> Create(
      OtlpHttpOptions options, OtlpExporterDependencies dependencies = {});
  ~OtlpHttpLogExporter() override;

  ExportResult Export(std::span<const logs::LogRecordDataPtr> batch,
                      MonotonicTime deadline) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  OtlpExporterStats stats() const noexcept;
  // Reads stats() while the exporter lives, zeros after (for self-observability metrics).
  std::function<OtlpExporterStats()> StatsReader() const;
  const OtlpHttpOptions& options() const noexcept;

 private:
  explicit OtlpHttpLogExporter(std::unique_ptr<internal::OtlpHttpSender> sender);
  std::shared_ptr<internal::OtlpHttpSender> sender_;
  std::string body_;  // reused across batches: no allocation once it has grown
};

}  // namespace llmtrace::otlp
