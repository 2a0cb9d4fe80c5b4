// SelfMetrics: llmtrace's own pipeline health as metrics, so a dropping queue or a failing
// collector shows on /metrics and in OTLP next to the application's metrics.
//
// Names follow the OpenTelemetry semantic conventions for SDK metrics (otel.sdk.*, status
// Development), with otel.component.type and otel.component.name on every point. For the span
// pipeline (unit {span}) and the log pipeline (unit {log_record}):
//   otel.sdk.processor.<span|log>.processed  counter; error.type=queue_full|already_shutdown
//                                            marks dropped items, no error.type = handed on
//   otel.sdk.processor.<span|log>.queue.size / .queue.capacity   up-down counters
//   otel.sdk.exporter.<span|log>.exported    counter; error.type=rejected (partial success)
//                                            or export_failed (lost after retries)
// For the metric pipeline: otel.sdk.exporter.metric_data_point.exported {data_point}, the same
// error.type values. For every OTLP exporter (ours, per HTTP attempt or export call):
//   llmtrace.otlp.exporter.requests / .retries {request}, .failed_exports {export}
// The values are read from the components' stats at collection time through StatsReader(), which
// stays safe after a component is destroyed (it then reads zeros).
// The sdk layer is where wiring that spans layers lives (trace, logs, metrics, otlp).
// Thread-safety: Watch* may be called from any thread; collection runs the callbacks.
//
//   SelfMetrics self(meter_provider->GetMeter("llmtrace.sdk"));
//   self.WatchSpanProcessor(*batch_processor);
//   self.WatchLogExporter(*otlp_log_exporter);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llmtrace/logs/batch_log_record_processor.h"
#include "llmtrace/metrics/meter.h"
#include "llmtrace/otlp/otlp_http_log_exporter.h"
#include "llmtrace/otlp/otlp_http_metric_exporter.h"
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
  void WatchLogProcessor(const logs::BatchLogRecordProcessor& processor, std::string name = {});
  void WatchSpanExporter(const otlp::OtlpHttpSpanExporter& exporter, std::string name = {});
  void WatchLogExporter(const otlp::OtlpHttpLogExporter& exporter, std::string name = {});
  void WatchMetricExporter(const otlp::OtlpHttpMetricExporter& exporter, std::string name = {});

 private:
  // What the processor metrics need, whichever signal the processor batches.
  struct ProcessorCounts {
    std::uint64_t handed_on = 0;  // exported or given up by the exporter
    std::uint64_t dropped_queue_full = 0;
    std::uint64_t dropped_shutdown = 0;
    std::size_t queue_size = 0;
    std::size_t queue_capacity = 0;
  };
  struct ProcessorSource {
    std::string name;
    std::function<ProcessorCounts()> read;
  };
  struct ExporterSource {
    std::string name;
    std::function<otlp::OtlpExporterStats()> read;
  };
  enum ProcessorSignal : std::size_t { kSpanProcessors, kLogProcessors, kProcessorSignals };
  enum ExporterSignal : std::size_t {
    kSpanExporters,
    kLogExporters,
    kMetricExporters,
    kExporterSignals
  };

  void AddProcessor(ProcessorSignal signal, std::string name,
                    std::function<ProcessorCounts()> read);
  void AddExporter(ExporterSignal signal, std::string name,
                   std::function<otlp::OtlpExporterStats()> read);
  // Called with mutex_ held, once per signal on its first watched component.
  void RegisterProcessorInstruments(ProcessorSignal signal);
  void RegisterExporterInstruments(ExporterSignal signal);
  void RegisterRequestInstruments();  // once, on the first exporter of any signal

  std::shared_ptr<metrics::Meter> meter_;
  std::mutex mutex_;
  // Guarded by mutex_; the callbacks copy them under the lock and read stats outside it.
  std::array<std::vector<ProcessorSource>, kProcessorSignals> processors_;
  std::array<std::vector<ExporterSource>, kExporterSignals> exporters_;
  bool request_instruments_registered_ = false;             // guarded by mutex_
  std::vector<metrics::ObservableInstrument> instruments_;  // guarded by mutex_
};

}  // namespace llmtrace::sdk
