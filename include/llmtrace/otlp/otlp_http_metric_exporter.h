// OtlpHttpMetricExporter: sends metrics snapshots to an OpenTelemetry Collector (or any OTLP/HTTP
// receiver) as ExportMetricsServiceRequest, protobuf or JSON, optionally gzip-compressed.
//
// Driven by a PeriodicExportingMetricReader. It shares OtlpHttpSender with the span exporter:
// the same retries within the export deadline (429, 502, 503, 504 and transport errors,
// Retry-After honoured), partial-success accounting (rejected data points) and stats(), with
// items counted as data points. OTEL_EXPORTER_OTLP_METRICS_* (or the generic variables)
// configure it; OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE (cumulative, the default;
// delta; lowmemory) chooses the temporality the reader collects with.
// Thread-safety: Export is called by one reader thread; Shutdown and stats() from any thread.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   auto exporter =
//   OtlpHttpMetricExporter::Create(OtlpHttpMetricExporterOptions::FromEnvironment(env));
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/metrics/metric_exporter.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"  // OtlpExporterStats, OtlpExporterDependencies
#include "llmtrace/otlp/otlp_options.h"

namespace llmtrace::otlp {

struct OtlpHttpMetricExporterOptions {
  // OTEL_EXPORTER_OTLP_[METRICS_]{ENDPOINT,PROTOCOL,HEADERS,TIMEOUT,COMPRESSION}.
  OtlpHttpOptions http{.endpoint = "http://localhost:4318/v1/metrics"};
  // OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE.
  metrics::TemporalitySelector temporality = &metrics::CumulativeTemporality;

  // Unknown temporality preferences are reported in `env` and read as cumulative.
  static OtlpHttpMetricExporterOptions FromEnvironment(EnvironmentReader& env);
};

class OtlpHttpMetricExporter final : public metrics::MetricExporter {
 public:
  // Fails on an endpoint that is not an http:// or https:// URL, a bad retry policy or a null
  // temporality selector.
  static Result<std::unique_ptr<OtlpHttpMetricExporter>> Create(
      OtlpHttpMetricExporterOptions options = {}, OtlpExporterDependencies dependencies = {});
  ~OtlpHttpMetricExporter() override;

  ExportResult Export(const metrics::ResourceMetrics& metrics,
                      MonotonicTime deadline) noexcept override;
  metrics::TemporalitySelector PreferredTemporality() const noexcept override {
    return temporality_;
  }
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  OtlpExporterStats stats() const noexcept;
  // Reads stats() while the exporter lives, zeros after (for self-observability metrics).
  std::function<OtlpExporterStats()> StatsReader() const;
  const OtlpHttpOptions& options() const noexcept;

 private:
  OtlpHttpMetricExporter(std::unique_ptr<internal::OtlpHttpSender> sender,
                         metrics::TemporalitySelector temporality);
  std::shared_ptr<internal::OtlpHttpSender> sender_;
  const metrics::TemporalitySelector temporality_;
  std::string body_;  // reused across exports
};

}  // namespace llmtrace::otlp
