// Evaluations: checks of an answer after the call (seed pattern 5's hallucination detection), and
// the runner that records them.
//
// An Evaluator looks at a question, an answer and the context the answer should rest on, and
// returns a verdict. Two ship with llmtrace: an LLM-as-judge hallucination check with the seed's
// prompt and any model client (hallucination_judge.h), and an offline grounding check that needs
// no model (grounding_evaluator.h). EvaluationRunner runs one and records the result:
//   - an `evaluate {name}` span (child of the evaluated call's span when its context is given)
//     with a `gen_ai.evaluation.result` event: gen_ai.evaluation.name, .score.value,
//     .score.label, and .explanation when explanations are enabled (they quote content);
//   - the counter llmtrace.genai.evaluations {evaluation} by gen_ai.evaluation.name,
//     gen_ai.evaluation.score.label and gen_ai.request.model, from which dashboards compute the
//     hallucination rate;
//   - the verdict into an SlaMonitor (its hallucination-rate rule).
// An evaluator that fails (the judge's model is down, its reply cannot be read) returns a Status;
// the runner records the span as an error with label "error" and feeds no verdict. Nothing
// throws. Thread-safety: the runner may be used from any thread; evaluators must be too.
//
//   EvaluationRunner runner({.meter_provider = meters, .tracer_provider = tracers, .monitor =
//   sla}); GroundingEvaluator grounding; auto verdict = runner.Run(grounding, {.query = q, .answer
//   = a, .context = docs,
//                                         .model = "gpt-4o", .parent = call.context()});
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/trace/context.h"

namespace llmtrace::trace {
class TracerProvider;
}
namespace llmtrace::metrics {
class MeterProvider;
}

namespace llmtrace::genai {

class SlaMonitor;
class Redactor;

struct EvaluationInput {
  std::string_view query;
  std::string_view answer;
  std::string_view context;  // what the answer must be supported by (retrieved documents, ...)
  std::string_view model;    // the evaluated call's gen_ai.request.model (grouping)
  std::optional<trace::Context> parent;  // the evaluated call's context (call.context())
};

struct EvaluationResult {
  std::string name;   // gen_ai.evaluation.name: "hallucination", "grounding"
  double score = 0;   // gen_ai.evaluation.score.value, 0..1 (meaning per evaluator)
  std::string label;  // gen_ai.evaluation.score.label: "hallucinated" or "supported"
  std::string explanation;
  bool hallucinated = false;  // the verdict the hallucination rate counts
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual std::string_view name() const noexcept = 0;
  virtual Result<EvaluationResult> Evaluate(const EvaluationInput& input) noexcept = 0;
};

struct EvaluationRunnerOptions {
  std::shared_ptr<metrics::MeterProvider> meter_provider;  // null: no counter
  std::shared_ptr<trace::TracerProvider> tracer_provider;  // null: no span
  std::shared_ptr<SlaMonitor> monitor;                     // null: no SLA feed
  // Explanations quote the answer or context, so they are recorded only when asked, and then
  // through the redactor when one is given.
  bool record_explanation = false;
  std::shared_ptr<const Redactor> redactor;
};

class EvaluationRunner {
 public:
  explicit EvaluationRunner(EvaluationRunnerOptions options);
  ~EvaluationRunner();
  EvaluationRunner(const EvaluationRunner&) = delete;
  EvaluationRunner& operator=(const EvaluationRunner&) = delete;

  Result<EvaluationResult> Run(Evaluator& evaluator, const EvaluationInput& input) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmtrace::genai
