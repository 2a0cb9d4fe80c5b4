#include "llmtrace/sdk/self_metrics.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "llmtrace/common/sleeper.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/metrics/prometheus_reader.h"
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

// Blocks every log export until released, and tells when an export has started.
class StuckLogExporter final : public logs::LogRecordExporter {
 public:
  ExportResult Export(std::span<const logs::LogRecordDataPtr>,
                      MonotonicTime deadline) noexcept override {
    std::unique_lock lock(mutex_);
    exporting_ = true;
    changed_.notify_all();
    changed_.wait_until(lock, deadline, [this] { return released_; });
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override {
    Release();
    return Status::Ok();
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  // True once an export holds the first batch (bounded wait, no sleeps).
  bool WaitUntilExporting() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [this] { return exporting_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool exporting_ = false;
  bool released_ = false;
};

// Answers from a script, then 200.
class ScriptedHttpClient final : public http::HttpClient {
 public:
  void Push(http::HttpResponse response, int times = 1) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < times; ++i) script_.push_back(response);
  }
  Result<http::HttpResponse> Send(const http::HttpRequest&) noexcept override {
    std::lock_guard lock(mutex_);
    if (script_.empty()) return http::HttpResponse{.status = 200};
    http::HttpResponse next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

 private:
  std::mutex mutex_;
  std::deque<http::HttpResponse> script_;
};

double HalfJitter() { return 0.5; }

// A meter provider with an in-memory reader and a Prometheus reader.
struct SelfMetricsPipeline {
  MapEnvironment env;
  std::shared_ptr<metrics::MetricReader> reader = std::make_shared<metrics::MetricReader>();
  std::shared_ptr<metrics::PrometheusReader> prometheus =
      std::make_shared<metrics::PrometheusReader>();
  std::shared_ptr<metrics::MeterProvider> meters;

  SelfMetricsPipeline() {
    metrics::MeterProviderOptions options;
    options.environment = &env;
    options.readers.push_back(reader);
    options.readers.push_back(prometheus);
    meters = *metrics::MeterProvider::Create(std::move(options));
  }
  std::shared_ptr<metrics::Meter> Meter() { return meters->GetMeter("llmtrace.sdk"); }
};

// The scrape line of `series` (metric name and labels as rendered), or "" if absent.
std::string ScrapeLine(const std::string& page, std::string_view series) {
  std::size_t at = 0;
  while ((at = page.find(series, at)) != std::string::npos) {
    if (at == 0 || page[at - 1] == '\n') {
      std::size_t end = page.find('\n', at);
      return page.substr(at, end == std::string::npos ? std::string::npos : end - at);
    }
    ++at;
  }
  return "";
}

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
    auto log_processor =
        *logs::BatchLogRecordProcessor::Create(std::make_unique<StuckLogExporter>(), {});
    self.WatchLogProcessor(*log_processor);
    auto log_exporter = *otlp::OtlpHttpLogExporter::Create({});
    self.WatchLogExporter(*log_exporter);
    auto metric_exporter = *otlp::OtlpHttpMetricExporter::Create({});
    self.WatchMetricExporter(*metric_exporter);
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
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.queue.capacity",
                       {{"otel.component.type", "batching_log_processor"},
                        {"otel.component.name", "batching_log_processor/0"}}),
            0);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.log.exported",
                       {{"otel.component.type", "otlp_http_log_exporter"},
                        {"otel.component.name", "otlp_http_log_exporter/0"}}),
            0);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.metric_data_point.exported",
                       {{"otel.component.type", "otlp_http_metric_exporter"},
                        {"otel.component.name", "otlp_http_metric_exporter/0"}}),
            0);
}

