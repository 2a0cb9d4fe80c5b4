// GaugeStorage: one stream of a synchronous gauge (the last value per attribute set).
//
// A record is one relaxed store; there is nothing to stripe, since only the last write counts.
// Every reader sees each series' latest value (gauges have no temporality).
#pragma once

#include <atomic>
#include <mutex>
#include <span>
#include <vector>

#include "src/metrics/attribute_hash.h"
#include "src/metrics/instrument.h"
#include "src/metrics/series_index.h"

namespace llmtrace::metrics::internal {

template <typename T>
struct GaugeSeries : SeriesBase {
  struct Config {};
  GaugeSeries(std::uint64_t hash, AttributeSet attributes, bool overflow, const Config&)
      : SeriesBase(hash, std::move(attributes), overflow) {}

  void Record(T v) noexcept {
    value.store(v, std::memory_order_relaxed);
    if (!has_value.load(std::memory_order_relaxed)) {
      has_value.store(true, std::memory_order_release);
    }
  }

  std::atomic<T> value{0};
  std::atomic<bool> has_value{false};
};

template <typename T>
class GaugeStorage {
 public:
  using Series = GaugeSeries<T>;

  GaugeStorage(StreamConfig stream, std::size_t /*readers*/, ProviderStats& stats)
      : stream_(std::move(stream)), index_(stream_, {}, stats) {}

  void Record(T value, std::span<const KeyValue> attributes) noexcept {
    if (Series* series = index_.Find(attributes)) series->Record(value);
  }

  void Collect(const CollectContext& context, std::vector<MetricData>& out) {
    GaugeData data;
    for (Series* series : index_.Snapshot()) {
      if (!series->has_value.load(std::memory_order_acquire)) continue;
      NumberPoint point;
      point.attributes = CanonicalAttributes(series->attributes.entries());
      point.start_time = context.cumulative_start;
      point.time = context.now;
      point.value = series->value.load(std::memory_order_relaxed);
      data.points.push_back(std::move(point));
    }
    if (!data.points.empty()) out.push_back(MetricData{stream_.descriptor, std::move(data)});
  }

 private:
  const StreamConfig stream_;
  SeriesIndex<Series> index_;
};

}  // namespace llmtrace::metrics::internal
