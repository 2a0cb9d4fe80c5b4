// Instrumentation: the entry point of the GenAI patterns. It turns each LLM call, embedding,
// retrieval, rerank, tool call, agent run and pipeline into a span with the GenAI semantic
// conventions, the matching metrics, the call's cost from the pricing catalog, a budget
// reservation settled with the real cost, and one structured log record per LLM call.
//
// Build one at start-up from the providers you already have and keep it for the process's life.
// Every part is optional: without a meter provider no metrics are recorded, without a pricing
// catalog every call is unpriced, and so on. Content (prompts, answers) is not captured unless
// `content_capture` says so, and is always redacted when it is.
// Thread-safety: all members may be called from any thread; the span objects it hands out are
// used by one thread at a time (move them to hand them over).
//
//   auto genai = *Instrumentation::Create({.tracer_provider = tracers, .meter_provider = meters,
//                                          .logger_provider = logs, .pricing = catalog});
//   InferenceSpan call = genai->StartInference({.provider = "openai", .model = "gpt-4o"});
//   call.SetUsage({.input_tokens = 1523, .output_tokens = 847}); call.End();
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/genai/agent_spans.h"
#include "llmtrace/genai/inference_span.h"
#include "llmtrace/genai/retrieval_spans.h"
#include "llmtrace/genai/semconv.h"

namespace llmtrace::trace {
class TracerProvider;
}
namespace llmtrace::metrics {
class MeterProvider;
}
namespace llmtrace::logs {
class LoggerProvider;
}

namespace llmtrace::genai {

class PricingCatalog;  // pricing_catalog.h
class BudgetLedger;    // budget_ledger.h
class ContentCapture;  // content_capture.h
class SlaMonitor;      // sla_monitor.h

struct InstrumentationOptions {
  std::shared_ptr<trace::TracerProvider> tracer_provider;  // null: no spans
  std::shared_ptr<metrics::MeterProvider> meter_provider;  // null: no metrics
  std::shared_ptr<logs::LoggerProvider> logger_provider;   // null: no call log records
  std::shared_ptr<const PricingCatalog> pricing;           // null: every call is unpriced
  std::shared_ptr<BudgetLedger> budgets;                   // null: no budget enforcement
  std::shared_ptr<const ContentCapture> content_capture;   // null: NO_CONTENT
  // OTEL_SEMCONV_STABILITY_OPT_IN.
  SemconvFlavour semconv = SemconvFlavour::kV141;
  // LLMTRACE_BAGGAGE_KEYS: W3C baggage members copied onto every GenAI span and log record
  // (comma-separated). Only these: baggage comes from outside and must not flood attributes.
  std::vector<std::string> baggage_keys = {"user.id", "session.id", "tenant.id"};
  // SHA-256 of prompts, responses, tool arguments and queries (LLMTRACE_HASH_CONTENT).
  bool hash_content = true;
  // Budget reservations estimate output as max_tokens, or this when the request sets none.
  std::int64_t default_output_tokens_estimate = 1024;
  // Durations and time to first chunk; null: the system clock.
  const Clock* clock = nullptr;
  // Every ended inference call is recorded into it (latency, TTFT, failed, cost); null: none.
  std::shared_ptr<SlaMonitor> sla_monitor;
};

// Fills semconv, baggage_keys, hash_content and content_capture from the environment
// (OTEL_SEMCONV_STABILITY_OPT_IN, LLMTRACE_BAGGAGE_KEYS, LLMTRACE_HASH_CONTENT,
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT, LLMTRACE_CONTENT_MAX_LENGTH); the
// providers, pricing and budgets are left for the caller. Errors name the variable.
Result<InstrumentationOptions> InstrumentationOptionsFromEnvironment(const Environment& env);

namespace internal {
struct InstrumentationState;
}

class Instrumentation {
 public:
  static Result<std::shared_ptr<Instrumentation>> Create(InstrumentationOptions options);
  ~Instrumentation();

  // Every Start* call is noexcept and returns a usable object even when telemetry is off.
  InferenceSpan StartInference(const InferenceRequest& request) const noexcept;
  EmbeddingsSpan StartEmbeddings(const EmbeddingsRequest& request) const noexcept;
  RetrievalSpan StartRetrieval(const RetrievalRequest& request) const noexcept;
  RerankSpan StartRerank(const RerankRequest& request) const noexcept;
  ToolSpan StartTool(const ToolRequest& request) const noexcept;
  AgentSpan StartAgent(const AgentRequest& request) const noexcept;
  WorkflowSpan StartWorkflow(const WorkflowRequest& request) const noexcept;

  SemconvFlavour semconv() const noexcept;

 private:
  explicit Instrumentation(std::shared_ptr<const internal::InstrumentationState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<const internal::InstrumentationState> state_;
};

}  // namespace llmtrace::genai