TEST(SelfMetricsTest, ReportsProcessedDroppedAndQueueOfABatchLogRecordProcessor) {
  SelfMetricsPipeline pipeline;
  auto exporter = std::make_unique<StuckLogExporter>();
  StuckLogExporter* stuck = exporter.get();
  auto processor = *logs::BatchLogRecordProcessor::Create(
      std::move(exporter),
      {.max_queue_size = 4, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 4});
  logs::BatchLogRecordProcessor* blrp = processor.get();
  SelfMetrics self(pipeline.Meter());
  self.WatchLogProcessor(*blrp, "logs");

  logs::LoggerProviderOptions log_options;
  log_options.environment = &pipeline.env;
  log_options.processors.push_back(std::move(processor));
  auto loggers = *logs::LoggerProvider::Create(std::move(log_options));
  auto logger = loggers->GetLogger("t");
  for (int i = 0; i < 4; ++i) logger->Emit(logs::Severity::kInfo, "first batch");
  ASSERT_TRUE(stuck->WaitUntilExporting());  // the thread holds those 4; the queue is empty
  for (int i = 0; i < 10; ++i) logger->Emit(logs::Severity::kInfo, "more");  // 4 queue, 6 drop

  metrics::ResourceMetrics snapshot = pipeline.reader->Collect();
  KeyValue type{"otel.component.type", "batching_log_processor"};
  KeyValue name{"otel.component.name", "logs"};
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.processed",
                       {type, name, {"error.type", "queue_full"}}),
            6);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.processed",
                       {type, name, {"error.type", "already_shutdown"}}),
            0);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.processed", {type, name}), 0);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.queue.size", {type, name}), 4);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.queue.capacity", {type, name}), 4);
  // The span metrics are not there: no span processor is watched.
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.span.queue.size", {type, name}), std::nullopt);

  std::string page = pipeline.prometheus->Render();
  EXPECT_EQ(
      ScrapeLine(page, "otel_sdk_processor_log_processed_total{error_type=\"queue_full\""),
      "otel_sdk_processor_log_processed_total{error_type=\"queue_full\",otel_component_name="
      "\"logs\",otel_component_type=\"batching_log_processor\",otel_scope_name=\"llmtrace.sdk\"} 6")
      << page;
  EXPECT_EQ(ScrapeLine(page, "otel_sdk_processor_log_queue_size{"),
            "otel_sdk_processor_log_queue_size{otel_component_name=\"logs\",otel_component_type="
            "\"batching_log_processor\",otel_scope_name=\"llmtrace.sdk\"} 4")
      << page;
  EXPECT_EQ(ScrapeLine(page, "otel_sdk_processor_log_queue_capacity{"),
            "otel_sdk_processor_log_queue_capacity{otel_component_name=\"logs\","
            "otel_component_type=\"batching_log_processor\",otel_scope_name=\"llmtrace.sdk\"} 4")
      << page;

  stuck->Release();
  ASSERT_TRUE(loggers->ForceFlush(std::chrono::seconds(10)).ok());
  snapshot = pipeline.reader->Collect();
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.processed", {type, name}), 8);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.queue.size", {type, name}), 0);
}

TEST(SelfMetricsTest, ReportsExportedFailedAndRetriedLogRecordsOfAnOtlpLogExporter) {
  SelfMetricsPipeline pipeline;
  ManualClock clock;
  auto sleeper = std::make_shared<ManualSleeper>(clock);
  auto client = std::make_shared<ScriptedHttpClient>();
  auto exporter = *otlp::OtlpHttpLogExporter::Create(
      {}, {.http_client = client, .clock = &clock, .sleeper = sleeper, .uniform01 = &HalfJitter});
  SelfMetrics self(pipeline.Meter());
  self.WatchLogExporter(*exporter, "otlp-logs");
  auto processor = *logs::BatchLogRecordProcessor::Create(std::move(exporter), {});
  self.WatchLogProcessor(*processor, "logs");

  logs::LoggerProviderOptions log_options;
  log_options.environment = &pipeline.env;
  log_options.processors.push_back(std::move(processor));
  auto loggers = *logs::LoggerProvider::Create(std::move(log_options));
  auto logger = loggers->GetLogger("t");
  for (int i = 0; i < 3; ++i) logger->Emit(logs::Severity::kInfo, "delivered");
  ASSERT_TRUE(loggers->ForceFlush(std::chrono::seconds(10)).ok());
  client->Push(http::HttpResponse{.status = 503}, 5);  // every attempt of the next export
  for (int i = 0; i < 2; ++i) logger->Emit(logs::Severity::kInfo, "lost");
  ASSERT_TRUE(loggers->ForceFlush(std::chrono::seconds(10)).ok());

  metrics::ResourceMetrics snapshot = pipeline.reader->Collect();
  KeyValue type{"otel.component.type", "otlp_http_log_exporter"};
  KeyValue name{"otel.component.name", "otlp-logs"};
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.log.exported", {type, name}), 3);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.log.exported",
                       {type, name, {"error.type", "export_failed"}}),
            2);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.log.exported",
                       {type, name, {"error.type", "rejected"}}),
            0);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.requests", {type, name}), 6);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.retries", {type, name}), 4);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.failed_exports", {type, name}), 1);
  // The processor handed all five on: three delivered, two given up by the exporter.
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.processor.log.processed",
                       {{"otel.component.type", "batching_log_processor"},
                        {"otel.component.name", "logs"}}),
            5);

  std::string page = pipeline.prometheus->Render();
  EXPECT_EQ(ScrapeLine(page, "otel_sdk_exporter_log_exported_total{error_type=\"export_failed\""),
            "otel_sdk_exporter_log_exported_total{error_type=\"export_failed\","
            "otel_component_name=\"otlp-logs\",otel_component_type=\"otlp_http_log_exporter\",otel_"
            "scope_name=\"llmtrace.sdk\"} 2")
      << page;
  EXPECT_EQ(ScrapeLine(page, "llmtrace_otlp_exporter_retries_total{"),
            "llmtrace_otlp_exporter_retries_total{otel_component_name=\"otlp-logs\","
            "otel_component_type=\"otlp_http_log_exporter\",otel_scope_name=\"llmtrace.sdk\"} 4")
      << page;
}

