#include "llmtrace/metrics/meter_provider.h"

#include <atomic>
#include <deque>
#include <mutex>

#include "llmtrace/common/internal_log.h"
#include "src/metrics/meter_state.h"
#include "src/metrics/provider_state.h"

namespace llmtrace::metrics {
namespace internal {

class MeterProviderCore {
 public:
  struct ReaderSlot {
    std::shared_ptr<MetricReader> reader;
    std::mutex mutex;             // one collection per reader at a time
    Timestamp last_collection{};  // guarded by mutex
  };

  ResourceMetrics Collect(std::size_t reader_index) {
    ReaderSlot& slot = readers[reader_index];
    std::lock_guard lock(slot.mutex);
    CollectContext context;
    context.reader_index = reader_index;
    context.reader = slot.reader.get();
    context.cumulative_start = state->start_time;
    context.delta_start = slot.last_collection;
    context.now = state->clock->Now();

    std::vector<std::shared_ptr<MeterState>> snapshot;
    {
      std::lock_guard meters_lock(meters_mutex);
      for (const auto& [meter_state, meter] : meters) snapshot.push_back(meter_state);
    }
    ResourceMetrics out;
    out.resource = resource;
    for (const std::shared_ptr<MeterState>& meter : snapshot) {
      std::vector<MetricData> metrics = meter->Collect(context);
      if (metrics.empty()) continue;
      out.scopes.push_back(ScopeMetrics{meter->scope, std::move(metrics)});
    }
    slot.last_collection = context.now;
    return out;
  }

  std::shared_ptr<ProviderState> state;
  std::shared_ptr<const Resource> resource;
  std::deque<ReaderSlot> readers;  // a deque: slots hold a mutex and never move
  std::mutex meters_mutex;
  std::vector<std::pair<std::shared_ptr<MeterState>, std::shared_ptr<Meter>>> meters;
  std::atomic<bool> shut_down{false};
};

}  // namespace internal

Result<std::shared_ptr<MeterProvider>> MeterProvider::Create(MeterProviderOptions options) {
  for (std::size_t i = 0; i < options.readers.size(); ++i) {
    if (!options.readers[i]) {
      return InvalidArgumentError("meter provider: readers[" + std::to_string(i) + "] is null");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (options.readers[j] == options.readers[i]) {
        return InvalidArgumentError("meter provider: readers[" + std::to_string(i) +
                                    "] is listed twice");
      }
    }
  }
  for (std::size_t i = 0; i < options.views.size(); ++i) {
    Status s = ValidateView(options.views[i]);
    if (!s.ok()) return s.WithContext("meter provider: views[" + std::to_string(i) + "]");
  }
  if (options.cardinality_limit < 2) {
    return InvalidArgumentError("meter provider: cardinality_limit must be at least 2, got " +
                                std::to_string(options.cardinality_limit));
  }

  const Environment& environment =
      options.environment ? *options.environment : ProcessEnvironment::Instance();
  EnvironmentReader env(environment);

  auto state = std::make_shared<internal::ProviderState>();
  state->disabled = env.GetBool("OTEL_SDK_DISABLED", false);
  state->clock = options.clock ? options.clock : &SystemClock::Instance();
  state->views = std::move(options.views);
  state->cardinality_limit = options.cardinality_limit;
  state->reader_count = options.readers.size();
  state->start_time = state->clock->Now();

  auto core = std::make_shared<internal::MeterProviderCore>();
  core->state = state;
  core->resource =
      std::make_shared<const Resource>(Resource::Create(options.resource_attributes, env));
  for (std::shared_ptr<MetricReader>& reader : options.readers) {
    core->readers.emplace_back().reader = std::move(reader);
    core->readers.back().last_collection = state->start_time;
  }
  env.LogWarnings();

  std::weak_ptr<internal::MeterProviderCore> weak = core;
  for (std::size_t i = 0; i < core->readers.size(); ++i) {
    Status s = core->readers[i].reader->SetCollector([weak, i](const MetricReader&) {
      std::shared_ptr<internal::MeterProviderCore> c = weak.lock();
      if (!c) return ResourceMetrics{};
      return c->Collect(i);
    });
    if (!s.ok()) return s.WithContext("meter provider: readers[" + std::to_string(i) + "]");
  }
  return std::shared_ptr<MeterProvider>(new MeterProvider(std::move(core)));
}

MeterProvider::~MeterProvider() { (void)Shutdown(); }

std::shared_ptr<Meter> MeterProvider::GetMeter(std::string_view name, std::string_view version,
                                               std::string_view schema_url) {
  std::lock_guard lock(core_->meters_mutex);
  for (const auto& [state, meter] : core_->meters) {
    const InstrumentationScope& scope = state->scope;
    if (scope.name == name && scope.version == version && scope.schema_url == schema_url) {
      return meter;
    }
  }
  if (name.empty()) {
    InternalLog(LogLevel::kWarning, "metrics: GetMeter called with an empty meter name");
  }
  auto state = std::make_shared<internal::MeterState>(
      InstrumentationScope{std::string(name), std::string(version), std::string(schema_url),
                           AttributeSet()},
      core_->state);
  auto meter = std::make_shared<Meter>(state);
  core_->meters.emplace_back(std::move(state), meter);
  return meter;
}

namespace {

std::chrono::milliseconds Remaining(MonotonicTime deadline, const Clock& clock) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.MonotonicNow());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

}  // namespace

Status MeterProvider::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  const Clock& clock = *core_->state->clock;
  const MonotonicTime deadline = clock.MonotonicNow() + timeout;
  Status result;
  for (internal::MeterProviderCore::ReaderSlot& slot : core_->readers) {
    Status s = slot.reader->ForceFlush(Remaining(deadline, clock));
    if (!s.ok() && result.ok()) result = s;
  }
  return result;
}

Status MeterProvider::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (core_->shut_down.exchange(true)) return Status::Ok();
  const Clock& clock = *core_->state->clock;
  const MonotonicTime deadline = clock.MonotonicNow() + timeout;
  Status result;
  for (internal::MeterProviderCore::ReaderSlot& slot : core_->readers) {
    Status s = slot.reader->Shutdown(Remaining(deadline, clock));
    if (!s.ok() && result.ok()) result = s;
  }
  return result;
}

const Resource& MeterProvider::resource() const noexcept { return *core_->resource; }
bool MeterProvider::disabled() const noexcept { return core_->state->disabled; }

MeterProviderStats MeterProvider::stats() const noexcept {
  const internal::ProviderStats& s = core_->state->stats;
  MeterProviderStats out;
  out.negative_values_dropped = s.negative_values_dropped.load(std::memory_order_relaxed);
  out.invalid_values_dropped = s.invalid_values_dropped.load(std::memory_order_relaxed);
  out.overflow_measurements = s.overflow_measurements.load(std::memory_order_relaxed);
  out.allocation_failures = s.allocation_failures.load(std::memory_order_relaxed);
  return out;
}

}  // namespace llmtrace::metrics
