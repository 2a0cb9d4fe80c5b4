#include "llmtrace/metrics/metric_reader.h"

namespace llmtrace::metrics {

Temporality CumulativeTemporality(InstrumentKind) noexcept { return Temporality::kCumulative; }

Temporality DeltaTemporality(InstrumentKind kind) noexcept {
  switch (kind) {
    case InstrumentKind::kCounter:
    case InstrumentKind::kObservableCounter:
    case InstrumentKind::kHistogram:
      return Temporality::kDelta;
    default:
      return Temporality::kCumulative;
  }
}

Temporality LowMemoryTemporality(InstrumentKind kind) noexcept {
  return kind == InstrumentKind::kCounter || kind == InstrumentKind::kHistogram
             ? Temporality::kDelta
             : Temporality::kCumulative;
}

ResourceMetrics MetricReader::Collect() noexcept {
  CollectFunction collect;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_ || !collect_) return {};
    collect = collect_;
  }
  try {
    return collect(*this);
  } catch (...) {  // a collection that runs out of memory yields nothing rather than a crash
    return {};
  }
}

Status MetricReader::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  collect_ = nullptr;
  return Status::Ok();
}

Status MetricReader::SetCollector(CollectFunction collect) {
  {
    std::lock_guard lock(mutex_);
    if (collect_) return FailedPreconditionError("metric reader: already registered");
    if (shut_down_) return FailedPreconditionError("metric reader: already shut down");
    collect_ = std::move(collect);
  }
  OnRegistered();
  return Status::Ok();
}

bool MetricReader::is_shut_down() const noexcept {
  std::lock_guard lock(mutex_);
  return shut_down_;
}

}  // namespace llmtrace::metrics
