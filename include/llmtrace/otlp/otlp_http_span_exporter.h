// OtlpHttpSpanExporter: sends span batches to an OpenTelemetry Collector (or any OTLP/HTTP
// receiver) as ExportTraceServiceRequest, protobuf or JSON, optionally gzip-compressed.
//
// Failures never reach the application: a batch that cannot be delivered is counted in stats()
// and reported in the internal log at a limited rate. Retries follow retry_policy.h (429, 502,
// 503, 504 and transport errors; Retry-After honoured), all within the export deadline the
// processor gives, and Shutdown() cuts a retry wait short. A partial success is not retried: its
// rejected span count and message are recorded. OTEL_EXPORTER_OTLP_* configure it through
// OtlpHttpOptions::FromEnvironment.
// Thread-safety: Export is called by one processor thread; Shutdown and stats() from any thread.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   auto exporter = OtlpHttpSpanExporter::Create(
//       OtlpHttpOptions::FromEnvironment(env, OtlpSignal::kTraces));
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/common/sleeper.h"
#include "llmtrace/http/http_client.h"
#include "llmtrace/otlp/otlp_options.h"
#include "llmtrace/trace/span_exporter.h"

namespace llmtrace::otlp {

struct OtlpExporterStats {
  std::uint64_t requests = 0;        // HTTP attempts, retries included
  std::uint64_t retries = 0;         // attempts after the first
  std::uint64_t items_exported = 0;  // accepted by the receiver (minus rejected)
  std::uint64_t items_rejected = 0;  // reported rejected in a partial success
  std::uint64_t items_failed = 0;    // lost: the batch could not be delivered
  std::uint64_t failed_exports = 0;  // batches lost
};

// Injected dependencies; null members get the production defaults.
struct OtlpExporterDependencies {
  std::shared_ptr<http::HttpClient> http_client;  // default: CurlHttpClient
  const Clock* clock = nullptr;                   // default: SystemClock
  std::shared_ptr<Sleeper> sleeper;               // default: InterruptibleSleeper
  // Uniform [0, 1) draws for backoff jitter; default: the thread's fast generator.
  double (*uniform01)() = nullptr;
};

namespace internal {
class OtlpHttpSender;
}

class OtlpHttpSpanExporter final : public trace::SpanExporter {
 public:
  // Fails on an endpoint that is not an http:// or https:// URL, or on a bad retry policy.
  static Result<std::unique_ptr<OtlpHttpSpanExporter>> Create(
      OtlpHttpOptions options, OtlpExporterDependencies dependencies = {});
  ~OtlpHttpSpanExporter() override;

  ExportResult Export(std::span<const trace::SpanDataPtr> batch,
                      MonotonicTime deadline) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  OtlpExporterStats stats() const noexcept;
  // Reads stats() while the exporter lives, zeros after (for self-observability metrics).
  std::function<OtlpExporterStats()> StatsReader() const;
  const OtlpHttpOptions& options() const noexcept;

 private:
  explicit OtlpHttpSpanExporter(std::shared_ptr<internal::OtlpHttpSender> sender);
  std::shared_ptr<internal::OtlpHttpSender> sender_;
  std::string body_;  // reused across batches: no allocation once it has grown
};

}  // namespace llmtrace::otlp
