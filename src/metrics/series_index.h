// SeriesIndex: finds the series of an attribute set without locks, creating it on first use.
//
// Lookups probe an open-addressing table of atomic series pointers (acquire loads, no lock,
// no allocation); attributes are compared exactly on a hash match. Inserts take a mutex: they
// are rare (once per attribute set) and allocate anyway. When the table passes half full a
// table twice the size is published; old tables stay allocated until the index is destroyed,
// because a concurrent reader may still be probing one (it can only miss there, and then
// retries under the mutex). Series are never removed, so pointers stay valid for bound handles.
// At the cardinality limit, new attribute sets go to one overflow series
// (otel.metric.overflow=true); once it exists, misses reach it without taking the mutex.
//
// In front of the table sits a per-thread cache of the last series each thread found in each
// index (LastSeriesCache): a thread that records the same attribute set again, the usual case,
// compares the attributes with that series' and skips hashing and probing. A hit is confirmed
// by the same exact comparison the table uses, so values at other addresses, or changed values
// at the same address, are judged by content. Entries are tagged with the index's id, unique for
// the life of the process, and series live as long as their index, so an entry can never lead
// to a destroyed series. The overflow series is never cached: every measurement it takes must
// pass through the counting slow path. Streams with an attribute filter skip the cache.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/internal_log.h"
#include "src/metrics/attribute_hash.h"
#include "src/metrics/instrument.h"
#include "src/metrics/provider_state.h"

namespace llmtrace::metrics::internal {

inline constexpr std::string_view kOverflowAttribute = "otel.metric.overflow";
// A view's attribute filter keeps at most this many attributes of one measurement.
inline constexpr std::size_t kMaxFilteredAttributes = 32;

// What every series type starts with.
struct SeriesBase {
  SeriesBase(std::uint64_t hash_in, AttributeSet attributes_in, bool overflow_in)
      : hash(hash_in), attributes(std::move(attributes_in)), overflow(overflow_in) {}
  const std::uint64_t hash;
  const AttributeSet attributes;  // unique keys, in the order first recorded
  const bool overflow;
};

void WarnCardinalityOverflow(const std::string& stream_name) noexcept;

// A process-wide unique id for each SeriesIndex (never 0, never reused).
std::uint64_t NextSeriesIndexId() noexcept;

// One thread's last series per index, direct-mapped by index id: instruments created one after
// the other get different slots, and a collision only costs a table lookup.
struct LastSeries {
  std::uint64_t index_id = 0;  // 0: empty
  const void* series = nullptr;
};
inline constexpr std::size_t kLastSeriesSlots = 16;

inline LastSeries& LastSeriesSlot(std::uint64_t index_id) noexcept {
  // initial-exec: a plain %fs-relative access (see StripeIndex).
  static thread_local LastSeries slots[kLastSeriesSlots] __attribute__((tls_model("initial-exec")));
  return slots[index_id & (kLastSeriesSlots - 1)];
}

// Series must derive from SeriesBase and be constructible from
// (hash, AttributeSet, bool overflow, const Series::Config&).
template <typename Series>
class SeriesIndex {
 public:
  using Config = typename Series::Config;

  SeriesIndex(const StreamConfig& stream, Config config, ProviderStats& stats)
      : config_(std::move(config)),
        stats_(stats),
        id_(NextSeriesIndexId()),
        limit_(stream.cardinality_limit),
        filter_(stream.attribute_keys.has_value()),
        allowed_keys_(stream.attribute_keys.value_or(std::vector<std::string>{})),
        stream_name_(stream.descriptor.name) {
    tables_.push_back(std::make_unique<Table>(kInitialCapacity));
    table_.store(tables_.back().get(), std::memory_order_release);
  }
  SeriesIndex(const SeriesIndex&) = delete;
  SeriesIndex& operator=(const SeriesIndex&) = delete;

  // The series for `attributes`; null only when a new series could not be allocated.
  Series* Find(std::span<const KeyValue> attributes) noexcept {
    if (filter_) [[unlikely]]
      return FindFiltered(attributes);
    LastSeries& last = LastSeriesSlot(id_);
    if (last.index_id == id_) {
      auto* cached = static_cast<Series*>(const_cast<void*>(last.series));
      if (SameAttributes(attributes, cached->attributes.entries())) return cached;
    }
    return FindAndRemember(attributes, last);
  }

  // For tests: whether this thread's cache holds `series` for this index.
  bool CachedForTesting(const Series* series) const noexcept {
    const LastSeries& last = LastSeriesSlot(id_);
    return last.index_id == id_ && last.series == series;
  }

  // Every series, the overflow series included (for collection).
  std::vector<Series*> Snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<Series*> out;
    out.reserve(series_.size());
    for (const std::unique_ptr<Series>& s : series_) out.push_back(s.get());
    return out;
  }

  // For tests: finds with a given hash, so collisions can be forced.
  Series* FindWithHashForTesting(std::uint64_t hash, std::span<const KeyValue> attributes) {
    if (Series* found = Probe(*table_.load(std::memory_order_acquire), hash, attributes)) {
      return found;
    }
    return FindSlow(hash, attributes);
  }

 private:
  static constexpr std::size_t kInitialCapacity = 16;

  struct Table {
    explicit Table(std::size_t capacity)
        : mask(capacity - 1), slots(new std::atomic<Series*>[capacity]) {
      for (std::size_t i = 0; i < capacity; ++i) slots[i].store(nullptr, std::memory_order_relaxed);
    }
    const std::size_t mask;
    std::unique_ptr<std::atomic<Series*>[]> slots;
  };

