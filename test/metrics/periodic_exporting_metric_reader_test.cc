// PeriodicExportingMetricReader with a recording exporter and a hand-built collector.
#include "llmtrace/metrics/periodic_exporting_metric_reader.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace llmtrace::metrics {
namespace {

using std::chrono::milliseconds;

struct ExporterLog {
  std::mutex mutex;
  std::vector<std::size_t> exported_metrics;  // metrics per Export call
  std::atomic<int> calls{0};
  std::atomic<int> active{0};
  std::atomic<int> max_active{0};
  std::atomic<bool> shut_down{false};
  std::atomic<bool> fail{false};
  std::atomic<int> block_ms{0};  // each Export sleeps this long unless shut down
};

class RecordingExporter final : public MetricExporter {
 public:
  RecordingExporter(std::shared_ptr<ExporterLog> log, TemporalitySelector selector)
      : log_(std::move(log)), selector_(selector) {}
  ExportResult Export(const ResourceMetrics& metrics, MonotonicTime) noexcept override {
    const int active = ++log_->active;
    int seen = log_->max_active.load();
    while (active > seen && !log_->max_active.compare_exchange_weak(seen, active)) {
    }
    const auto until = std::chrono::steady_clock::now() + milliseconds(log_->block_ms.load());
    while (std::chrono::steady_clock::now() < until && !log_->shut_down) {
      std::this_thread::sleep_for(milliseconds(1));
    }
    {
      std::lock_guard lock(log_->mutex);
      std::size_t count = 0;
      for (const ScopeMetrics& scope : metrics.scopes) count += scope.metrics.size();
      log_->exported_metrics.push_back(count);
    }
    ++log_->calls;
    --log_->active;
    return log_->fail ? ExportResult::kFailure : ExportResult::kSuccess;
  }
  TemporalitySelector PreferredTemporality() const noexcept override { return selector_; }
  Status Shutdown(milliseconds) noexcept override {
    log_->shut_down = true;
    return Status::Ok();
  }

 private:
  std::shared_ptr<ExporterLog> log_;
  TemporalitySelector selector_;
};

ResourceMetrics Snapshot() {
  MetricData metric;
  metric.descriptor.name = "calls";
  SumData sum;
  sum.points.resize(2);
  metric.data = sum;
  ResourceMetrics snapshot;
  snapshot.scopes.push_back(ScopeMetrics{{}, {metric}});
  return snapshot;
}

std::unique_ptr<PeriodicExportingMetricReader> MakeReader(
    std::shared_ptr<ExporterLog> log, PeriodicExportingMetricReaderOptions options,
    TemporalitySelector selector = &CumulativeTemporality) {
  auto reader = PeriodicExportingMetricReader::Create(
      std::make_unique<RecordingExporter>(std::move(log), selector), options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return std::move(*reader);
}

bool WaitUntil(const std::function<bool()>& done, milliseconds limit = milliseconds(5'000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

TEST(PeriodicExportingMetricReaderTest, ExportsOnEveryInterval) {
  auto log = std::make_shared<ExporterLog>();
  auto reader = MakeReader(log, {.export_interval = milliseconds(5)});
  ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return Snapshot(); }).ok());
  EXPECT_TRUE(WaitUntil([&] { return log->calls >= 3; }));
  EXPECT_GE(reader->stats().exports, 3u);
  EXPECT_EQ(reader->stats().failed_exports, 0u);
  EXPECT_GE(reader->stats().data_points, 6u);
  ASSERT_TRUE(reader->Shutdown(milliseconds(1'000)).ok());
  EXPECT_EQ(log->max_active, 1) << "exports must never overlap";
}

TEST(PeriodicExportingMetricReaderTest, ForceFlushExportsNowAndShutdownExportsALastTime) {
  auto log = std::make_shared<ExporterLog>();
  auto reader = MakeReader(log, {.export_interval = std::chrono::hours(1)});
  ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return Snapshot(); }).ok());
  EXPECT_EQ(log->calls, 0);
  ASSERT_TRUE(reader->ForceFlush(milliseconds(1'000)).ok());
  EXPECT_EQ(log->calls, 1);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(reader->Shutdown(milliseconds(1'000)).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1'000));
  EXPECT_EQ(log->calls, 2);
  EXPECT_TRUE(log->shut_down);
  EXPECT_EQ(reader->stats().exports, 2u);
  // After shutdown: nothing more is collected or exported.
  EXPECT_TRUE(reader->Collect().scopes.empty());
  EXPECT_FALSE(reader->ForceFlush(milliseconds(100)).ok());
  EXPECT_FALSE(reader->Shutdown(milliseconds(100)).ok());
  EXPECT_EQ(log->calls, 2);
}

TEST(PeriodicExportingMetricReaderTest, CountsFailedExportsAndReportsThemFromForceFlush) {
  auto log = std::make_shared<ExporterLog>();
  log->fail = true;
  auto reader = MakeReader(log, {.export_interval = std::chrono::hours(1)});
  ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return Snapshot(); }).ok());
  EXPECT_FALSE(reader->ForceFlush(milliseconds(1'000)).ok());
  EXPECT_EQ(reader->stats().failed_exports, 1u);
  EXPECT_EQ(reader->stats().exports, 0u);
}

TEST(PeriodicExportingMetricReaderTest, DoesNotExportAnEmptySnapshot) {
  auto log = std::make_shared<ExporterLog>();
  auto reader = MakeReader(log, {.export_interval = std::chrono::hours(1)});
  EXPECT_TRUE(reader->ForceFlush(milliseconds(100)).ok());  // not registered yet
  ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return ResourceMetrics{}; }).ok());
  EXPECT_TRUE(reader->ForceFlush(milliseconds(100)).ok());
  EXPECT_EQ(log->calls, 0);
}

TEST(PeriodicExportingMetricReaderTest, ShutdownInterruptsAnExportThatOutlivesItsTimeout) {
  auto log = std::make_shared<ExporterLog>();
  log->block_ms = 60'000;  // until the exporter is shut down
  auto reader = MakeReader(log, {.export_interval = milliseconds(1)});
  ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return Snapshot(); }).ok());
  ASSERT_TRUE(WaitUntil([&] { return log->active > 0; }));
  const auto start = std::chrono::steady_clock::now();
  const Status status = reader->Shutdown(milliseconds(50));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2'000));
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.ToString();
  EXPECT_TRUE(log->shut_down);
}

