// HistogramStorage: one stream of an explicit-bucket histogram.
//
// Each series has kStripes stripes, each on its own cache lines: a tiny spin lock, count, sum,
// min, max and the bucket counts. A record takes its thread's stripe lock (uncontended: one
// atomic exchange), updates the fields with plain arithmetic and releases it: cheaper than
// four separate atomic updates, and collection copies a consistent stripe. Collection drains
// each stripe under its lock and merges the result into every reader's accumulator, as
// SumStorage does. Buckets are (previous bound, bound]: a value equal to a bound counts in it.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <span>
#include <vector>

#include "src/metrics/attribute_hash.h"
#include "src/metrics/instrument.h"
#include "src/metrics/series_index.h"
#include "src/metrics/stripe.h"

namespace llmtrace::metrics::internal {

struct HistogramStripe {
  std::atomic<std::uint32_t> lock{0};
  std::uint64_t count = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  // The bucket counts follow, up to the next cache line.
};

struct HistogramSeries : SeriesBase {
  struct Config {
    std::size_t buckets = 0;  // boundaries + 1
    std::size_t readers = 0;
  };
  struct Accumulated {
    std::uint64_t count = 0;
    double sum = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    std::vector<std::uint64_t> buckets;
    bool fresh = false;
  };

  HistogramSeries(std::uint64_t hash, AttributeSet attributes, bool overflow, const Config& config)
      : SeriesBase(hash, std::move(attributes), overflow),
        buckets(config.buckets),
        stride((sizeof(HistogramStripe) + buckets * sizeof(std::uint64_t) + kCacheLine - 1) /
               kCacheLine * kCacheLine),
        block(static_cast<std::byte*>(
            ::operator new (stride* kStripes, std::align_val_t{kCacheLine}))) {
    for (std::size_t i = 0; i < kStripes; ++i) {
      new (block + i * stride) HistogramStripe();
      std::memset(Buckets(i), 0, buckets * sizeof(std::uint64_t));
    }
    per_reader.resize(config.readers);
    for (Accumulated& acc : per_reader) acc.buckets.assign(buckets, 0);
  }
  ~HistogramSeries() { ::operator delete (block, std::align_val_t{kCacheLine}); }
  HistogramSeries(const HistogramSeries&) = delete;
  HistogramSeries& operator=(const HistogramSeries&) = delete;

  HistogramStripe& Stripe(std::size_t i) noexcept {
    return *std::launder(reinterpret_cast<HistogramStripe*>(block + i * stride));
  }
  std::uint64_t* Buckets(std::size_t i) noexcept {
    return reinterpret_cast<std::uint64_t*>(block + i * stride + sizeof(HistogramStripe));
  }

  static void Lock(HistogramStripe& stripe) noexcept {
    while (stripe.lock.exchange(1, std::memory_order_acquire) != 0) {
      while (stripe.lock.load(std::memory_order_relaxed) != 0) CpuRelax();
    }
  }
  static void Unlock(HistogramStripe& stripe) noexcept {
    stripe.lock.store(0, std::memory_order_release);
  }

  void Record(double value, std::size_t bucket) noexcept {
    const std::size_t i = StripeIndex();
    HistogramStripe& stripe = Stripe(i);
    std::uint64_t* counts = Buckets(i);
    Lock(stripe);
    ++stripe.count;
    stripe.sum += value;
    stripe.min = std::min(stripe.min, value);
    stripe.max = std::max(stripe.max, value);
    ++counts[bucket];
    Unlock(stripe);
  }

  // Moves every stripe's contents into `into` and resets the stripes.
  void Drain(Accumulated& into) noexcept {
    for (std::size_t i = 0; i < kStripes; ++i) {
      HistogramStripe& stripe = Stripe(i);
      std::uint64_t* counts = Buckets(i);
      Lock(stripe);
      if (stripe.count != 0) {
        into.count += stripe.count;
        into.sum += stripe.sum;
        into.min = std::min(into.min, stripe.min);
        into.max = std::max(into.max, stripe.max);
        for (std::size_t b = 0; b < buckets; ++b) into.buckets[b] += counts[b];
        stripe.count = 0;
        stripe.sum = 0;
        stripe.min = std::numeric_limits<double>::infinity();
        stripe.max = -std::numeric_limits<double>::infinity();
        std::memset(counts, 0, buckets * sizeof(std::uint64_t));
      }
      Unlock(stripe);
    }
  }

  const std::size_t buckets;
  const std::size_t stride;
  std::byte* const block;
  std::vector<Accumulated> per_reader;  // guarded by the storage's collect mutex
};

class HistogramStorage {
 public:
  using Series = HistogramSeries;

  HistogramStorage(StreamConfig stream, std::size_t readers, ProviderStats& stats)
      : stream_(std::move(stream)),
        index_(stream_, {stream_.boundaries.size() + 1, readers}, stats) {}

  std::size_t BucketFor(double value) const noexcept {
    const std::vector<double>& b = stream_.boundaries;
    return static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), value) - b.begin());
  }
  void Record(double value, std::span<const KeyValue> attributes) noexcept {
    if (Series* series = index_.Find(attributes)) series->Record(value, BucketFor(value));
  }
  Series* Bind(std::span<const KeyValue> attributes) noexcept { return index_.Find(attributes); }

  void Collect(const CollectContext& context, std::vector<MetricData>& out) {
    HistogramData data;
    data.temporality = context.reader->TemporalityFor(stream_.descriptor.kind);
    std::lock_guard lock(collect_mutex_);
    for (Series* series : index_.Snapshot()) {
      Series::Accumulated delta;
      delta.buckets.assign(series->buckets, 0);
      series->Drain(delta);
      if (delta.count != 0) {
        for (Series::Accumulated& acc : series->per_reader) {
          acc.count += delta.count;
          acc.sum += delta.sum;
          acc.min = std::min(acc.min, delta.min);
          acc.max = std::max(acc.max, delta.max);
          for (std::size_t b = 0; b < delta.buckets.size(); ++b) acc.buckets[b] += delta.buckets[b];
          acc.fresh = true;
        }
      }
      Series::Accumulated& mine = series->per_reader[context.reader_index];
      const bool is_delta = data.temporality == Temporality::kDelta;
      if (is_delta && !mine.fresh) continue;
      HistogramPoint point;
      point.attributes = CanonicalAttributes(series->attributes.entries());
      point.start_time = is_delta ? context.delta_start : context.cumulative_start;
      point.time = context.now;
      point.count = mine.count;
      point.sum = mine.sum;
      if (mine.count != 0) {
        point.min = mine.min;
        point.max = mine.max;
      }
      point.boundaries = stream_.boundaries;
      point.bucket_counts = mine.buckets;
      data.points.push_back(std::move(point));
      if (is_delta) {
        mine = Series::Accumulated();
        mine.buckets.assign(series->buckets, 0);
      } else {
        mine.fresh = false;
      }
    }
    if (!data.points.empty()) out.push_back(MetricData{stream_.descriptor, std::move(data)});
  }

  const StreamConfig& stream() const noexcept { return stream_; }

 private:
  const StreamConfig stream_;
  SeriesIndex<Series> index_;
  std::mutex collect_mutex_;
};

}  // namespace llmtrace::metrics::internal
