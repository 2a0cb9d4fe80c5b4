// Evaluations: the judge's reply reader, the LLM judge, the offline grounding check and the
// runner that records spans, events, the counter and SLA verdicts.
#include "llmtrace/genai/evaluation.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "llmtrace/genai/grounding_evaluator.h"
#include "llmtrace/genai/hallucination_judge.h"
#include "llmtrace/genai/redactor.h"
#include "llmtrace/genai/semconv.h"
#include "llmtrace/genai/sla_monitor.h"
#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using testing::GenAiPipeline;
namespace mt = metrics::testing;

// --- ParseJudgeReply

struct Reply {
  const char* text;
  bool hallucination;
  double confidence;
  const char* reason;
};

class JudgeReplyTest : public ::testing::TestWithParam<Reply> {};

TEST_P(JudgeReplyTest, ReadsTheVerdict) {
  auto verdict = ParseJudgeReply(GetParam().text);
  ASSERT_TRUE(verdict.ok()) << verdict.status().ToString() << "\n" << GetParam().text;
  EXPECT_EQ(verdict->is_hallucination, GetParam().hallucination);
  EXPECT_DOUBLE_EQ(verdict->confidence, GetParam().confidence);
  EXPECT_EQ(verdict->reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Replies, JudgeReplyTest,
    ::testing::Values(
        Reply{R"({"is_hallucination": true, "confidence": 0.9, "reason": "cites a 60-day window"})",
              true, 0.9, "cites a 60-day window"},
        // The fence that makes the seed's json.loads raise.
        Reply{
            "```json\n{\"is_hallucination\": false, \"confidence\": 0.8, \"reason\": \"ok\"}\n```",
            false, 0.8, "ok"},
        Reply{"Sure! Here is my assessment:\n{\"is_hallucination\": \"yes\", \"confidence\": "
              "\"85%\", \"reason\": \"x\"}\nLet me know if you need more.",
              true, 0.85, "x"},
        Reply{R"({"is_hallucination": 1, "confidence": 95, "reason": "{braces} in text"})", true,
              0.95, "{braces} in text"},
        Reply{R"({"is_hallucination": false})", false, 0.5, ""},
        Reply{
            R"({"note": "first object has no verdict"} {"isHallucination": true, "confidence": 0.7})",
            true, 0.7, ""},
        // Cut off mid-reason (a max_tokens stop): read from the text.
        Reply{R"({"is_hallucination": true, "confidence": 0.75, "reason": "The answer says)", true,
              0.75, "The answer says"},
        Reply{"is_hallucination: false, confidence: 0.6", false, 0.6, ""}));

TEST(JudgeReplyErrorTest, GarbledRepliesAreAClearErrorNotACrash) {
  for (const char* reply : {"", "I cannot determine that.", "{\"confidence\": 0.4}", "{{{{",
                            "\x01\x02 binary", "{\"is_hallucination\": \"maybe\"}"}) {
    auto verdict = ParseJudgeReply(reply);
    ASSERT_FALSE(verdict.ok()) << reply;
    EXPECT_NE(verdict.status().message().find("no is_hallucination verdict"), std::string::npos)
        << verdict.status().message();
  }
}

// --- LlmJudgeEvaluator

TEST(LlmJudgeEvaluatorTest, SendsTheSeedsPromptAndScoresTheVerdict) {
  std::string prompt;
  LlmJudgeEvaluator judge([&prompt](std::string_view p) -> Result<std::string> {
    prompt = std::string(p);
    return std::string(R"({"is_hallucination": false, "confidence": 0.8, "reason": "fine"})");
  });
  auto result = judge.Evaluate({.answer = "30 days.", .context = "Returns within 30 days."});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NE(prompt.find("Context:\nReturns within 30 days.\n\nAnswer:\n30 days."),
            std::string::npos)
      << prompt;
  EXPECT_NE(prompt.find("\"is_hallucination\": true/false"), std::string::npos);
  EXPECT_EQ(result->label, "supported");
  EXPECT_FALSE(result->hallucinated);
  EXPECT_NEAR(result->score, 0.2, 1e-12);  // confidence it is hallucinated
}

