#include "llmtrace/sdk/self_metrics.h"

#include <algorithm>
#include <string_view>

namespace llmtrace::sdk {

namespace {

constexpr std::string_view kComponentType = "otel.component.type";
constexpr std::string_view kComponentName = "otel.component.name";
constexpr std::string_view kErrorType = "error.type";

// The names of one signal's processor metrics (semantic conventions for SDK metrics).
struct ProcessorNames {
  std::string_view component_type;
  std::string_view processed;
  std::string_view queue_size;
  std::string_view queue_capacity;
  std::string_view unit;
  std::string_view items;  // for descriptions
};
constexpr ProcessorNames kProcessorNames[] = {
    {"batching_span_processor", "otel.sdk.processor.span.processed",
     "otel.sdk.processor.span.queue.size", "otel.sdk.processor.span.queue.capacity", "{span}",
     "spans"},
    {"batching_log_processor", "otel.sdk.processor.log.processed",
     "otel.sdk.processor.log.queue.size", "otel.sdk.processor.log.queue.capacity", "{log_record}",
     "log records"},
};

struct ExporterNames {
  std::string_view component_type;
  std::string_view exported;
  std::string_view unit;
  std::string_view items;
};
constexpr ExporterNames kExporterNames[] = {
    {"otlp_http_span_exporter", "otel.sdk.exporter.span.exported", "{span}", "spans"},
    {"otlp_http_log_exporter", "otel.sdk.exporter.log.exported", "{log_record}", "log records"},
    {"otlp_http_metric_exporter", "otel.sdk.exporter.metric_data_point.exported", "{data_point}",
     "metric data points"},
};

std::int64_t Signed(std::uint64_t value) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(value, INT64_MAX));
}

}  // namespace

SelfMetrics::SelfMetrics(std::shared_ptr<metrics::Meter> meter) : meter_(std::move(meter)) {}

SelfMetrics::~SelfMetrics() {
  for (metrics::ObservableInstrument& instrument : instruments_) instrument.Unregister();
}

void SelfMetrics::WatchSpanProcessor(const trace::BatchSpanProcessor& processor, std::string name) {
  AddProcessor(kSpanProcessors, std::move(name), [read = processor.StatsReader()] {
    trace::BatchSpanProcessorStats s = read();
    return ProcessorCounts{.handed_on = s.spans_exported + s.spans_export_failed,
                           .dropped_queue_full = s.spans_dropped_queue_full,
                           .dropped_shutdown = s.spans_dropped_shutdown,
                           .queue_size = s.queue_size,
                           .queue_capacity = s.queue_capacity};
  });
}

void SelfMetrics::WatchLogProcessor(const logs::BatchLogRecordProcessor& processor,
                                    std::string name) {
  AddProcessor(kLogProcessors, std::move(name), [read = processor.StatsReader()] {
    logs::BatchLogRecordProcessorStats s = read();
    return ProcessorCounts{.handed_on = s.records_exported + s.records_export_failed,
                           .dropped_queue_full = s.records_dropped_queue_full,
                           .dropped_shutdown = s.records_dropped_shutdown,
                           .queue_size = s.queue_size,
                           .queue_capacity = s.queue_capacity};
  });
}

void SelfMetrics::WatchSpanExporter(const otlp::OtlpHttpSpanExporter& exporter, std::string name) {
  AddExporter(kSpanExporters, std::move(name), exporter.StatsReader());
}

void SelfMetrics::WatchLogExporter(const otlp::OtlpHttpLogExporter& exporter, std::string name) {
  AddExporter(kLogExporters, std::move(name), exporter.StatsReader());
}

void SelfMetrics::WatchMetricExporter(const otlp::OtlpHttpMetricExporter& exporter,
                                      std::string name) {
  AddExporter(kMetricExporters, std::move(name), exporter.StatsReader());
}

void SelfMetrics::AddProcessor(ProcessorSignal signal, std::string name,
                               std::function<ProcessorCounts()> read) {
  std::lock_guard lock(mutex_);
  std::vector<ProcessorSource>& sources = processors_[signal];
  if (name.empty()) {
    name =
        std::string(kProcessorNames[signal].component_type) + "/" + std::to_string(sources.size());
  }
  bool first = sources.empty();
  sources.push_back({std::move(name), std::move(read)});
  if (first) RegisterProcessorInstruments(signal);
}

void SelfMetrics::AddExporter(ExporterSignal signal, std::string name,
                              std::function<otlp::OtlpExporterStats()> read) {
  std::lock_guard lock(mutex_);
  std::vector<ExporterSource>& sources = exporters_[signal];
  if (name.empty()) {
    name =
        std::string(kExporterNames[signal].component_type) + "/" + std::to_string(sources.size());
  }
  bool first = sources.empty();
  sources.push_back({std::move(name), std::move(read)});
  if (first) RegisterExporterInstruments(signal);
  if (!request_instruments_registered_) {
    request_instruments_registered_ = true;
    RegisterRequestInstruments();
  }
}