  // Out of line: keeps the cache-hit path of Find() small.
  [[gnu::noinline]] Series* FindAndRemember(std::span<const KeyValue> attributes,
                                            LastSeries& last) noexcept {
    Series* found = FindExact(attributes);
    if (found != nullptr && !found->overflow) last = {id_, found};
    return found;
  }

  Series* FindExact(std::span<const KeyValue> attributes) noexcept {
    const std::uint64_t hash = HashAttributes(attributes);
    if (Series* found = Probe(*table_.load(std::memory_order_acquire), hash, attributes)) {
      return found;
    }
    return FindSlow(hash, attributes);
  }

  // Out of line: the buffer is only paid for by streams with an attribute filter.
  [[gnu::noinline]] Series* FindFiltered(std::span<const KeyValue> attributes) noexcept {
    KeyValue filtered[kMaxFilteredAttributes];
    return FindExact(Filter(attributes, filtered));
  }

  std::span<const KeyValue> Filter(std::span<const KeyValue> in, KeyValue* out) const noexcept {
    std::size_t n = 0;
    for (const KeyValue& kv : in) {
      for (const std::string& key : allowed_keys_) {
        if (kv.key == key) {
          if (n < kMaxFilteredAttributes) out[n++] = kv;
          break;
        }
      }
    }
    return {out, n};
  }

  // Tables are never more than half full, so a probe always reaches an empty slot.
  static Series* Probe(const Table& table, std::uint64_t hash,
                       std::span<const KeyValue> attributes) noexcept {
    for (std::size_t i = hash & table.mask;; i = (i + 1) & table.mask) {
      Series* s = table.slots[i].load(std::memory_order_acquire);
      if (s == nullptr) return nullptr;
      if (s->hash == hash && SameAttributes(attributes, s->attributes.entries())) return s;
    }
  }

  Series* FindSlow(std::uint64_t hash, std::span<const KeyValue> attributes) noexcept {
    if (Series* overflow = overflow_.load(std::memory_order_acquire)) {
      // The table no longer changes: a miss in the current table is final.
      if (Series* found = Probe(*table_.load(std::memory_order_acquire), hash, attributes)) {
        return found;
      }
      return CountOverflow(overflow);
    }
    try {
      std::lock_guard lock(mutex_);
      Table* table = table_.load(std::memory_order_relaxed);
      if (Series* found = Probe(*table, hash, attributes)) return found;
      // Repeated keys: the last value wins; such input always takes this slow path.
      AttributeSet unique(AttributeLimits{.max_count = attributes.size() + 1});
      for (const KeyValue& kv : attributes) unique.Set(kv.key, kv.value);
      if (unique.size() != attributes.size()) {
        hash = HashAttributes(unique.entries());
        if (Series* found = Probe(*table, hash, unique.entries())) return found;
      }
      if (normal_count_ + 1 >= limit_) return CountOverflow(CreateOverflowLocked());
      auto series = std::make_unique<Series>(hash, std::move(unique), false, config_);
      Series* raw = series.get();
      series_.reserve(series_.size() + 1);
      if ((normal_count_ + 1) * 2 > table->mask + 1) table = GrowLocked();
      InsertInto(*table, raw);
      series_.push_back(std::move(series));
      ++normal_count_;
      return raw;
    } catch (...) {  // out of memory: the measurement is lost, and counted
      stats_.allocation_failures.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
  }

  Series* CountOverflow(Series* overflow) noexcept {
    stats_.overflow_measurements.fetch_add(1, std::memory_order_relaxed);
    WarnCardinalityOverflow(stream_name_);
    return overflow;
  }

  Series* CreateOverflowLocked() {
    AttributeSet attributes;
    attributes.Set(kOverflowAttribute, true);
    std::uint64_t hash = HashAttributes(attributes.entries());
    auto series = std::make_unique<Series>(hash, std::move(attributes), true, config_);
    Series* raw = series.get();
    series_.push_back(std::move(series));
    overflow_.store(raw, std::memory_order_release);
    return raw;
  }

  Table* GrowLocked() {
    Table* old = table_.load(std::memory_order_relaxed);
    auto grown = std::make_unique<Table>((old->mask + 1) * 2);
    for (const std::unique_ptr<Series>& s : series_) {
      if (!s->overflow) InsertInto(*grown, s.get());
    }
    tables_.push_back(std::move(grown));
    Table* raw = tables_.back().get();
    table_.store(raw, std::memory_order_release);
    return raw;
  }

  static void InsertInto(Table& table, Series* series) noexcept {
    std::size_t i = series->hash & table.mask;
    while (table.slots[i].load(std::memory_order_relaxed) != nullptr) i = (i + 1) & table.mask;
    table.slots[i].store(series, std::memory_order_release);
  }

  const Config config_;
  ProviderStats& stats_;
  const std::uint64_t id_;
  const std::size_t limit_;
  const bool filter_;
  const std::vector<std::string> allowed_keys_;
  const std::string stream_name_;

  std::atomic<Table*> table_{nullptr};
  std::atomic<Series*> overflow_{nullptr};
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Table>> tables_;   // guarded by mutex_; every generation
  std::vector<std::unique_ptr<Series>> series_;  // guarded by mutex_
  std::size_t normal_count_ = 0;                 // guarded by mutex_
};

}  // namespace llmtrace::metrics::internal