TEST(LlmJudgeEvaluatorTest, AFailingOrThrowingJudgeIsAnError) {
  LlmJudgeEvaluator down([](std::string_view) -> Result<std::string> {
    return UnavailableError("judge model unreachable");
  });
  auto result = down.Evaluate({.answer = "a", .context = "b"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("judge model unreachable"), std::string::npos);
  LlmJudgeEvaluator throwing(
      [](std::string_view) -> Result<std::string> { throw std::runtime_error("boom"); });
  result = throwing.Evaluate({.answer = "a", .context = "b"});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("boom"), std::string::npos);
}

// --- GroundingEvaluator

constexpr std::string_view kPolicy =
    "Returns are accepted within 30 days of delivery. Refunds are issued to the original payment "
    "method within 5 business days. Return shipping is free for customers in Germany.";

TEST(GroundingEvaluatorTest, AnAnswerMadeOfTheContextIsSupported) {
  GroundingEvaluator grounding;
  auto result = grounding.Evaluate(
      {.answer = "Sure! You can return it within 30 days of delivery. The refund is issued to the "
                 "original payment method within 5 business days.",
       .context = kPolicy});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->hallucinated) << result->explanation;
  EXPECT_EQ(result->score, 1.0);
  EXPECT_EQ(result->label, "supported");
}

TEST(GroundingEvaluatorTest, AWrongNumberOrAnInventedNameIsAHallucination) {
  GroundingEvaluator grounding;
  auto wrong_number = grounding.Evaluate(
      {.answer = "Returns are accepted within 60 days of delivery.", .context = kPolicy});
  ASSERT_TRUE(wrong_number.ok());
  EXPECT_TRUE(wrong_number->hallucinated);
  EXPECT_NE(wrong_number->explanation.find("not in the context: 60"), std::string::npos)
      << wrong_number->explanation;
  auto invented = grounding.Evaluate(
      {.answer = "Return shipping is free for customers in Austria.", .context = kPolicy});
  ASSERT_TRUE(invented.ok());
  EXPECT_TRUE(invented->hallucinated);
  auto unrelated = grounding.Evaluate(
      {.answer = "Our headquarters moved last spring after the merger talks collapsed.",
       .context = kPolicy});
  ASSERT_TRUE(unrelated.ok());
  EXPECT_TRUE(unrelated->hallucinated);
  EXPECT_EQ(unrelated->score, 0.0);
}

TEST(GroundingEvaluatorTest, ShortFillerIsNotJudgedAndAnEmptyAnswerIsSupported) {
  GroundingEvaluator grounding;
  auto filler = grounding.Evaluate({.answer = "Sure! Happy to help.", .context = kPolicy});
  ASSERT_TRUE(filler.ok());
  EXPECT_FALSE(filler->hallucinated);
  EXPECT_EQ(filler->score, 1.0);
  auto empty = grounding.Evaluate({.answer = "", .context = ""});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->hallucinated);
}

// --- EvaluationRunner

class FixedEvaluator final : public Evaluator {
 public:
  explicit FixedEvaluator(Result<EvaluationResult> result) : result_(std::move(result)) {}
  std::string_view name() const noexcept override { return "hallucination"; }
  Result<EvaluationResult> Evaluate(const EvaluationInput&) noexcept override { return result_; }

 private:
  Result<EvaluationResult> result_;
};

EvaluationResult Hallucinated(std::string explanation = "mentions bob@example.com") {
  return {.name = "hallucination",
          .score = 0.9,
          .label = "hallucinated",
          .explanation = std::move(explanation),
          .hallucinated = true};
}

