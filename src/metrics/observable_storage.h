// Observable instruments: the observations one callback run produced, the streams that turn
// them into points, and the instrument that runs the callback at each collection.
//
// Observable sums report totals; a delta reader gets each total minus the one it saw at its
// previous collection (kept per reader, keyed by attribute set). A view's attribute filter merges
// observations that become equal (sums add, gauges keep the last). Past the cardinality limit,
// further attribute sets merge into the overflow series.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/metrics/metric_data.h"
#include "src/metrics/instrument.h"

namespace llmtrace::metrics::internal {

class Observations {
 public:
  struct Entry {
    AttributeSet attributes;  // canonical: unique keys, sorted
    PointValue value;
  };
  // The last observation of an attribute set wins.
  void Add(PointValue value, std::span<const KeyValue> attributes) noexcept;
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;  // AttributesKey -> entries_ position
};

class ObservableStorage {
 public:
  explicit ObservableStorage(StreamConfig stream, std::size_t readers)
      : stream_(std::move(stream)), last_total_(readers) {}
  void Collect(const Observations& observations, const CollectContext& context,
               std::vector<MetricData>& out);

 private:
  const StreamConfig stream_;
  // Per reader: attribute key -> the total reported at its previous collection (delta readers).
  std::vector<std::unordered_map<std::string, PointValue>> last_total_;
};

class ObservableInstrumentState final : public Instrument {
 public:
  using Callback = std::function<void(Observations&)>;
  ObservableInstrumentState(InstrumentDescriptor descriptor, std::shared_ptr<ProviderState> state,
                            Callback callback)
      : Instrument(std::move(descriptor), std::move(state)) {
    callbacks_.push_back({next_id_++, std::move(callback)});
  }

  void Collect(const CollectContext& context, std::vector<MetricData>& out) override;
  // A duplicate registration of the instrument adds its callback here; returns its id.
  std::uint64_t AddCallback(Callback callback);
  // Removes one callback (ids start at 1: the one given at creation).
  void Unregister(std::uint64_t id) noexcept;

  std::vector<std::unique_ptr<ObservableStorage>> storages;  // fixed after creation

 private:
  std::mutex mutex_;  // callbacks of one instrument never run concurrently
  struct Registered {
    std::uint64_t id;
    Callback callback;
  };
  std::vector<Registered> callbacks_;  // guarded by mutex_
  std::uint64_t next_id_ = 1;          // guarded by mutex_
};

}  // namespace llmtrace::metrics::internal
