// LlmJudgeEvaluator: the seed's hallucination check (pattern 5) with any model as the judge, and
// a reader for the judge's reply that never crashes.
//
// The judge gets the seed's prompt (the context, the answer, and the request to return
// {"is_hallucination": true/false, "confidence": 0.0-1.0, "reason": "..."}) through a
// JudgeModel callback, so any client works: llmtrace's, an SDK, or a local model. The seed then
// calls json.loads on the reply, which raises on the first ```json fence, trailing remark or cut
// reply. ParseJudgeReply instead takes the first JSON object in the reply (inside a fence or
// prose), accepts "true"/"yes"/1 for booleans and "0.9"/"90%" for confidences, and when there is
// no object at all, reads an "is_hallucination": ... pair from the text; anything else is a
// kInvalidArgument Status that quotes the start of the reply.
// Score: the judge's confidence that the answer is hallucinated (1 - its confidence when it
// says the answer is supported). Thread-safety: as thread-safe as the JudgeModel.
//
//   LlmJudgeEvaluator judge([&](std::string_view prompt) { return client.Complete("gpt-4o-mini",
//                                                                                   prompt); });
//   auto verdict = runner.Run(judge, {.answer = answer, .context = context});
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/genai/evaluation.h"

namespace llmtrace::genai {

// Sends a prompt to the judge model, returns its reply text (or why there is none).
using JudgeModel = std::function<Result<std::string>(std::string_view prompt)>;

struct JudgeVerdict {
  bool is_hallucination = false;
  double confidence = 0;  // 0..1; 0.5 when the judge gave none
  std::string reason;
};

Result<JudgeVerdict> ParseJudgeReply(std::string_view reply);

// The seed's prompt for `context` and `answer`.
std::string HallucinationJudgePrompt(std::string_view context, std::string_view answer);

class LlmJudgeEvaluator final : public Evaluator {
 public:
  explicit LlmJudgeEvaluator(JudgeModel judge) : judge_(std::move(judge)) {}
  std::string_view name() const noexcept override { return "hallucination"; }
  Result<EvaluationResult> Evaluate(const EvaluationInput& input) noexcept override;

 private:
  JudgeModel judge_;
};

}  // namespace llmtrace::genai