TEST(EvaluationRunnerTest, RecordsASpanUnderTheCallWithTheEvaluationEventAndTheCounter) {
  GenAiPipeline p;
  EvaluationRunner runner(
      {.meter_provider = p.metrics->provider, .tracer_provider = p.tracer_provider});
  auto tracer = p.tracer_provider->GetTracer("app");
  trace::Span call = tracer->StartSpan("chat gpt-4o");
  const trace::Context call_context(call.context());
  FixedEvaluator evaluator(Hallucinated());
  auto result = runner.Run(evaluator, {.answer = "a", .model = "gpt-4o", .parent = call_context});
  call.End();
  ASSERT_TRUE(result.ok());
  auto span = p.Span("evaluate hallucination");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->parent_span_id(), call_context.span_context().span_id());
  ASSERT_EQ(span->events().size(), 1u);
  const trace::SpanEvent& event = span->events()[0];
  EXPECT_EQ(event.name, event::kEvaluationResult);
  EXPECT_EQ(testing::Attr(event, attr::kEvaluationName), "hallucination");
  EXPECT_EQ(testing::Attr(event, attr::kEvaluationScoreLabel), "hallucinated");
  EXPECT_FALSE(testing::HasAttr(event, attr::kEvaluationExplanation));  // off by default
  const auto snapshot = p.metrics->reader->Collect();
  EXPECT_EQ(mt::IntValue(mt::FindMetric(snapshot, metric::kEvaluations),
                         R"(gen_ai.evaluation.name="hallucination",)"
                         R"(gen_ai.evaluation.score.label="hallucinated",)"
                         R"(gen_ai.request.model="gpt-4o")"),
            1);
}

TEST(EvaluationRunnerTest, ExplanationsAreRecordedOnlyWhenAskedAndThenRedacted) {
  GenAiPipeline p;
  auto redactor = Redactor::Create({});
  ASSERT_TRUE(redactor.ok());
  EvaluationRunner runner(
      {.tracer_provider = p.tracer_provider, .record_explanation = true, .redactor = *redactor});
  FixedEvaluator evaluator(Hallucinated());
  ASSERT_TRUE(runner.Run(evaluator, {.answer = "a"}).ok());
  auto span = p.Span("evaluate hallucination");
  ASSERT_NE(span, nullptr);
  ASSERT_EQ(span->events().size(), 1u);
  EXPECT_EQ(testing::Attr(span->events()[0], attr::kEvaluationExplanation), "mentions [EMAIL]");
}

TEST(EvaluationRunnerTest, AFailedEvaluationIsAnErrorSpanAndFeedsNoVerdict) {
  GenAiPipeline p;
  SlaConfig sla;
  sla.min_calls = 1;
  auto monitor = SlaMonitor::Create({.sla = sla, .clock = &p.clock});
  ASSERT_TRUE(monitor.ok());
  std::shared_ptr<SlaMonitor> shared = std::move(*monitor);
  EvaluationRunner runner({.meter_provider = p.metrics->provider,
                           .tracer_provider = p.tracer_provider,
                           .monitor = shared});
  FixedEvaluator failing(Result<EvaluationResult>(UnavailableError("judge down")));
  FixedEvaluator hallucinating(Hallucinated());
  for (int i = 0; i < 40; ++i) {
    EXPECT_FALSE(runner.Run(failing, {.answer = "a", .model = "gpt-4o"}).ok());
    p.clock.Advance(std::chrono::seconds(10));
    shared->Evaluate();
  }
  EXPECT_TRUE(shared->FiringAlerts().empty());  // errors are not verdicts
  auto span = p.Span("evaluate hallucination");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->status(), trace::SpanStatus::kError);
  for (int i = 0; i < 40; ++i) {
    EXPECT_TRUE(runner.Run(hallucinating, {.answer = "a", .model = "gpt-4o"}).ok());
    p.clock.Advance(std::chrono::seconds(10));
    shared->Evaluate();
  }
  const auto firing = shared->FiringAlerts();
  ASSERT_EQ(firing.size(), 1u);
  EXPECT_EQ(firing[0].name, "LLMHallucinationRateHigh");
  const auto snapshot = p.metrics->reader->Collect();
  EXPECT_EQ(mt::IntValue(mt::FindMetric(snapshot, metric::kEvaluations),
                         R"(gen_ai.evaluation.name="hallucination",)"
                         R"(gen_ai.evaluation.score.label="error",gen_ai.request.model="gpt-4o")"),
            40);
}

}  // namespace
}  // namespace llmtrace::genai
