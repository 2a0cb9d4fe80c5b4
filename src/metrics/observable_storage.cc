#include "src/metrics/observable_storage.h"

#include <cmath>
#include <exception>
#include <string>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/metrics/observable_instruments.h"
#include "src/metrics/attribute_hash.h"
#include "src/metrics/series_index.h"

namespace llmtrace::metrics {
namespace internal {
namespace {

RateLimitedLog callback_log;

PointValue Plus(const PointValue& a, const PointValue& b) {
  if (std::holds_alternative<std::int64_t>(a)) {
    return std::get<std::int64_t>(a) + std::get<std::int64_t>(b);
  }
  return std::get<double>(a) + std::get<double>(b);
}
PointValue Minus(const PointValue& a, const PointValue& b) {
  if (std::holds_alternative<std::int64_t>(a)) {
    return std::get<std::int64_t>(a) - std::get<std::int64_t>(b);
  }
  return std::get<double>(a) - std::get<double>(b);
}

bool IsSum(InstrumentKind kind) {
  return kind == InstrumentKind::kObservableCounter ||
         kind == InstrumentKind::kObservableUpDownCounter;
}

}  // namespace

void Observations::Add(PointValue value, std::span<const KeyValue> attributes) noexcept {
  try {
    AttributeSet canonical = CanonicalAttributes(attributes);
    std::string key = AttributesKey(canonical);
    auto [it, inserted] = index_.try_emplace(std::move(key), entries_.size());
    if (inserted) {
      entries_.push_back(Entry{std::move(canonical), value});
    } else {
      entries_[it->second].value = value;
    }
  } catch (...) {  // out of memory: this observation is lost
  }
}

void ObservableStorage::Collect(const Observations& observations, const CollectContext& context,
                                std::vector<MetricData>& out) {
  const InstrumentKind kind = stream_.descriptor.kind;
  const bool sum = IsSum(kind);

  // Apply the view's attribute filter and the cardinality limit, merging what becomes equal.
  std::vector<Observations::Entry> points;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t overflow = static_cast<std::size_t>(-1);
  for (const Observations::Entry& entry : observations.entries()) {
    AttributeSet attributes = entry.attributes;
    if (stream_.attribute_keys) {
      AttributeSet kept;
      for (const KeyValue& kv : entry.attributes.entries()) {
        for (const std::string& allowed : *stream_.attribute_keys) {
          if (kv.key == allowed) kept.Set(kv.key, kv.value);
        }
      }
      attributes = std::move(kept);
    }
    std::string key = AttributesKey(attributes);
    auto it = index.find(key);
    std::size_t position;
    if (it != index.end()) {
      position = it->second;
    } else if (index.size() + 1 >= stream_.cardinality_limit) {
      if (overflow == static_cast<std::size_t>(-1)) {
        AttributeSet overflow_attributes;
        overflow_attributes.Set(kOverflowAttribute, true);
        overflow = points.size();
        points.push_back({std::move(overflow_attributes), entry.value});
        continue;
      }
      position = overflow;
    } else {
      index.emplace(std::move(key), points.size());
      points.push_back({std::move(attributes), entry.value});
      continue;
    }
    points[position].value = sum ? Plus(points[position].value, entry.value) : entry.value;
  }
  if (points.empty()) return;

  std::vector<NumberPoint> numbers;
  numbers.reserve(points.size());
  const Temporality temporality = context.reader->TemporalityFor(kind);
  auto& last = last_total_[context.reader_index];
  for (Observations::Entry& p : points) {
    NumberPoint point;
    point.time = context.now;
    point.start_time = context.cumulative_start;
    point.value = p.value;
    if (sum && temporality == Temporality::kDelta) {
      std::string key = AttributesKey(p.attributes);
      auto [it, inserted] = last.try_emplace(key, p.value);
      if (!inserted) {
        point.value = Minus(p.value, it->second);
        it->second = p.value;
      }
      point.start_time = context.delta_start;
    }
    point.attributes = std::move(p.attributes);
    numbers.push_back(std::move(point));
  }
  if (sum) {
    SumData data;
    data.temporality = temporality;
    data.monotonic = kind == InstrumentKind::kObservableCounter;
    data.points = std::move(numbers);
    out.push_back(MetricData{stream_.descriptor, std::move(data)});
  } else {
    GaugeData data;
    data.points = std::move(numbers);
    out.push_back(MetricData{stream_.descriptor, std::move(data)});
  }
}

void ObservableInstrumentState::Collect(const CollectContext& context,
                                        std::vector<MetricData>& out) {
  std::lock_guard lock(mutex_);
  if (callbacks_.empty() || storages.empty()) return;
  Observations observations;
  for (const Registered& registered : callbacks_) {
    try {
      registered.callback(observations);
    } catch (const std::exception& e) {
      std::string name = descriptor().name;
      std::string what = e.what();
      callback_log.Warn([&] { return "metrics: callback of " + name + " threw: " + what; });
    } catch (...) {
      std::string name = descriptor().name;
      callback_log.Warn([&] { return "metrics: callback of " + name + " threw"; });
    }
  }
  for (const std::unique_ptr<ObservableStorage>& storage : storages) {
    storage->Collect(observations, context, out);
  }
}

std::uint64_t ObservableInstrumentState::AddCallback(Callback callback) {
  std::lock_guard lock(mutex_);
  callbacks_.push_back({next_id_, std::move(callback)});
  return next_id_++;
}

void ObservableInstrumentState::Unregister(std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  std::erase_if(callbacks_, [id](const Registered& r) { return r.id == id; });
}

}  // namespace internal

template <MetricValue T>
void ObserverResult<T>::Observe(T value, Attributes attributes) noexcept {
  if constexpr (std::is_same_v<T, double>) {
    if (!std::isfinite(value)) return;
  }
  observations_.Add(PointValue(value), attributes);
}

template class ObserverResult<std::int64_t>;
template class ObserverResult<double>;

void ObservableInstrument::Unregister() noexcept {
  if (instrument_) {
    static_cast<internal::ObservableInstrumentState&>(*instrument_).Unregister(callback_id_);
  }
}

}  // namespace llmtrace::metrics
