#include "llmtrace/sdk/self_metrics.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::sdk {
namespace {

// Blocks every export until released, so the queue fills and drops.
class StuckExporter final : public trace::SpanExporter {
 public:
  ExportResult Export(std::span<const trace::SpanDataPtr>,
                      MonotonicTime deadline) noexcept override {
    std::unique_lock lock(mutex_);
    released_.wait_until(lock, deadline, [this] { return released; });
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override {
    Release();
    return Status::Ok();
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released = true;
    released_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool released = false;
};

// The value of the point of `metric` whose attributes include all of `match`.
std::optional<std::int64_t> PointValue(const metrics::ResourceMetrics& snapshot,
                                       std::string_view metric,
                                       std::initializer_list<KeyValue> match) {
  for (const metrics::ScopeMetrics& scope : snapshot.scopes) {
    for (const metrics::MetricData& data : scope.metrics) {
      if (data.descriptor.name != metric) continue;
      const std::vector<metrics::NumberPoint>* points = nullptr;
      if (auto* sum = std::get_if<metrics::SumData>(&data.data)) points = &sum->points;
      if (points == nullptr) return std::nullopt;
      for (const metrics::NumberPoint& point : *points) {
        bool all = true;
        for (const KeyValue& kv : match) {
          const AttributeValue* v = point.attributes.Find(kv.key);
          if (v == nullptr || !(*v == kv.value)) all = false;
        }
        // Exact series: the point has no attribute beyond `match`.
        if (all && point.attributes.size() == match.size()) {
          return std::get<std::int64_t>(point.value);
        }
      }
    }
  }
  return std::nullopt;
}

TEST(SelfMetricsTest, ReportsProcessedDroppedAndQueueOfABatchSpanProcessor) {
  MapEnvironment env;
  auto reader = std::make_shared<metrics::MetricReader>();
  metrics::MeterProviderOptions meter_options;
  meter_options.environment = &env;
  meter_options.readers.push_back(reader);
  auto meters = *metrics::MeterProvider::Create(std::move(meter_options));

  auto exporter = std::make_unique<StuckExporter>();
  StuckExporter* stuck = exporter.get();
  auto processor = *trace::BatchSpanProcessor::Create(
      std::move(exporter),
      {.max_queue_size = 4, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 4});
  trace::BatchSpanProcessor* bsp = processor.get();
  SelfMetrics self(meters->GetMeter("llmtrace.sdk"));
  self.WatchSpanProcessor(*bsp, "spans");

  trace::TracerProviderOptions trace_options;
  trace_options.environment = &env;
  trace_options.processors.push_back(std::move(processor));
  auto tracers = *trace::TracerProvider::Create(std::move(trace_options));
  auto tracer = tracers->GetTracer("t");
  for (int i = 0; i < 4; ++i) tracer->StartSpan("s").End();  // one batch: the export blocks
  for (int i = 0; i < 200 && bsp->stats().queue_size > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // bounded wait for the pick-up
  }
  for (int i = 0; i < 10; ++i) tracer->StartSpan("s").End();  // 4 queue, 6 dropped

  metrics::ResourceMetrics snapshot = reader->Collect();
  KeyValue type{"otel.component.type", "batching_span_processor"};
  KeyValue name{"otel.component.name", "spans"};
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.processed",
                       {type, name, {"error.type", "queue_full"}}),
            6);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.queue.size", {type, name}), 4);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.queue.capacity", {type, name}), 4);

  stuck->Release();
  ASSERT_TRUE(tracers->ForceFlush(std::chrono::seconds(10)).ok());
  snapshot = reader->Collect();
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.processed", {type, name}), 8);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.queue.size", {type, name}), 0);
}

TEST(SelfMetricsTest, ComponentsGoneReadAsZeroInsteadOfCrashing) {
  MapEnvironment env;
  auto reader = std::make_shared<metrics::MetricReader>();
  metrics::MeterProviderOptions meter_options;
  meter_options.environment = &env;
  meter_options.readers.push_back(reader);
  auto meters = *metrics::MeterProvider::Create(std::move(meter_options));
  SelfMetrics self(meters->GetMeter("llmtrace.sdk"));
  {
    auto processor = *trace::BatchSpanProcessor::Create(std::make_unique<StuckExporter>(), {});
    self.WatchSpanProcessor(*processor);
    auto exporter = *otlp::OtlpHttpSpanExporter::Create({});
    self.WatchSpanExporter(*exporter);
  }
  metrics::ResourceMetrics snapshot = reader->Collect();
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.queue.capacity",
                       {{"otel.component.type", "batching_span_processor"},
                        {"otel.component.name", "batching_span_processor/0"}}),
            0);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.requests",
                       {{"otel.component.type", "otlp_http_span_exporter"},
                        {"otel.component.name", "otlp_http_span_exporter/0"}}),
            0);
}

}  // namespace
}  // namespace llmtrace::sdk
