// SelfMetrics: llmtrace's own pipeline health as metrics, so a dropping queue or a failing
// collector shows on /metrics and in OTLP next to the application's metrics.
//
// Names follow the OpenTelemetry semantic conventions for SDK metrics (otel.sdk.*, status
// Development), with otel.component.type and otel.component.name on every point:
//   otel.sdk.processor.span.processed  {span}  counter; error.type=queue_full|already_shutdown
//                                              marks dropped spans, no error.type = handed on
//   otel.sdk.processor.span.queue.size / .queue.capacity   {span}  up-down counters
//   otel.sdk.exporter.span.exported    {span}  counter; error.type=rejected (partial success)
//                                              or export_failed (lost after retries)
//   llmtrace.otlp.exporter.requests / .retries  {request}  counters (ours: HTTP attempts)
// The values are read from the components' stats at collection time through StatsReader(), which
// stays safe after a component is destroyed (it then reads zeros).
// The sdk layer is where wiring that spans layers lives (trace, logs, metrics, otlp).
// Thread-safety: Watch* may be called from any thread; collection runs the callbacks.
//
//   SelfMetrics self(meter_provider->GetMeter("llmtrace.sdk"));
//   self.WatchSpanProcessor(*batch_processor);
//   self.WatchSpanExporter(*otlp_exporter);
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llmtrace/metrics/meter.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/trace/batch_span_processor.h"

namespace llmtrace::sdk {

class SelfMetrics {
 public:
  explicit SelfMetrics(std::shared_ptr<metrics::Meter> meter);
  ~SelfMetrics();  // unregisters the callbacks
  SelfMetrics(const SelfMetrics&) = delete;
  SelfMetrics& operator=(const SelfMetrics&) = delete;

  // `name` becomes otel.component.name; empty: "<type>/<n>" numbered per type.
  void WatchSpanProcessor(const trace::BatchSpanProcessor& processor, std::string name = {});
  void WatchSpanExporter(const otlp::OtlpHttpSpanExporter& exporter, std::string name = {});

 private:
  struct SpanProcessorSource {
    std::string name;
    std::function<trace::BatchSpanProcessorStats()> read;
  };
  struct ExporterSource {
    std::string type;  // otel.component.type
    std::string name;
    std::function<otlp::OtlpExporterStats()> read;
  };

  void RegisterSpanProcessorInstruments();  // once, on the first watched processor
  void RegisterExporterInstruments();       // once, on the first watched exporter

  std::shared_ptr<metrics::Meter> meter_;
  std::mutex mutex_;
  std::vector<SpanProcessorSource> span_processors_;  // guarded by mutex_
  std::vector<ExporterSource> exporters_;             // guarded by mutex_
  std::vector<metrics::ObservableInstrument> instruments_;
};

}  // namespace llmtrace::sdk
