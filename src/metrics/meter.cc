#include "llmtrace/metrics/meter.h"

#include <cctype>
#include <string>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/common/strings.h"
#include "src/metrics/gauge_storage.h"
#include "src/metrics/histogram_storage.h"
#include "src/metrics/meter_state.h"
#include "src/metrics/observable_storage.h"
#include "src/metrics/sum_storage.h"
#include "src/metrics/view_util.h"

namespace llmtrace::metrics {
namespace {

using internal::GaugeStorage;
using internal::HistogramStorage;
using internal::Instrument;
using internal::MeterState;
using internal::ObservableInstrumentState;
using internal::ObservableStorage;
using internal::Observations;
using internal::StreamConfig;
using internal::SumStorage;
using internal::SyncInstrument;

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxUnitLength = 63;

bool IsHistogram(InstrumentKind kind) { return kind == InstrumentKind::kHistogram; }

std::string_view KindName(InstrumentKind kind) {
  switch (kind) {
    case InstrumentKind::kCounter:
      return "counter";
    case InstrumentKind::kUpDownCounter:
      return "up-down counter";
    case InstrumentKind::kHistogram:
      return "histogram";
    case InstrumentKind::kGauge:
      return "gauge";
    case InstrumentKind::kObservableCounter:
      return "observable counter";
    case InstrumentKind::kObservableUpDownCounter:
      return "observable up-down counter";
    case InstrumentKind::kObservableGauge:
      return "observable gauge";
  }
  return "instrument";
}

void Warn(const std::string& message) { InternalLog(LogLevel::kWarning, message); }

Status ValidateUnit(std::string_view unit) {
  if (unit.size() > kMaxUnitLength) {
    return InvalidArgumentError("unit '" + std::string(unit) + "' is longer than 63 characters");
  }
  for (char c : unit) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return InvalidArgumentError("unit '" + std::string(unit) + "' is not printable ASCII");
    }
  }
  return Status::Ok();
}

// The streams the provider's views make of an instrument: one per matching view (none for a
// dropping view), or the default stream when no view matches.
std::vector<StreamConfig> StreamsFor(const MeterState& meter, const InstrumentDescriptor& d,
                                     const InstrumentOptions& options) {
  const internal::ProviderState& provider = *meter.provider;
  std::vector<double> advice(std::begin(kDefaultHistogramBoundaries),
                             std::end(kDefaultHistogramBoundaries));
  if (IsHistogram(d.kind) && !options.bucket_boundaries.empty()) {
    Status s = internal::ValidateBoundaries(options.bucket_boundaries);
    if (s.ok()) {
      advice = options.bucket_boundaries;
    } else {
      Warn("metrics: histogram " + d.name + ": ignoring its advised " + s.message() +
           "; using the default boundaries");
    }
  }
  std::vector<StreamConfig> streams;
  bool matched = false;
  for (const View& view : provider.views) {
    if (!SelectorMatches(view.selector, d, meter.scope.name)) continue;
    matched = true;
    if (view.drop) continue;
    StreamConfig stream;
    stream.descriptor = d;
    if (!view.name.empty()) stream.descriptor.name = view.name;
    if (!view.description.empty()) stream.descriptor.description = view.description;
    stream.attribute_keys = view.attribute_keys;
    stream.boundaries = view.bucket_boundaries ? *view.bucket_boundaries : advice;
    stream.cardinality_limit = view.cardinality_limit.value_or(provider.cardinality_limit);
    streams.push_back(std::move(stream));
  }
  if (!matched) {
    StreamConfig stream;
    stream.descriptor = d;
    stream.boundaries = std::move(advice);
    stream.cardinality_limit = provider.cardinality_limit;
    streams.push_back(std::move(stream));
  }
  return streams;
}

