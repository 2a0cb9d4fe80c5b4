// Meter: creates the instruments of one instrumentation scope ("llmtrace.genai", "my-rag-app").
//
// Get one from MeterProvider::GetMeter and create instruments at start-up; keep the handles.
// Creating an instrument is not the hot path (it takes a lock and applies the provider's views).
// Names follow the OpenTelemetry syntax (an ASCII letter, then up to 254 letters, digits, '_',
// '.', '-' or '/'); an invalid name logs a warning and yields a no-op instrument. Registering
// the same name (case-insensitively) and kind again returns the same instrument; a conflicting
// registration (another kind or value type) logs a warning and creates a separate instrument,
// whose stream is exported next to the first.
// Thread-safety: every member may be called from any thread.
//
//   auto meter = provider->GetMeter("llmtrace.genai", "0.1.0");
//   auto duration = meter->CreateDoubleHistogram("gen_ai.client.operation.duration",
//       {.unit = "s", .bucket_boundaries = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28}});
//   duration.Record(0.42, {{"gen_ai.request.model", "gpt-4o"}});
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/status.h"
#include "llmtrace/metrics/instruments.h"
#include "llmtrace/metrics/observable_instruments.h"

namespace llmtrace::metrics {

namespace internal {
class MeterState;
}  // namespace internal

struct InstrumentOptions {
  std::string_view description;
  std::string_view unit;  // UCUM: "s", "{token}", "By"; at most 63 ASCII characters
  // Histograms: advised explicit bucket boundaries, ascending. Empty: the specification's
  // defaults (kDefaultHistogramBoundaries). A view's boundaries take precedence.
  std::vector<double> bucket_boundaries;
};

// The OpenTelemetry SDK's default explicit bucket boundaries.
inline constexpr double kDefaultHistogramBoundaries[] = {
    0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000};

// OK, or kInvalidArgument naming the rule the name breaks.
Status ValidateInstrumentName(std::string_view name);

class Meter {
 public:
  Counter<std::int64_t> CreateInt64Counter(std::string_view name,
                                           const InstrumentOptions& options = {});
  Counter<double> CreateDoubleCounter(std::string_view name, const InstrumentOptions& options = {});
  UpDownCounter<std::int64_t> CreateInt64UpDownCounter(std::string_view name,
                                                       const InstrumentOptions& options = {});
  UpDownCounter<double> CreateDoubleUpDownCounter(std::string_view name,
                                                  const InstrumentOptions& options = {});
  Histogram<std::int64_t> CreateInt64Histogram(std::string_view name,
                                               const InstrumentOptions& options = {});
  Histogram<double> CreateDoubleHistogram(std::string_view name,
                                          const InstrumentOptions& options = {});
  Gauge<std::int64_t> CreateInt64Gauge(std::string_view name,
                                       const InstrumentOptions& options = {});
  Gauge<double> CreateDoubleGauge(std::string_view name, const InstrumentOptions& options = {});

  ObservableInstrument CreateInt64ObservableCounter(std::string_view name,
                                                    ObservableCallback<std::int64_t> callback,
                                                    const InstrumentOptions& options = {});
  ObservableInstrument CreateDoubleObservableCounter(std::string_view name,
                                                     ObservableCallback<double> callback,
                                                     const InstrumentOptions& options = {});
  ObservableInstrument CreateInt64ObservableUpDownCounter(std::string_view name,
                                                          ObservableCallback<std::int64_t> callback,
                                                          const InstrumentOptions& options = {});
  ObservableInstrument CreateDoubleObservableUpDownCounter(std::string_view name,
                                                           ObservableCallback<double> callback,
                                                           const InstrumentOptions& options = {});
  ObservableInstrument CreateInt64ObservableGauge(std::string_view name,
                                                  ObservableCallback<std::int64_t> callback,
                                                  const InstrumentOptions& options = {});
  ObservableInstrument CreateDoubleObservableGauge(std::string_view name,
                                                   ObservableCallback<double> callback,
                                                   const InstrumentOptions& options = {});

  const InstrumentationScope& scope() const noexcept;

  // Used by MeterProvider.
  explicit Meter(std::shared_ptr<internal::MeterState> state) noexcept : state_(std::move(state)) {}

 private:
  std::shared_ptr<internal::MeterState> state_;
};

}  // namespace llmtrace::metrics
