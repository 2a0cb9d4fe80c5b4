// The shared, immutable state behind an Instrumentation and every span helper it hands out.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/internal_log.h"
#include "llmtrace/genai/semconv.h"
#include "llmtrace/logs/logger.h"
#include "llmtrace/metrics/observable_instruments.h"
#include "llmtrace/trace/tracer.h"
#include "src/genai/genai_instruments.h"
#include "src/genai/inference_series_cache.h"

namespace llmtrace::genai {
class PricingCatalog;
class BudgetLedger;
class ContentCapture;
class SlaMonitor;
}  // namespace llmtrace::genai

namespace llmtrace::genai::internal {

// The instrumentation scope of everything the genai layer records.
inline constexpr std::string_view kGenAiScopeName = "llmtrace.genai";
inline constexpr std::string_view kGenAiScopeVersion = "0.1.0";

struct InstrumentationState {
  std::shared_ptr<trace::Tracer> tracer;  // null: no spans
  std::shared_ptr<logs::Logger> logger;   // null: no call log
  GenAiInstruments instruments;
  InferenceSeriesCache inference_series;
  std::shared_ptr<const PricingCatalog> pricing;
  std::shared_ptr<BudgetLedger> budgets;
  std::shared_ptr<const ContentCapture> content_capture;  // null: NO_CONTENT
  std::shared_ptr<SlaMonitor> sla_monitor;                // null: none
  SemconvFlavour semconv = SemconvFlavour::kV141;
  std::vector<std::string> baggage_keys;
  bool hash_content = true;
  std::int64_t default_output_tokens_estimate = 1024;
  const Clock* clock = nullptr;  // never null after Create
  // The budget gauges' callbacks (budget_gauges.h), unregistered with the state.
  std::vector<metrics::ObservableInstrument> budget_gauges;

  InstrumentationState() = default;
  InstrumentationState(const InstrumentationState&) = delete;
  InstrumentationState& operator=(const InstrumentationState&) = delete;
  ~InstrumentationState() {
    for (metrics::ObservableInstrument& gauge : budget_gauges) gauge.Unregister();
  }

  bool capture_content() const noexcept;

  // Starts a span with the given start attributes plus the allow-listed baggage members of the
  // parent context (explicit or current). A non-recording span when there is no tracer.
  trace::Span StartSpan(std::string_view name, std::span<const KeyValue> attributes,
                        trace::SpanKind kind, const trace::Context* parent) const noexcept;
};

// "{operation} {target}", the conventions' span name ("chat gpt-4o", "execute_tool search"), or
// just the operation when there is no target. Empty (an unnamed span) only when out of memory.
std::string OperationSpanName(std::string_view operation, std::string_view target) noexcept;

}  // namespace llmtrace::genai::internal
