// SumStorage: one stream of a counter or up-down counter.
//
// Recording is one relaxed fetch_add on the calling thread's stripe of the series. Collection
// drains the stripes with exchange(0), so an increment racing with it lands either in this
// collection or the next, never in neither. The drained delta is added to every reader's own
// accumulator: a cumulative reader reports its running total, a delta reader reports what
// arrived since its previous collection and resets. That is how readers with different
// temporalities, or two delta readers, each see every increment exactly once.
#pragma once

#include <atomic>
#include <mutex>
#include <span>
#include <vector>

#include "src/metrics/attribute_hash.h"
#include "src/metrics/instrument.h"
#include "src/metrics/series_index.h"
#include "src/metrics/stripe.h"

namespace llmtrace::metrics::internal {

template <typename T>
struct alignas(kCacheLine) SumCell {
  std::atomic<T> value{0};
};

template <typename T>
struct SumSeries : SeriesBase {
  struct Config {
    std::size_t readers = 0;
  };
  struct Accumulated {
    T value = 0;
    bool fresh = false;  // changed since this reader's previous collection
  };

  SumSeries(std::uint64_t hash, AttributeSet attributes, bool overflow, const Config& config)
      : SeriesBase(hash, std::move(attributes), overflow), per_reader(config.readers) {}

  void Add(T value) noexcept {
    cells[StripeIndex()].value.fetch_add(value, std::memory_order_relaxed);
  }

  SumCell<T> cells[kStripes];
  std::vector<Accumulated> per_reader;  // guarded by the storage's collect mutex
};

template <typename T>
class SumStorage {
 public:
  using Series = SumSeries<T>;

  SumStorage(StreamConfig stream, std::size_t readers, ProviderStats& stats)
      : stream_(std::move(stream)), index_(stream_, {readers}, stats) {}

  void Add(T value, std::span<const KeyValue> attributes) noexcept {
    if (Series* series = index_.Find(attributes)) series->Add(value);
  }
  Series* Bind(std::span<const KeyValue> attributes) noexcept { return index_.Find(attributes); }
  SeriesIndex<Series>& index() noexcept { return index_; }

  void Collect(const CollectContext& context, std::vector<MetricData>& out) {
    const InstrumentKind kind = stream_.descriptor.kind;
    SumData data;
    data.temporality = context.reader->TemporalityFor(kind);
    data.monotonic = kind == InstrumentKind::kCounter;
    std::lock_guard lock(collect_mutex_);
    for (Series* series : index_.Snapshot()) {
      T delta = 0;
      for (SumCell<T>& cell : series->cells) {
        delta += cell.value.exchange(0, std::memory_order_acq_rel);
      }
      if (delta != 0) {
        for (typename Series::Accumulated& acc : series->per_reader) {
          acc.value += delta;
          acc.fresh = true;
        }
      }
      typename Series::Accumulated& mine = series->per_reader[context.reader_index];
      NumberPoint point;
      point.time = context.now;
      if (data.temporality == Temporality::kDelta) {
        if (!mine.fresh) continue;
        point.start_time = context.delta_start;
        point.value = mine.value;
        mine = {};
      } else {
        point.start_time = context.cumulative_start;
        point.value = mine.value;
        mine.fresh = false;
      }
      point.attributes = CanonicalAttributes(series->attributes.entries());
      data.points.push_back(std::move(point));
    }
    if (!data.points.empty()) out.push_back(MetricData{stream_.descriptor, std::move(data)});
  }

 private:
  const StreamConfig stream_;
  SeriesIndex<Series> index_;
  std::mutex collect_mutex_;
};

}  // namespace llmtrace::metrics::internal
