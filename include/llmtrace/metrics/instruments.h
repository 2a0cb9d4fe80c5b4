// Synchronous instruments: the handles application code records measurements through.
//
// Counter (monotonic sums: tokens, requests, cost), UpDownCounter (sums that go both ways:
// requests in flight), Histogram (distributions: latency, token usage per call) and Gauge (the
// last value: queue depth, budget left). A Meter creates them; each is a cheap, copyable handle,
// so keep one per instrument (in a struct, a static) and record from any thread.
// Recording is the hot path: noexcept, lock-free, no allocation once an attribute set has been
// seen. Attributes are given per call, in any order ({a, b} and {b, a} are one series). For the
// hottest paths, Bind() resolves an attribute set once and returns a handle that records with
// no lookup at all. Values that cannot be recorded (a negative value on a counter, NaN) are
// dropped and counted in MeterProvider::stats(), with a rate-limited warning.
// A default-constructed handle (or one from a disabled provider) records nothing.
// Thread-safety: every member may be called from any number of threads at once.
//
//   auto tokens = meter->CreateInt64Counter("gen_ai.client.token.count", {.unit = "{token}"});
//   tokens.Add(350, {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.token.type", "output"}});
//   auto output = tokens.Bind({{"gen_ai.request.model", "gpt-4o"}});  output.Add(1);
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>

#include "llmtrace/common/attribute_value.h"

namespace llmtrace::metrics {

namespace internal {
class Instrument;
struct BoundSeries;
}  // namespace internal

template <typename T>
concept MetricValue = std::same_as<T, std::int64_t> || std::same_as<T, double>;

using Attributes = std::span<const KeyValue>;

inline Attributes AsAttributes(std::initializer_list<KeyValue> attributes) noexcept {
  return Attributes(attributes.begin(), attributes.size());
}

// The common part of every synchronous handle: shared ownership of the instrument's storage.
class SyncInstrumentHandle {
 public:
  SyncInstrumentHandle() = default;
  // False for a no-op handle (default-constructed, invalid name, disabled SDK).
  bool enabled() const noexcept { return instrument_ != nullptr; }
  // Handles of the same instrument compare equal (duplicate registration returns the same one).
  friend bool operator==(const SyncInstrumentHandle& a, const SyncInstrumentHandle& b) noexcept {
    return a.instrument_ == b.instrument_;
  }

 protected:
  explicit SyncInstrumentHandle(std::shared_ptr<internal::Instrument> instrument) noexcept
      : instrument_(std::move(instrument)) {}
  std::shared_ptr<internal::Instrument> instrument_;
};

// A counter or up-down counter bound to one attribute set: Add skips the attribute lookup.
template <MetricValue T>
class BoundSum {
 public:
  BoundSum() = default;
  void Add(T value) const noexcept;
  bool enabled() const noexcept { return series_ != nullptr; }

 private:
  template <MetricValue>
  friend class Counter;
  template <MetricValue>
  friend class UpDownCounter;
  explicit BoundSum(std::shared_ptr<internal::BoundSeries> series) noexcept
      : series_(std::move(series)) {}
  std::shared_ptr<internal::BoundSeries> series_;
};

// A histogram bound to one attribute set: Record skips the attribute lookup.
template <MetricValue T>
class BoundHistogram {
 public:
  BoundHistogram() = default;
  void Record(T value) const noexcept;
  bool enabled() const noexcept { return series_ != nullptr; }

 private:
  template <MetricValue>
  friend class Histogram;
  explicit BoundHistogram(std::shared_ptr<internal::BoundSeries> series) noexcept
      : series_(std::move(series)) {}
  std::shared_ptr<internal::BoundSeries> series_;
};

// A monotonic sum. Negative values are dropped and counted.
template <MetricValue T>
class Counter : public SyncInstrumentHandle {
 public:
  Counter() = default;
  void Add(T value, std::initializer_list<KeyValue> attributes = {}) const noexcept {
    Add(value, AsAttributes(attributes));
  }
  void Add(T value, Attributes attributes) const noexcept;
  BoundSum<T> Bind(std::initializer_list<KeyValue> attributes) const noexcept {
    return Bind(AsAttributes(attributes));
  }
  BoundSum<T> Bind(Attributes attributes) const noexcept;

 private:
  friend class Meter;
  using SyncInstrumentHandle::SyncInstrumentHandle;
};

// A sum that may go down.
template <MetricValue T>
class UpDownCounter : public SyncInstrumentHandle {
 public:
  UpDownCounter() = default;
  void Add(T value, std::initializer_list<KeyValue> attributes = {}) const noexcept {
    Add(value, AsAttributes(attributes));
  }
  void Add(T value, Attributes attributes) const noexcept;
  BoundSum<T> Bind(std::initializer_list<KeyValue> attributes) const noexcept {
    return Bind(AsAttributes(attributes));
  }
  BoundSum<T> Bind(Attributes attributes) const noexcept;

 private:
  friend class Meter;
  using SyncInstrumentHandle::SyncInstrumentHandle;
};

// Explicit-bucket histogram: count, sum, min, max and per-bucket counts, buckets (prev, bound].
template <MetricValue T>
class Histogram : public SyncInstrumentHandle {
 public:
  Histogram() = default;
  void Record(T value, std::initializer_list<KeyValue> attributes = {}) const noexcept {
    Record(value, AsAttributes(attributes));
  }
  void Record(T value, Attributes attributes) const noexcept;
  BoundHistogram<T> Bind(std::initializer_list<KeyValue> attributes) const noexcept {
    return Bind(AsAttributes(attributes));
  }
  BoundHistogram<T> Bind(Attributes attributes) const noexcept;

 private:
  friend class Meter;
  using SyncInstrumentHandle::SyncInstrumentHandle;
};

// The last recorded value per attribute set.
template <MetricValue T>
class Gauge : public SyncInstrumentHandle {
 public:
  Gauge() = default;
  void Record(T value, std::initializer_list<KeyValue> attributes = {}) const noexcept {
    Record(value, AsAttributes(attributes));
  }
  void Record(T value, Attributes attributes) const noexcept;

 private:
  friend class Meter;
  using SyncInstrumentHandle::SyncInstrumentHandle;
};

extern template class BoundSum<std::int64_t>;
extern template class BoundSum<double>;
extern template class BoundHistogram<std::int64_t>;
extern template class BoundHistogram<double>;
extern template class Counter<std::int64_t>;
extern template class Counter<double>;
extern template class UpDownCounter<std::int64_t>;
extern template class UpDownCounter<double>;
extern template class Histogram<std::int64_t>;
extern template class Histogram<double>;
extern template class Gauge<std::int64_t>;
extern template class Gauge<double>;

}  // namespace llmtrace::metrics