// Validates, de-duplicates and registers. `make` builds a new instrument from its streams;
// `on_duplicate` runs when an identical instrument is returned instead. Null: a no-op handle.
template <typename Make, typename OnDuplicate>
std::shared_ptr<Instrument> Register(MeterState& meter, std::string_view name, InstrumentKind kind,
                                     InstrumentValueType value_type,
                                     const InstrumentOptions& options, Make&& make,
                                     OnDuplicate&& on_duplicate) {
  if (meter.provider->disabled) return nullptr;
  try {
    if (Status s = ValidateInstrumentName(name); !s.ok()) {
      Warn("metrics: meter " + meter.scope.name + ": " + s.message() +
           "; the instrument records nothing");
      return nullptr;
    }
    InstrumentDescriptor d{std::string(name), std::string(options.description),
                           std::string(options.unit), kind, value_type};
    if (Status s = ValidateUnit(options.unit); !s.ok()) {
      Warn("metrics: instrument " + d.name + ": " + s.message() + "; exporting it without a unit");
      d.unit.clear();
    }
    std::lock_guard lock(meter.mutex);
    for (const std::shared_ptr<Instrument>& existing : meter.instruments) {
      const InstrumentDescriptor& e = existing->descriptor();
      if (!EqualsIgnoreCase(e.name, d.name)) continue;
      if (e.kind == kind && e.value_type == value_type) {
        if (e.unit != d.unit || e.description != d.description) {
          Warn("metrics: instrument " + d.name +
               " registered again with another unit or description; keeping the first");
        }
        on_duplicate(*existing);
        return existing;
      }
      Warn("metrics: instrument " + d.name + " registered as a " + std::string(KindName(kind)) +
           " conflicts with an existing " + std::string(KindName(e.kind)) +
           " of the same name; both are exported");
    }
    std::vector<StreamConfig> streams = StreamsFor(meter, d, options);
    std::shared_ptr<Instrument> instrument = make(std::move(d), std::move(streams));
    meter.instruments.push_back(instrument);
    return instrument;
  } catch (...) {  // out of memory while registering: a no-op handle
    return nullptr;
  }
}

template <typename Storage>
std::shared_ptr<Instrument> RegisterSync(MeterState& meter, std::string_view name,
                                         InstrumentKind kind, InstrumentValueType value_type,
                                         const InstrumentOptions& options) {
  auto make = [&meter](InstrumentDescriptor d, std::vector<StreamConfig> streams) {
    auto instrument = std::make_shared<SyncInstrument<Storage>>(std::move(d), meter.provider);
    for (StreamConfig& stream : streams) {
      instrument->storages.push_back(std::make_unique<Storage>(
          std::move(stream), meter.provider->reader_count, meter.provider->stats));
    }
    return instrument;
  };
  return Register(meter, name, kind, value_type, options, make, [](Instrument&) {});
}

// The instrument (null: no-op) and the id of the callback registered on it.
template <typename T>
std::pair<std::shared_ptr<Instrument>, std::uint64_t> RegisterObservable(
    MeterState& meter, std::string_view name, InstrumentKind kind, ObservableCallback<T> callback,
    const InstrumentOptions& options) {
  if (!callback) {
    Warn("metrics: observable instrument " + std::string(name) +
         " has no callback; it records nothing");
    return {nullptr, 0};
  }
  auto wrapped = [callback = std::move(callback)](Observations& observations) {
    ObserverResult<T> result(observations);
    callback(result);
  };
  constexpr InstrumentValueType value_type =
      std::is_same_v<T, double> ? InstrumentValueType::kDouble : InstrumentValueType::kInt64;
  auto make = [&](InstrumentDescriptor d, std::vector<StreamConfig> streams) {
    auto instrument =
        std::make_shared<ObservableInstrumentState>(std::move(d), meter.provider, wrapped);
    for (StreamConfig& stream : streams) {
      instrument->storages.push_back(
          std::make_unique<ObservableStorage>(std::move(stream), meter.provider->reader_count));
    }
    return instrument;
  };
  std::uint64_t callback_id = 1;  // the first callback of a new instrument
  auto on_duplicate = [&](Instrument& existing) {
    callback_id = static_cast<ObservableInstrumentState&>(existing).AddCallback(wrapped);
  };
  std::shared_ptr<Instrument> instrument =
      Register(meter, name, kind, value_type, options, make, on_duplicate);
  return {std::move(instrument), callback_id};
}

constexpr auto kInt = InstrumentValueType::kInt64;
constexpr auto kDouble = InstrumentValueType::kDouble;

}  // namespace

Status ValidateInstrumentName(std::string_view name) {
  auto quoted = [&] { return "instrument name '" + std::string(name) + "'"; };
  if (name.empty()) return InvalidArgumentError("instrument name is empty");
  if (name.size() > kMaxNameLength) {
    return InvalidArgumentError(quoted() + " is longer than 255 characters");
  }
  if (!std::isalpha(static_cast<unsigned char>(name[0])) ||
      static_cast<unsigned char>(name[0]) > 0x7f) {
    return InvalidArgumentError(quoted() + " must start with an ASCII letter");
  }
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x7f || !(std::isalnum(u) || c == '_' || c == '.' || c == '-' || c == '/')) {
      return InvalidArgumentError(quoted() +
                                  " may only contain ASCII letters, digits, '_', '.', '-' and '/'");
    }
  }
  return Status::Ok();
}

const InstrumentationScope& Meter::scope() const noexcept { return state_->scope; }

