#include "llmtrace/metrics/instruments.h"

#include <cmath>
#include <string>

#include "llmtrace/common/internal_log.h"
#include "src/metrics/gauge_storage.h"
#include "src/metrics/histogram_storage.h"
#include "src/metrics/instrument.h"
#include "src/metrics/sum_storage.h"

namespace llmtrace::metrics {
namespace {

using internal::BoundSeries;
using internal::BoundTarget;
using internal::GaugeStorage;
using internal::HistogramStorage;
using internal::Instrument;
using internal::SumStorage;
using internal::SyncInstrument;

RateLimitedLog negative_log;
RateLimitedLog invalid_log;

template <typename T>
bool IsFinite(T value) noexcept {
  if constexpr (std::is_same_v<T, double>) {
    return std::isfinite(value);
  } else {
    return true;
  }
}

template <typename T>
bool AcceptValue(const Instrument& instrument, T value, bool monotonic) noexcept {
  if (!IsFinite(value)) [[unlikely]] {
    instrument.state().stats.invalid_values_dropped.fetch_add(1, std::memory_order_relaxed);
    invalid_log.Warn([&] {
      return "metrics: " + instrument.descriptor().name + ": dropped a NaN or infinite value";
    });
    return false;
  }
  if (monotonic && value < 0) [[unlikely]] {
    instrument.state().stats.negative_values_dropped.fetch_add(1, std::memory_order_relaxed);
    negative_log.Warn([&] {
      return "metrics: " + instrument.descriptor().name +
             ": dropped a negative value (counters only go up; use an UpDownCounter)";
    });
    return false;
  }
  return true;
}

template <typename T>
void AddToSums(const std::shared_ptr<Instrument>& instrument, T value, Attributes attributes,
               bool monotonic) noexcept {
  if (!instrument) return;
  auto& sums = static_cast<SyncInstrument<SumStorage<T>>&>(*instrument);
  if (!AcceptValue(sums, value, monotonic)) return;
  for (const std::unique_ptr<SumStorage<T>>& storage : sums.storages) {
    storage->Add(value, attributes);
  }
}

template <typename T>
std::shared_ptr<BoundSeries> BindSums(const std::shared_ptr<Instrument>& instrument,
                                      Attributes attributes) noexcept {
  if (!instrument) return nullptr;
  try {
    auto bound = std::make_shared<BoundSeries>();
    bound->instrument = instrument;
    auto& sums = static_cast<SyncInstrument<SumStorage<T>>&>(*instrument);
    for (const std::unique_ptr<SumStorage<T>>& storage : sums.storages) {
      if (auto* series = storage->Bind(attributes)) {
        bound->targets.push_back(BoundTarget{series, storage.get()});
      }
    }
    return bound;
  } catch (...) {
    instrument->state().stats.allocation_failures.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
}

}  // namespace

template <MetricValue T>
void BoundSum<T>::Add(T value) const noexcept {
  if (!series_) return;
  const Instrument& instrument = *series_->instrument;
  if (!AcceptValue(instrument, value, instrument.descriptor().kind == InstrumentKind::kCounter)) {
    return;
  }
  for (const BoundTarget& target : series_->targets) {
    static_cast<internal::SumSeries<T>*>(target.series)->Add(value);
  }
}

template <MetricValue T>
void BoundHistogram<T>::Record(T value) const noexcept {
  if (!series_) return;
  const Instrument& instrument = *series_->instrument;
  if (!AcceptValue(instrument, value, false)) return;
  const auto v = static_cast<double>(value);
  for (const BoundTarget& target : series_->targets) {
    const auto* storage = static_cast<const HistogramStorage*>(target.storage);
    static_cast<internal::HistogramSeries*>(target.series)->Record(v, storage->BucketFor(v));
  }
}

template <MetricValue T>
void Counter<T>::Add(T value, Attributes attributes) const noexcept {
  AddToSums(instrument_, value, attributes, /*monotonic=*/true);
}
template <MetricValue T>
BoundSum<T> Counter<T>::Bind(Attributes attributes) const noexcept {
  return BoundSum<T>(BindSums<T>(instrument_, attributes));
}

template <MetricValue T>
void UpDownCounter<T>::Add(T value, Attributes attributes) const noexcept {
  AddToSums(instrument_, value, attributes, /*monotonic=*/false);
}
template <MetricValue T>
BoundSum<T> UpDownCounter<T>::Bind(Attributes attributes) const noexcept {
  return BoundSum<T>(BindSums<T>(instrument_, attributes));
}

template <MetricValue T>
void Histogram<T>::Record(T value, Attributes attributes) const noexcept {
  if (!instrument_) return;
  auto& histogram = static_cast<SyncInstrument<HistogramStorage>&>(*instrument_);
  if (!AcceptValue(histogram, value, false)) return;
  for (const std::unique_ptr<HistogramStorage>& storage : histogram.storages) {
    storage->Record(static_cast<double>(value), attributes);
  }
}
template <MetricValue T>
BoundHistogram<T> Histogram<T>::Bind(Attributes attributes) const noexcept {
  if (!instrument_) return {};
  try {
    auto bound = std::make_shared<BoundSeries>();
    bound->instrument = instrument_;
    auto& histogram = static_cast<SyncInstrument<HistogramStorage>&>(*instrument_);
    for (const std::unique_ptr<HistogramStorage>& storage : histogram.storages) {
      if (auto* series = storage->Bind(attributes)) {
        bound->targets.push_back(BoundTarget{series, storage.get()});
      }
    }
    return BoundHistogram<T>(std::move(bound));
  } catch (...) {
    instrument_->state().stats.allocation_failures.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
}

template <MetricValue T>
void Gauge<T>::Record(T value, Attributes attributes) const noexcept {
  if (!instrument_) return;
  auto& gauge = static_cast<SyncInstrument<GaugeStorage<T>>&>(*instrument_);
  if (!AcceptValue(gauge, value, false)) return;
  for (const std::unique_ptr<GaugeStorage<T>>& storage : gauge.storages) {
    storage->Record(value, attributes);
  }
}

template class BoundSum<std::int64_t>;
template class BoundSum<double>;
template class BoundHistogram<std::int64_t>;
template class BoundHistogram<double>;
template class Counter<std::int64_t>;
template class Counter<double>;
template class UpDownCounter<std::int64_t>;
template class UpDownCounter<double>;
template class Histogram<std::int64_t>;
template class Histogram<double>;
template class Gauge<std::int64_t>;
template class Gauge<double>;

}  // namespace llmtrace::metrics
