// Instrument: the shared state behind an instrument handle, and the streams views derive from it.
//
// An instrument owns one storage per stream (usually one; one per matching view; none when a
// view drops it). The meter keeps every instrument for collection; handles share ownership.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llmtrace/metrics/metric_data.h"
#include "src/metrics/provider_state.h"

namespace llmtrace::metrics::internal {

// One exported stream of an instrument, after views.
struct StreamConfig {
  InstrumentDescriptor descriptor;
  std::optional<std::vector<std::string>> attribute_keys;  // allow-list; nullopt keeps all
  std::vector<double> boundaries;                          // histograms
  std::size_t cardinality_limit = 2000;
};

class Instrument {
 public:
  Instrument(InstrumentDescriptor descriptor, std::shared_ptr<ProviderState> state)
      : descriptor_(std::move(descriptor)), state_(std::move(state)) {}
  virtual ~Instrument() = default;
  Instrument(const Instrument&) = delete;
  Instrument& operator=(const Instrument&) = delete;

  // Appends this instrument's metrics (one per stream with points) for one reader.
  virtual void Collect(const CollectContext& context, std::vector<MetricData>& out) = 0;

  const InstrumentDescriptor& descriptor() const noexcept { return descriptor_; }
  ProviderState& state() const noexcept { return *state_; }

 private:
  const InstrumentDescriptor descriptor_;  // as registered (before views)
  const std::shared_ptr<ProviderState> state_;
};

// A synchronous instrument: its handle records into every storage.
template <typename Storage>
class SyncInstrument final : public Instrument {
 public:
  using Instrument::Instrument;
  void Collect(const CollectContext& context, std::vector<MetricData>& out) override {
    for (const std::unique_ptr<Storage>& storage : storages) storage->Collect(context, out);
  }
  std::vector<std::unique_ptr<Storage>> storages;  // fixed after creation
};

// What a bound handle holds: the instrument (for lifetime) and the series it resolved to, one
// per stream.
struct BoundTarget {
  void* series = nullptr;  // the storage's series type
  const void* storage = nullptr;
};
struct BoundSeries {
  std::shared_ptr<Instrument> instrument;
  std::vector<BoundTarget> targets;
};

}  // namespace llmtrace::metrics::internal
