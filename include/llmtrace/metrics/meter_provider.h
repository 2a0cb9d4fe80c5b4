// MeterProvider: owns the metrics pipeline (resource, readers, views, limits) and hands out
// Meters.
//
// Build one at start-up with MeterProvider::Create and register the readers that consume it
// (PrometheusReader, PeriodicExportingMetricReader, ...). Each reader collects independently,
// with its own temporality per instrument kind: two delta readers each see every increment once,
// a cumulative reader keeps a fixed start time. Options left unset come from the OTEL_*
// environment (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES). A disabled
// provider hands out no-op instruments. Call Shutdown (the destructor does too) to shut the
// readers down, which lets an exporting reader export a last time.
// Each metric stream keeps at most `cardinality_limit` series: past it, new attribute sets are
// aggregated into one series with the attribute otel.metric.overflow=true, and counted.
// Thread-safety: every member may be called from any thread.
//
//   MeterProviderOptions options;
//   options.readers.push_back(reader);
//   auto provider = MeterProvider::Create(std::move(options));
//   auto meter = (*provider)->GetMeter("my-rag-app");
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/common/result.h"
#include "llmtrace/metrics/meter.h"
#include "llmtrace/metrics/metric_reader.h"
#include "llmtrace/metrics/view.h"

namespace llmtrace::metrics {

namespace internal {
class MeterProviderCore;
}  // namespace internal

inline constexpr std::size_t kDefaultCardinalityLimit = 2000;

struct MeterProviderOptions {
  // Merged over Resource::Default() and the environment (code wins).
  AttributeSet resource_attributes;
  // Each reader is registered with this provider (SetCollector); none may be null or registered
  // elsewhere.
  std::vector<std::shared_ptr<MetricReader>> readers;
  std::vector<View> views;
  // Series per metric stream, the overflow series included (the specification's default).
  std::size_t cardinality_limit = kDefaultCardinalityLimit;
  // Null: SystemClock::Instance(). Must outlive the provider.
  const Clock* clock = nullptr;
  // Null: the process environment. Must outlive Create().
  const Environment* environment = nullptr;
};

// What the hot path dropped or degraded, since the provider was created.
struct MeterProviderStats {
  std::uint64_t negative_values_dropped = 0;  // negative values given to counters
  std::uint64_t invalid_values_dropped = 0;   // NaN or infinite values
  std::uint64_t overflow_measurements = 0;    // recorded into an otel.metric.overflow series
  std::uint64_t allocation_failures = 0;      // a new series could not be allocated
};

class MeterProvider {
 public:
  // Fails for options that cannot work: a null or already registered reader, an invalid view,
  // a cardinality limit below 2.
  static Result<std::shared_ptr<MeterProvider>> Create(MeterProviderOptions options);
  ~MeterProvider();
  MeterProvider(const MeterProvider&) = delete;
  MeterProvider& operator=(const MeterProvider&) = delete;

  // The same scope (name, version, schema URL) always yields the same Meter.
  std::shared_ptr<Meter> GetMeter(std::string_view name, std::string_view version = {},
                                  std::string_view schema_url = {});

  // Asks every reader to export what it has (readers that pull, like Prometheus, do nothing).
  Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::seconds(30)) noexcept;
  // Idempotent. Shuts every reader down; afterwards their collections are empty.
  Status Shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(30)) noexcept;

  const Resource& resource() const noexcept;
  bool disabled() const noexcept;
  MeterProviderStats stats() const noexcept;

 private:
  explicit MeterProvider(std::shared_ptr<internal::MeterProviderCore> core) noexcept
      : core_(std::move(core)) {}
  std::shared_ptr<internal::MeterProviderCore> core_;
};

}  // namespace llmtrace::metrics
