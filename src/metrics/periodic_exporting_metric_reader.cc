#include "llmtrace/metrics/periodic_exporting_metric_reader.h"

#include <algorithm>
#include <string>

#include "llmtrace/common/internal_log.h"

namespace llmtrace::metrics {
namespace {

constexpr std::chrono::milliseconds kDefaultInterval{60'000};
constexpr std::chrono::milliseconds kDefaultTimeout{30'000};

std::chrono::milliseconds PositiveMilliseconds(EnvironmentReader& env, std::string_view name,
                                               std::chrono::milliseconds fallback) {
  const std::chrono::milliseconds value = env.GetMilliseconds(name, fallback);
  if (value.count() > 0) return value;
  env.AddWarning(std::string(name) + ": expected a positive number of milliseconds, got " +
                 std::to_string(value.count()) + "; using " + std::to_string(fallback.count()));
  return fallback;
}

std::size_t CountMetrics(const ResourceMetrics& metrics) noexcept {
  std::size_t count = 0;
  for (const ScopeMetrics& scope : metrics.scopes) count += scope.metrics.size();
  return count;
}

std::size_t CountPoints(const ResourceMetrics& metrics) noexcept {
  std::size_t count = 0;
  for (const ScopeMetrics& scope : metrics.scopes) {
    for (const MetricData& metric : scope.metrics) {
      std::visit([&count](const auto& data) { count += data.points.size(); }, metric.data);
    }
  }
  return count;
}

}  // namespace

PeriodicExportingMetricReaderOptions PeriodicExportingMetricReaderOptions::FromEnvironment(
    EnvironmentReader& env) {
  PeriodicExportingMetricReaderOptions options;
  options.export_interval =
      PositiveMilliseconds(env, "OTEL_METRIC_EXPORT_INTERVAL", kDefaultInterval);
  options.export_timeout = PositiveMilliseconds(env, "OTEL_METRIC_EXPORT_TIMEOUT", kDefaultTimeout);
  return options;
}

Result<std::unique_ptr<PeriodicExportingMetricReader>> PeriodicExportingMetricReader::Create(
    std::unique_ptr<MetricExporter> exporter, PeriodicExportingMetricReaderOptions options) {
  if (!exporter) return InvalidArgumentError("periodic exporting metric reader: exporter is null");
  if (options.export_interval.count() <= 0) {
    return InvalidArgumentError(
        "periodic exporting metric reader: export_interval (OTEL_METRIC_EXPORT_INTERVAL) must be "
        "positive, got " +
        std::to_string(options.export_interval.count()) + " ms");
  }
  if (options.export_timeout.count() <= 0) {
    return InvalidArgumentError(
        "periodic exporting metric reader: export_timeout (OTEL_METRIC_EXPORT_TIMEOUT) must be "
        "positive, got " +
        std::to_string(options.export_timeout.count()) + " ms");
  }
  return std::unique_ptr<PeriodicExportingMetricReader>(
      new PeriodicExportingMetricReader(std::move(exporter), options));
}

PeriodicExportingMetricReader::PeriodicExportingMetricReader(
    std::unique_ptr<MetricExporter> exporter, PeriodicExportingMetricReaderOptions options)
    : MetricReader(exporter->PreferredTemporality()),
      exporter_(std::move(exporter)),
      options_(options),
      clock_(options.clock != nullptr ? *options.clock : SystemClock::Instance()) {}

PeriodicExportingMetricReader::~PeriodicExportingMetricReader() {
  if (!shutdown_called_.load()) (void)Shutdown(options_.export_timeout);
}

void PeriodicExportingMetricReader::OnRegistered() noexcept {
  std::lock_guard lock(mutex_);
  if (stopping_ || thread_.joinable()) return;
  try {
    thread_ = std::thread([this] { Run(); });
  } catch (const std::exception& e) {
    InternalLog(LogLevel::kError,
                std::string("periodic exporting metric reader: cannot start its thread (") +
                    e.what() + "); metrics are exported only on ForceFlush and Shutdown");
  }
}

void PeriodicExportingMetricReader::Run() noexcept {
  std::unique_lock lock(mutex_);
  while (true) {
    if (wake_.wait_for(lock, options_.export_interval, [this] { return stopping_; })) break;
    lock.unlock();
    CollectAndExport(clock_.MonotonicNow() + options_.export_timeout);
    lock.lock();
  }
  thread_done_ = true;
  wake_.notify_all();
}

bool PeriodicExportingMetricReader::CollectAndExport(MonotonicTime deadline) noexcept {
  std::lock_guard export_lock(export_mutex_);
  ResourceMetrics snapshot = Collect();
  if (CountMetrics(snapshot) == 0) return true;
  const std::size_t points = CountPoints(snapshot);
  if (exporter_->Export(snapshot, deadline) == ExportResult::kSuccess) {
    exports_.fetch_add(1, std::memory_order_relaxed);
    data_points_.fetch_add(points, std::memory_order_relaxed);
    return true;
  }
  failed_exports_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

Status PeriodicExportingMetricReader::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  if (shutdown_called_.load()) {
    return FailedPreconditionError("periodic exporting metric reader: already shut down");
  }
  const MonotonicTime deadline =
      clock_.MonotonicNow() + std::min<std::chrono::nanoseconds>(timeout, options_.export_timeout);
  if (!CollectAndExport(deadline)) {
    return UnavailableError("periodic exporting metric reader: force flush: the export failed");
  }
  return exporter_->ForceFlush(timeout);
}

Status PeriodicExportingMetricReader::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (shutdown_called_.exchange(true)) {
    return FailedPreconditionError("periodic exporting metric reader: already shut down");
  }
  const MonotonicTime deadline = clock_.MonotonicNow() + timeout;
  bool thread_stopped = true;
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    if (thread_.joinable()) {
      thread_stopped = wake_.wait_for(lock, timeout, [this] { return thread_done_; });
    }
  }
  Status status;
  if (!thread_stopped) {
    // An export is still running past our deadline: cut its retries short, then wait for it.
    status = DeadlineExceededError(
        "periodic exporting metric reader: shutdown: an export was still running after " +
        std::to_string(timeout.count()) + " ms");
    (void)exporter_->Shutdown(std::chrono::milliseconds(0));
  }
  if (thread_.joinable()) thread_.join();
  if (thread_stopped) {
    if (!CollectAndExport(deadline)) {
      status =
          UnavailableError("periodic exporting metric reader: shutdown: the last export failed");
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_.MonotonicNow());
    Status exporter_status = exporter_->Shutdown(std::max(left, std::chrono::milliseconds(0)));
    if (status.ok()) status = exporter_status;
  }
  (void)MetricReader::Shutdown(timeout);
  return status;
}

PeriodicExportingMetricReaderStats PeriodicExportingMetricReader::stats() const noexcept {
  return PeriodicExportingMetricReaderStats{
      .exports = exports_.load(std::memory_order_relaxed),
      .failed_exports = failed_exports_.load(std::memory_order_relaxed),
      .data_points = data_points_.load(std::memory_order_relaxed),
  };
}

}  // namespace llmtrace::metrics