TEST(PeriodicExportingMetricReaderTest, CollectsWithTheExportersTemporality) {
  auto log = std::make_shared<ExporterLog>();
  auto reader = MakeReader(log, {}, &DeltaTemporality);
  EXPECT_EQ(reader->TemporalityFor(InstrumentKind::kCounter), Temporality::kDelta);
  EXPECT_EQ(reader->TemporalityFor(InstrumentKind::kGauge), Temporality::kCumulative);
}

TEST(PeriodicExportingMetricReaderTest, ReadsIntervalAndTimeoutFromTheEnvironment) {
  MapEnvironment env{{"OTEL_METRIC_EXPORT_INTERVAL", "1500"},
                     {"OTEL_METRIC_EXPORT_TIMEOUT", "250"}};
  EnvironmentReader reader(env);
  auto options = PeriodicExportingMetricReaderOptions::FromEnvironment(reader);
  EXPECT_EQ(options.export_interval, milliseconds(1'500));
  EXPECT_EQ(options.export_timeout, milliseconds(250));
  EXPECT_TRUE(reader.warnings().empty());

  MapEnvironment defaults{{"OTEL_METRIC_EXPORT_INTERVAL", "0"}, {"OTEL_METRIC_EXPORT_TIMEOUT", ""}};
  EnvironmentReader default_reader(defaults);
  options = PeriodicExportingMetricReaderOptions::FromEnvironment(default_reader);
  EXPECT_EQ(options.export_interval, milliseconds(60'000));
  EXPECT_EQ(options.export_timeout, milliseconds(30'000));
  ASSERT_EQ(default_reader.warnings().size(), 1u);
  EXPECT_NE(default_reader.warnings()[0].find("OTEL_METRIC_EXPORT_INTERVAL"), std::string::npos);
}

TEST(PeriodicExportingMetricReaderTest, RejectsANullExporterAndNonPositiveDurations) {
  EXPECT_FALSE(PeriodicExportingMetricReader::Create(nullptr).ok());
  auto log = std::make_shared<ExporterLog>();
  auto bad = PeriodicExportingMetricReader::Create(
      std::make_unique<RecordingExporter>(log, &CumulativeTemporality),
      {.export_interval = milliseconds(0)});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("OTEL_METRIC_EXPORT_INTERVAL"), std::string::npos);
}

TEST(PeriodicExportingMetricReaderTest, TheDestructorShutsDownARunningReader) {
  auto log = std::make_shared<ExporterLog>();
  {
    auto reader = MakeReader(log, {.export_interval = std::chrono::hours(1)});
    ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return Snapshot(); }).ok());
  }
  EXPECT_EQ(log->calls, 1);  // the final export
  EXPECT_TRUE(log->shut_down);
}

}  // namespace
}  // namespace llmtrace::metrics
