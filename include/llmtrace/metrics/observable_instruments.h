// Observable (asynchronous) instruments: values read by a callback when a reader collects.
//
// Use them for values that already exist somewhere (a pool's size, a budget ledger's total):
// the callback runs on the collecting thread, once per collection, and reports observations
// through an ObserverResult. An observable counter or up-down counter reports the current
// cumulative total (delta readers get the difference from their previous collection); an
// observable gauge reports the current value. Observing the same attribute set twice in one
// callback keeps the last value.
// Thread-safety: callbacks of one instrument never run concurrently with each other; they may
// run on any thread and must not block for long. The handle may be used from any thread.
//
//   meter->CreateInt64ObservableGauge("llmtrace.queue.size",
//       [&queue](ObserverResult<std::int64_t>& result) { result.Observe(queue.size()); });
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>

#include "llmtrace/metrics/instruments.h"

namespace llmtrace::metrics {

namespace internal {
class Observations;
}  // namespace internal

template <MetricValue T>
class ObserverResult {
 public:
  void Observe(T value, std::initializer_list<KeyValue> attributes = {}) noexcept {
    Observe(value, AsAttributes(attributes));
  }
  void Observe(T value, Attributes attributes) noexcept;

  explicit ObserverResult(internal::Observations& observations) noexcept
      : observations_(observations) {}

 private:
  internal::Observations& observations_;
};

extern template class ObserverResult<std::int64_t>;
extern template class ObserverResult<double>;

template <MetricValue T>
using ObservableCallback = std::function<void(ObserverResult<T>&)>;

// The handle of one callback of an observable instrument; the callback stays registered until
// Unregister or until the provider is gone.
class ObservableInstrument {
 public:
  ObservableInstrument() = default;
  bool enabled() const noexcept { return instrument_ != nullptr; }
  // Stops calling this handle's callback (other callbacks registered under the same instrument
  // name keep running); an instrument without callbacks exports nothing.
  void Unregister() noexcept;

 private:
  friend class Meter;
  ObservableInstrument(std::shared_ptr<internal::Instrument> instrument,
                       std::uint64_t callback_id) noexcept
      : instrument_(std::move(instrument)), callback_id_(callback_id) {}
  std::shared_ptr<internal::Instrument> instrument_;
  std::uint64_t callback_id_ = 0;
};

}  // namespace llmtrace::metrics