Counter<std::int64_t> Meter::CreateInt64Counter(std::string_view name,
                                                const InstrumentOptions& options) {
  return Counter<std::int64_t>(RegisterSync<SumStorage<std::int64_t>>(
      *state_, name, InstrumentKind::kCounter, kInt, options));
}
Counter<double> Meter::CreateDoubleCounter(std::string_view name,
                                           const InstrumentOptions& options) {
  return Counter<double>(
      RegisterSync<SumStorage<double>>(*state_, name, InstrumentKind::kCounter, kDouble, options));
}
UpDownCounter<std::int64_t> Meter::CreateInt64UpDownCounter(std::string_view name,
                                                            const InstrumentOptions& options) {
  return UpDownCounter<std::int64_t>(RegisterSync<SumStorage<std::int64_t>>(
      *state_, name, InstrumentKind::kUpDownCounter, kInt, options));
}
UpDownCounter<double> Meter::CreateDoubleUpDownCounter(std::string_view name,
                                                       const InstrumentOptions& options) {
  return UpDownCounter<double>(RegisterSync<SumStorage<double>>(
      *state_, name, InstrumentKind::kUpDownCounter, kDouble, options));
}
Histogram<std::int64_t> Meter::CreateInt64Histogram(std::string_view name,
                                                    const InstrumentOptions& options) {
  return Histogram<std::int64_t>(
      RegisterSync<HistogramStorage>(*state_, name, InstrumentKind::kHistogram, kInt, options));
}
Histogram<double> Meter::CreateDoubleHistogram(std::string_view name,
                                               const InstrumentOptions& options) {
  return Histogram<double>(
      RegisterSync<HistogramStorage>(*state_, name, InstrumentKind::kHistogram, kDouble, options));
}
Gauge<std::int64_t> Meter::CreateInt64Gauge(std::string_view name,
                                            const InstrumentOptions& options) {
  return Gauge<std::int64_t>(RegisterSync<GaugeStorage<std::int64_t>>(
      *state_, name, InstrumentKind::kGauge, kInt, options));
}
Gauge<double> Meter::CreateDoubleGauge(std::string_view name, const InstrumentOptions& options) {
  return Gauge<double>(
      RegisterSync<GaugeStorage<double>>(*state_, name, InstrumentKind::kGauge, kDouble, options));
}

ObservableInstrument Meter::CreateInt64ObservableCounter(std::string_view name,
                                                         ObservableCallback<std::int64_t> callback,
                                                         const InstrumentOptions& options) {
  auto [instrument, id] = RegisterObservable<std::int64_t>(
      *state_, name, InstrumentKind::kObservableCounter, std::move(callback), options);
  return ObservableInstrument(std::move(instrument), id);
}
ObservableInstrument Meter::CreateDoubleObservableCounter(std::string_view name,
                                                          ObservableCallback<double> callback,
                                                          const InstrumentOptions& options) {
  auto [instrument, id] = RegisterObservable<double>(
      *state_, name, InstrumentKind::kObservableCounter, std::move(callback), options);
  return ObservableInstrument(std::move(instrument), id);
}
ObservableInstrument Meter::CreateInt64ObservableUpDownCounter(
    std::string_view name, ObservableCallback<std::int64_t> callback,
    const InstrumentOptions& options) {
  auto [instrument, id] = RegisterObservable<std::int64_t>(
      *state_, name, InstrumentKind::kObservableUpDownCounter, std::move(callback), options);
  return ObservableInstrument(std::move(instrument), id);
}
ObservableInstrument Meter::CreateDoubleObservableUpDownCounter(std::string_view name,
                                                                ObservableCallback<double> callback,
                                                                const InstrumentOptions& options) {
  auto [instrument, id] = RegisterObservable<double>(
      *state_, name, InstrumentKind::kObservableUpDownCounter, std::move(callback), options);
  return ObservableInstrument(std::move(instrument), id);
}
ObservableInstrument Meter::CreateInt64ObservableGauge(std::string_view name,
                                                       ObservableCallback<std::int64_t> callback,
                                                       const InstrumentOptions& options) {
  auto [instrument, id] = RegisterObservable<std::int64_t>(
      *state_, name, InstrumentKind::kObservableGauge, std::move(callback), options);
  return ObservableInstrument(std::move(instrument), id);
}
ObservableInstrument Meter::CreateDoubleObservableGauge(std::string_view name,
                                                        ObservableCallback<double> callback,
                                                        const InstrumentOptions& options) {
  auto [instrument, id] = RegisterObservable<double>(
      *state_, name, InstrumentKind::kObservableGauge, std::move(callback), options);
  return ObservableInstrument(std::move(instrument), id);
}

}  // namespace llmtrace::metrics
