// PeriodicExportingMetricReader: a MetricReader that collects on a timer and hands each snapshot
// to a MetricExporter (OTLP/HTTP, console, memory), as the OpenTelemetry SDK specification
// describes it.
//
// The reader owns its exporter and collects with the exporter's PreferredTemporality. Once
// registered with a MeterProvider it starts one thread that, every export_interval
// (OTEL_METRIC_EXPORT_INTERVAL, default 60000 ms), collects and exports with export_timeout
// (OTEL_METRIC_EXPORT_TIMEOUT, default 30000 ms) as the deadline. A snapshot with no metric is
// not exported. Exports never overlap. ForceFlush collects and exports now; Shutdown stops the
// thread, exports a last time, then shuts the exporter down, all within its timeout: an export
// still retrying past it is interrupted through the exporter's Shutdown. Outcomes are counted in
// stats().
// Thread-safety: ForceFlush, Shutdown and stats() may be called from any thread.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   auto reader = PeriodicExportingMetricReader::Create(
//       std::move(exporter), PeriodicExportingMetricReaderOptions::FromEnvironment(env));
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/metrics/metric_exporter.h"
#include "llmtrace/metrics/metric_reader.h"

namespace llmtrace::metrics {

struct PeriodicExportingMetricReaderOptions {
  std::chrono::milliseconds export_interval{60'000};  // OTEL_METRIC_EXPORT_INTERVAL
  std::chrono::milliseconds export_timeout{30'000};   // OTEL_METRIC_EXPORT_TIMEOUT
  const Clock* clock = nullptr;                       // for export deadlines; default SystemClock

  // Reads the two variables; a value that is not a positive integer is reported in `env` and
  // replaced by the default.
  static PeriodicExportingMetricReaderOptions FromEnvironment(EnvironmentReader& env);
};

struct PeriodicExportingMetricReaderStats {
  std::uint64_t exports = 0;         // snapshots the exporter accepted
  std::uint64_t failed_exports = 0;  // snapshots the exporter reported as failed
  std::uint64_t data_points = 0;     // points in the accepted snapshots
};

class PeriodicExportingMetricReader final : public MetricReader {
 public:
  // Fails when the exporter is null or an interval or timeout is not positive.
  static Result<std::unique_ptr<PeriodicExportingMetricReader>> Create(
      std::unique_ptr<MetricExporter> exporter, PeriodicExportingMetricReaderOptions options = {});
  ~PeriodicExportingMetricReader() override;

  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  PeriodicExportingMetricReaderStats stats() const noexcept;

 protected:
  void OnRegistered() noexcept override;

 private:
  PeriodicExportingMetricReader(std::unique_ptr<MetricExporter> exporter,
                                PeriodicExportingMetricReaderOptions options);
  void Run() noexcept;
  // Collects and exports under export_mutex_; false when the exporter failed.
  bool CollectAndExport(MonotonicTime deadline) noexcept;

  const std::unique_ptr<MetricExporter> exporter_;
  const PeriodicExportingMetricReaderOptions options_;
  const Clock& clock_;

  std::mutex export_mutex_;  // one export at a time
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;     // guarded by mutex_
  bool thread_done_ = false;  // guarded by mutex_
  std::thread thread_;
  std::atomic<bool> shutdown_called_{false};

  std::atomic<std::uint64_t> exports_{0};
  std::atomic<std::uint64_t> failed_exports_{0};
  std::atomic<std::uint64_t> data_points_{0};
};

}  // namespace llmtrace::metrics
