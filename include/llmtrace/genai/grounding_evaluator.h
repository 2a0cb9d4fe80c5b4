// GroundingEvaluator: an offline hallucination check that needs no model.
//
// It splits the answer into statements (sentences) and checks each against the context by
// overlap: the share of the statement's content words (stop words dropped, crude suffix
// stemming) and word pairs found in the context, and its "entities" (numbers, and capitalised
// words not at a sentence start) which must all appear in the context. A statement below
// min_support, or with an entity the context does not contain, is unsupported; statements with
// fewer than three content words ("Sure!", "Here is the answer:") are not judged. The verdict is
// "hallucinated" when any judged statement is unsupported; the score is the share of judged
// statements that are supported (1 when there are none).
// It is a screen, not a judge: paraphrase lowers overlap and a wrong statement made of context
// words passes. It is cheap enough to run on every answer and to decide which answers the LLM
// judge should look at. Thread-safety: Evaluate may run on any number of threads at once.
//
//   GroundingEvaluator grounding;
//   auto result = grounding.Evaluate({.answer = answer, .context = documents});
//   if (result.ok() && result->hallucinated) ...
#pragma once

#include "llmtrace/genai/evaluation.h"

namespace llmtrace::genai {

struct GroundingOptions {
  // Share of a statement's content words and word pairs that must be in the context.
  double min_support = 0.6;
};

class GroundingEvaluator final : public Evaluator {
 public:
  explicit GroundingEvaluator(GroundingOptions options = {}) : options_(options) {}
  std::string_view name() const noexcept override { return "grounding"; }
  Result<EvaluationResult> Evaluate(const EvaluationInput& input) noexcept override;

 private:
  GroundingOptions options_;
};

}  // namespace llmtrace::genai