// The callbacks copy the sources under the lock and read stats outside it.
void SelfMetrics::RegisterProcessorInstruments(ProcessorSignal signal) {
  const ProcessorNames& names = kProcessorNames[signal];
  auto sources = [this, signal] {
    std::lock_guard lock(mutex_);
    return processors_[signal];
  };
  const std::string_view type = names.component_type;
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      names.processed,
      [sources, type](metrics::ObserverResult<std::int64_t>& result) {
        for (const ProcessorSource& source : sources()) {
          ProcessorCounts c = source.read();
          result.Observe(Signed(c.handed_on),
                         {{kComponentType, type}, {kComponentName, source.name}});
          result.Observe(
              Signed(c.dropped_queue_full),
              {{kComponentType, type}, {kComponentName, source.name}, {kErrorType, "queue_full"}});
          result.Observe(Signed(c.dropped_shutdown), {{kComponentType, type},
                                                      {kComponentName, source.name},
                                                      {kErrorType, "already_shutdown"}});
        }
      },
      {.description = "The number of " + std::string(names.items) +
                      " for which the processing has finished, either successful or failed.",
       .unit = std::string(names.unit)}));
  instruments_.push_back(meter_->CreateInt64ObservableUpDownCounter(
      names.queue_size,
      [sources, type](metrics::ObserverResult<std::int64_t>& result) {
        for (const ProcessorSource& source : sources()) {
          result.Observe(Signed(source.read().queue_size),
                         {{kComponentType, type}, {kComponentName, source.name}});
        }
      },
      {.description = "The number of " + std::string(names.items) + " in the queue of a processor.",
       .unit = std::string(names.unit)}));
  instruments_.push_back(meter_->CreateInt64ObservableUpDownCounter(
      names.queue_capacity,
      [sources, type](metrics::ObserverResult<std::int64_t>& result) {
        for (const ProcessorSource& source : sources()) {
          result.Observe(Signed(source.read().queue_capacity),
                         {{kComponentType, type}, {kComponentName, source.name}});
        }
      },
      {.description = "The maximum number of " + std::string(names.items) +
                      " the queue of a processor can hold.",
       .unit = std::string(names.unit)}));
}

void SelfMetrics::RegisterExporterInstruments(ExporterSignal signal) {
  const ExporterNames& names = kExporterNames[signal];
  auto sources = [this, signal] {
    std::lock_guard lock(mutex_);
    return exporters_[signal];
  };
  const std::string_view type = names.component_type;
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      names.exported,
      [sources, type](metrics::ObserverResult<std::int64_t>& result) {
        for (const ExporterSource& source : sources()) {
          otlp::OtlpExporterStats s = source.read();
          result.Observe(Signed(s.items_exported),
                         {{kComponentType, type}, {kComponentName, source.name}});
          result.Observe(
              Signed(s.items_rejected),
              {{kComponentType, type}, {kComponentName, source.name}, {kErrorType, "rejected"}});
          result.Observe(Signed(s.items_failed), {{kComponentType, type},
                                                  {kComponentName, source.name},
                                                  {kErrorType, "export_failed"}});
        }
      },
      {.description = "The number of " + std::string(names.items) +
                      " for which the export has finished, either successful or failed.",
       .unit = std::string(names.unit)}));
}

void SelfMetrics::RegisterRequestInstruments() {
  // Every exporter of every signal, with its component type.
  auto each = [this](auto&& visit) {
    decltype(exporters_) snapshot;
    {
      std::lock_guard lock(mutex_);
      snapshot = exporters_;
    }
    for (std::size_t signal = 0; signal < kExporterSignals; ++signal) {
      for (const ExporterSource& source : snapshot[signal]) {
        visit(kExporterNames[signal].component_type, source);
      }
    }
  };
  auto observe = [each](std::uint64_t otlp::OtlpExporterStats::*field) {
    return [each, field](metrics::ObserverResult<std::int64_t>& result) {
      each([&](std::string_view type, const ExporterSource& source) {
        result.Observe(Signed(source.read().*field),
                       {{kComponentType, type}, {kComponentName, source.name}});
      });
    };
  };
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "llmtrace.otlp.exporter.requests", observe(&otlp::OtlpExporterStats::requests),
      {.description = "HTTP requests sent by an OTLP exporter, retries included.",
       .unit = "{request}"}));
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "llmtrace.otlp.exporter.retries", observe(&otlp::OtlpExporterStats::retries),
      {.description = "HTTP requests an OTLP exporter sent again after a retryable failure.",
       .unit = "{request}"}));
  instruments_.push_back(meter_->CreateInt64ObservableCounter(
      "llmtrace.otlp.exporter.failed_exports", observe(&otlp::OtlpExporterStats::failed_exports),
      {.description = "Exports (batches or metric snapshots) an OTLP exporter could not deliver.",
       .unit = "{export}"}));
}

}  // namespace llmtrace::sdk
