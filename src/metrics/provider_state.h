// What a MeterProvider shares with its meters and instruments: configuration fixed at Create(),
// the drop counters of the hot path, and the context one collection runs with. Instruments keep
// it alive, so a handle that outlives its provider still records safely (into storage nobody
// collects any more).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/metrics/metric_reader.h"
#include "llmtrace/metrics/view.h"

namespace llmtrace::metrics::internal {

// Relaxed counters: each is written only when a measurement is dropped or degraded.
struct ProviderStats {
  std::atomic<std::uint64_t> negative_values_dropped{0};
  std::atomic<std::uint64_t> invalid_values_dropped{0};
  std::atomic<std::uint64_t> overflow_measurements{0};
  std::atomic<std::uint64_t> allocation_failures{0};
};

struct ProviderState {
  bool disabled = false;
  const Clock* clock = nullptr;
  std::vector<View> views;
  std::size_t cardinality_limit = kDefaultCardinalityLimit;
  std::size_t reader_count = 0;
  Timestamp start_time{};
  ProviderStats stats;
};

// One reader's collection.
struct CollectContext {
  std::size_t reader_index = 0;
  const MetricReader* reader = nullptr;
  Timestamp cumulative_start{};  // the provider's start: fixed for cumulative points
  Timestamp delta_start{};       // this reader's previous collection
  Timestamp now{};
};

}  // namespace llmtrace::metrics::internal