metrics::ResourceMetrics DataPoints(int count) {
  metrics::ResourceMetrics snapshot;
  metrics::MetricData metric;
  metric.descriptor.name = "requests";
  metrics::SumData sum;
  for (int i = 0; i < count; ++i) {
    sum.points.emplace_back();
    sum.points.back().attributes.Set("i", i);
    sum.points.back().value = std::int64_t{i};
  }
  metric.data = sum;
  snapshot.scopes.push_back(metrics::ScopeMetrics{{}, {metric}});
  return snapshot;
}

TEST(SelfMetricsTest, ReportsExportedFailedAndRetriedDataPointsOfAnOtlpMetricExporter) {
  SelfMetricsPipeline pipeline;
  ManualClock clock;
  auto sleeper = std::make_shared<ManualSleeper>(clock);
  auto client = std::make_shared<ScriptedHttpClient>();
  auto exporter = *otlp::OtlpHttpMetricExporter::Create(
      {}, {.http_client = client, .clock = &clock, .sleeper = sleeper, .uniform01 = &HalfJitter});
  SelfMetrics self(pipeline.Meter());
  self.WatchMetricExporter(*exporter);
  self.WatchSpanExporter(**otlp::OtlpHttpSpanExporter::Create({}), "spans");  // gone at once

  const MonotonicTime deadline = clock.MonotonicNow() + std::chrono::seconds(60);
  EXPECT_EQ(exporter->Export(DataPoints(3), deadline), ExportResult::kSuccess);
  client->Push(http::HttpResponse{.status = 503});  // retried once, then delivered
  EXPECT_EQ(exporter->Export(DataPoints(4), deadline), ExportResult::kSuccess);
  client->Push(http::HttpResponse{.status = 400});  // not retryable: lost at once
  EXPECT_EQ(exporter->Export(DataPoints(2), deadline), ExportResult::kFailure);

  metrics::ResourceMetrics snapshot = pipeline.reader->Collect();
  KeyValue type{"otel.component.type", "otlp_http_metric_exporter"};
  KeyValue name{"otel.component.name", "otlp_http_metric_exporter/0"};
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.metric_data_point.exported", {type, name}), 7);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.metric_data_point.exported",
                       {type, name, {"error.type", "export_failed"}}),
            2);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.requests", {type, name}), 4);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.retries", {type, name}), 1);
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.failed_exports", {type, name}), 1);
  // The span exporter is listed next to it under its own type, and is not a metric exporter.
  KeyValue span_type{"otel.component.type", "otlp_http_span_exporter"};
  EXPECT_EQ(PointValue(snapshot, "llmtrace.otlp.exporter.requests",
                       {span_type, {"otel.component.name", "spans"}}),
            0);
  EXPECT_EQ(PointValue(snapshot, "otel.sdk.exporter.metric_data_point.exported",
                       {span_type, {"otel.component.name", "spans"}}),
            std::nullopt);

  std::string page = pipeline.prometheus->Render();
  EXPECT_EQ(
      ScrapeLine(page, "otel_sdk_exporter_metric_data_point_exported_total{otel"),
      "otel_sdk_exporter_metric_data_point_exported_total{otel_component_name="
      "\"otlp_http_metric_exporter/"
      "0\",otel_component_type=\"otlp_http_metric_exporter\",otel_scope_name=\"llmtrace.sdk\"} 7")
      << page;
}
}  // namespace
}  // namespace llmtrace::sdk
