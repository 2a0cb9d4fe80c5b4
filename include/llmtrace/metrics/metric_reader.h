// MetricReader: how a consumer gets snapshots out of a MeterProvider.
//
// A reader is registered with one MeterProvider (MeterProviderOptions::readers); from then on
// Collect() returns the provider's current points with the temporality this reader asked for
// per instrument kind. Each reader has its own delta state: two readers with delta temporality
// each see every increment once. Subclasses decide when to collect: the periodic exporting
// reader on a timer, the Prometheus reader when scraped.
// Collection is off the hot path: it may take locks and allocate; recording never waits for it
// for longer than a pointer swap.
// Thread-safety: Collect, ForceFlush and Shutdown may be called from any thread.
//
//   auto reader = std::make_shared<PrometheusReader>();
//   options.readers.push_back(reader);  ...  std::string text = reader->Render();
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include "llmtrace/common/status.h"
#include "llmtrace/metrics/metric_data.h"

namespace llmtrace::metrics {

using TemporalitySelector = Temporality (*)(InstrumentKind kind);

// Cumulative for everything (what Prometheus expects).
Temporality CumulativeTemporality(InstrumentKind kind) noexcept;
// Delta for counters and histograms, cumulative for up-down counters and gauges (the
// specification's "delta" preference, OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta).
Temporality DeltaTemporality(InstrumentKind kind) noexcept;
// Delta for synchronous counters and histograms only ("lowmemory").
Temporality LowMemoryTemporality(InstrumentKind kind) noexcept;

class MetricReader {
 public:
  // What the provider installs at registration: produces a snapshot for this reader.
  using CollectFunction = std::function<ResourceMetrics(const MetricReader& reader)>;

  explicit MetricReader(TemporalitySelector selector = &CumulativeTemporality)
      : selector_(selector) {}
  virtual ~MetricReader() = default;
  MetricReader(const MetricReader&) = delete;
  MetricReader& operator=(const MetricReader&) = delete;

  // The provider's points now; an empty snapshot before registration or after Shutdown.
  ResourceMetrics Collect() noexcept;
  Temporality TemporalityFor(InstrumentKind kind) const noexcept { return selector_(kind); }

  virtual Status ForceFlush(std::chrono::milliseconds /*timeout*/) noexcept { return Status::Ok(); }
  // After Shutdown, Collect returns empty snapshots. Subclasses stop their threads first.
  virtual Status Shutdown(std::chrono::milliseconds timeout) noexcept;

  // Called by MeterProvider when the reader is registered (and by tests with a fake collector).
  // Fails with kFailedPrecondition if the reader is already registered.
  Status SetCollector(CollectFunction collect);

 protected:
  // Runs once after SetCollector succeeded (the periodic reader starts its thread here).
  virtual void OnRegistered() noexcept {}
  bool is_shut_down() const noexcept;

 private:
  const TemporalitySelector selector_;
  mutable std::mutex mutex_;
  CollectFunction collect_;  // guarded by mutex_
  bool shut_down_ = false;   // guarded by mutex_
};

}  // namespace llmtrace::metrics
