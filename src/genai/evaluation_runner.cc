#include <string>

#include "llmtrace/genai/evaluation.h"
#include "llmtrace/genai/redactor.h"
#include "llmtrace/genai/semconv.h"
#include "llmtrace/genai/sla_monitor.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/trace/tracer_provider.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {

struct EvaluationRunner::Impl {
  EvaluationRunnerOptions options;
  std::shared_ptr<trace::Tracer> tracer;
  metrics::Counter<std::int64_t> evaluations;
};

EvaluationRunner::EvaluationRunner(EvaluationRunnerOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (options.tracer_provider) {
    impl_->tracer =
        options.tracer_provider->GetTracer(internal::kGenAiScopeName, internal::kGenAiScopeVersion);
  }
  if (options.meter_provider) {
    auto meter =
        options.meter_provider->GetMeter(internal::kGenAiScopeName, internal::kGenAiScopeVersion);
    impl_->evaluations = meter->CreateInt64Counter(
        metric::kEvaluations,
        {"Answers evaluated, by evaluation and verdict label (hallucination rate = "
         "label hallucinated / all).",
         "{evaluation}",
         {}});
  }
  impl_->options = std::move(options);
}

EvaluationRunner::~EvaluationRunner() = default;

Result<EvaluationResult> EvaluationRunner::Run(Evaluator& evaluator,
                                               const EvaluationInput& input) noexcept {
  Impl& m = *impl_;
  trace::Span span;
  if (m.tracer) {
    trace::StartSpanOptions start;
    if (input.parent) start.parent = &*input.parent;
    span = m.tracer->StartSpan(
        internal::OperationSpanName("evaluate", evaluator.name()),  // noexcept, unlike operator+
        {{attr::kEvaluationName, evaluator.name()}, {attr::kRequestModel, input.model}}, start);
  }
  Result<EvaluationResult> result = evaluator.Evaluate(input);
  const std::string_view label = result.ok() ? std::string_view(result->label) : "error";
  m.evaluations.Add(1, {{attr::kEvaluationName, evaluator.name()},
                        {attr::kEvaluationScoreLabel, label},
                        {attr::kRequestModel, input.model}});
  if (!result.ok()) {
    span.SetAttribute(attr::kErrorType, "evaluation_failed");
    span.SetStatus(trace::SpanStatus::kError, result.status().message());
    span.End();
    return result;
  }
  if (m.options.monitor) m.options.monitor->RecordVerdict(input.model, result->hallucinated);
  if (span.IsRecording()) {
    std::string explanation;
    if (m.options.record_explanation) {
      try {
        explanation = m.options.redactor ? m.options.redactor->Redact(result->explanation)
                                         : result->explanation;
      } catch (...) {  // out of memory: the event goes without its explanation
      }
    }
    if (explanation.empty()) {
      span.AddEvent(event::kEvaluationResult, {{attr::kEvaluationName, result->name},
                                               {attr::kEvaluationScoreValue, result->score},
                                               {attr::kEvaluationScoreLabel, result->label}});
    } else {
      span.AddEvent(event::kEvaluationResult, {{attr::kEvaluationName, result->name},
                                               {attr::kEvaluationScoreValue, result->score},
                                               {attr::kEvaluationScoreLabel, result->label},
                                               {attr::kEvaluationExplanation, explanation}});
    }
    span.SetAttribute(attr::kEvaluationScoreLabel, result->label);
    span.SetAttribute(attr::kEvaluationScoreValue, result->score);
  }
  span.End();
  return result;
}

}  // namespace llmtrace::genai
