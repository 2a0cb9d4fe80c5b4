#include "llmtrace/sdk/self_metrics.h"

#include <algorithm>
#include <cstdint>

namespace llmtrace::sdk {

namespace {

constexpr std::string_view kComponentType = "otel.component.type";
constexpr std::string_view kComponentName = "otel.component.name";
constexpr std::string_view kErrorType = "error.type";
constexpr std::string_view kBatchingSpanProcessor = "batching_span_processor";
constexpr std::string_view kOtlpHttpSpanExporter = "otlp_http_span_exporter";

std::int64_t Signed(std::uint64_t value) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(value, INT64_MAX));
}

}  // namespace

SelfMetrics::SelfMetrics(std::shared_ptr<metrics::Meter> meter) : meter_(std::move(meter)) {}

SelfMetrics::~SelfMetrics() {
  for (metrics::ObservableInstrument& instrument : instruments_) instrument.Unregister();
}

void SelfMetrics::WatchSpanProcessor(const trace::BatchSpanProcessor& processor, std::string name) {
  std::lock_guard lock(mutex_);
  if (name.empty()) {
    name = std::string(kBatchingSpanProcessor) + "/" + std::to_string(span_processors_.size());
  }
  bool first = span_processors_.empty();
  span_processors_.push_back({std::move(name), processor.StatsReader()});
  if (first) RegisterSpanProcessorInstruments();
}

void SelfMetrics::WatchSpanExporter(const otlp::OtlpHttpSpanExporter& exporter, std::string name) {
  std::lock_guard lock(mutex_);
  if (name.empty()) {
    name = std::string(kOtlpHttpSpanExporter) + "/" + std::to_string(exporters_.size());
  }
  bool first = exporters_.empty();
  exporters_.push_back(
      {std::string(kOtlpHttpSpanExporter), std::move(name), exporter.StatsReader()});
  if (first) RegisterExporterInstruments();
}

// The callbacks copy the sources under the lock and read stats outside it.
void SelfMetrics::RegisterSpanProcessorInstruments() {
  auto sources = [this] {
    std::lock_guard lock(mutex_);
    return span_processors_;
  };
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "otel.sdk.processor.span.processed",
      [sources](metrics::ObserverResult<std::int64_t>& result) {
        for (const SpanProcessorSource& source : sources()) {
          trace::BatchSpanProcessorStats s = source.read();
          result.Observe(Signed(s.spans_exported + s.spans_export_failed),
                         {{kComponentType, kBatchingSpanProcessor}, {kComponentName, source.name}});
          result.Observe(Signed(s.spans_dropped_queue_full),
                         {{kComponentType, kBatchingSpanProcessor},
                          {kComponentName, source.name},
                          {kErrorType, "queue_full"}});
          result.Observe(Signed(s.spans_dropped_shutdown),
                         {{kComponentType, kBatchingSpanProcessor},
                          {kComponentName, source.name},
                          {kErrorType, "already_shutdown"}});
        }
      },
      {.description = "The number of spans for which the processing has finished, either "
                      "successful or failed.",
       .unit = "{span}"}));
  instruments_.push_back(meter_->CreateInt64ObservableUpDownCounter(
      "otel.sdk.processor.span.queue.size",
      [sources](metrics::ObserverResult<std::int64_t>& result) {
        for (const SpanProcessorSource& source : sources()) {
          result.Observe(Signed(source.read().queue_size),
                         {{kComponentType, kBatchingSpanProcessor}, {kComponentName, source.name}});
        }
      },
      {.description = "The number of spans in the queue of a span processor.", .unit = "{span}"}));
  instruments_.push_back(meter_->CreateInt64ObservableUpDownCounter(
      "otel.sdk.processor.span.queue.capacity",
      [sources](metrics::ObserverResult<std::int64_t>& result) {
        for (const SpanProcessorSource& source : sources()) {
          result.Observe(Signed(source.read().queue_capacity),
                         {{kComponentType, kBatchingSpanProcessor}, {kComponentName, source.name}});
        }
      },
      {.description = "The maximum number of spans the queue of a span processor can hold.",
       .unit = "{span}"}));
}

void SelfMetrics::RegisterExporterInstruments() {
  auto sources = [this] {
    std::lock_guard lock(mutex_);
    return exporters_;
  };
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "otel.sdk.exporter.span.exported",
      [sources](metrics::ObserverResult<std::int64_t>& result) {
        for (const ExporterSource& source : sources()) {
          otlp::OtlpExporterStats s = source.read();
          result.Observe(Signed(s.items_exported),
                         {{kComponentType, source.type}, {kComponentName, source.name}});
          result.Observe(Signed(s.items_rejected), {{kComponentType, source.type},
                                                    {kComponentName, source.name},
                                                    {kErrorType, "rejected"}});
          result.Observe(Signed(s.items_failed), {{kComponentType, source.type},
                                                  {kComponentName, source.name},
                                                  {kErrorType, "export_failed"}});
        }
      },
      {.description = "The number of spans for which the export has finished, either "
                      "successful or failed.",
       .unit = "{span}"}));
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "llmtrace.otlp.exporter.requests",
      [sources](metrics::ObserverResult<std::int64_t>& result) {
        for (const ExporterSource& source : sources()) {
          result.Observe(Signed(source.read().requests),
                         {{kComponentType, source.type}, {kComponentName, source.name}});
        }
      },
      {.description = "HTTP requests sent by an OTLP exporter, retries included.",
       .unit = "{request}"}));
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "llmtrace.otlp.exporter.retries",
      [sources](metrics::ObserverResult<std::int64_t>& result) {
        for (const ExporterSource& source : sources()) {
          result.Observe(Signed(source.read().retries),
                         {{kComponentType, source.type}, {kComponentName, source.name}});
        }
      },
      {.description = "HTTP requests an OTLP exporter sent again after a retryable failure.",
       .unit = "{request}"}));
}

}  // namespace llmtrace::sdk
