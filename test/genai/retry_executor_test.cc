#include "llmtrace/genai/retry_executor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::Attr;
using testing::GenAiPipeline;
using testing::HasAttr;

// Advances the ManualClock by each wait instead of sleeping, and remembers the waits.
class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(ManualClock& clock) : clock_(clock) {}
  bool SleepFor(nanoseconds duration) noexcept override {
    if (interrupt_on_call_ == static_cast<int>(waits.size()) + 1) return false;
    waits.push_back(std::chrono::duration_cast<milliseconds>(duration));
    clock_.Advance(duration);
    return true;
  }
  void Interrupt() noexcept override {}
  std::vector<milliseconds> waits;
  int interrupt_on_call_ = 0;  // 1-based call that reports an interruption; 0: never

 private:
  ManualClock& clock_;
};

LlmError Error(ErrorType type, std::string message = "failed",
               std::optional<milliseconds> retry_after = std::nullopt) {
  LlmError error;
  error.type = type;
  error.message = std::move(message);
  error.retry_after = retry_after;
  return error;
}

struct Harness {
  GenAiPipeline pipeline;
  std::shared_ptr<FakeSleeper> sleeper = std::make_shared<FakeSleeper>(pipeline.clock);
  double draw = 0.5;
  int draws = 0;

  RetryOptions Options() {
    RetryOptions options;
    options.tracer_provider = pipeline.tracer_provider;
    options.clock = &pipeline.clock;
    options.sleeper = sleeper;
    options.uniform01 = [this] {
      ++draws;
      return draw;
    };
    return options;
  }
  RetryExecutor Create(RetryOptions options) {
    auto created = RetryExecutor::Create(std::move(options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }
  std::vector<std::shared_ptr<const trace::SpanData>> Spans(std::string_view name) const {
    std::vector<std::shared_ptr<const trace::SpanData>> found;
    for (auto& span : pipeline.spans->Spans()) {
      if (span->name() == name) found.push_back(span);
    }
    return found;
  }
};

// An operation that fails with `errors` in turn, then answers "ok"; records the models asked.
struct Scripted {
  std::vector<LlmError> errors;
  std::vector<std::string> models;
  std::size_t calls = 0;
  Outcome<std::string> operator()(AttemptContext& attempt) {
    models.emplace_back(attempt.model());
    if (calls < errors.size()) return errors[calls++];
    ++calls;
    return std::string("ok");
  }
};

TEST(RetryExecutorTest, FullJitterDrawsBetweenZeroAndTheExponentialCap) {
  Harness h;
  RetryExecutor retry = h.Create(h.Options());  // 500 ms, x2, capped at 30 s
  EXPECT_EQ(retry.BackoffDelay(1, 0.0), milliseconds(0));
  EXPECT_EQ(retry.BackoffDelay(1, 0.5), milliseconds(250));
  EXPECT_EQ(retry.BackoffDelay(1, 0.999), milliseconds(499));
  EXPECT_EQ(retry.BackoffDelay(2, 0.5), milliseconds(500));
  EXPECT_EQ(retry.BackoffDelay(3, 0.999), milliseconds(1998));
  EXPECT_EQ(retry.BackoffDelay(30, 0.999), milliseconds(29970));
  EXPECT_EQ(retry.BackoffDelay(1000, 0.5), milliseconds(15000));
}

TEST(RetryExecutorTest, OutOfRangeDrawsAreClampedIntoTheInterval) {
  Harness h;
  RetryExecutor retry = h.Create(h.Options());
  EXPECT_EQ(retry.BackoffDelay(1, -3.0), milliseconds(0));
  EXPECT_EQ(retry.BackoffDelay(1, std::nan("")), milliseconds(0));
  EXPECT_EQ(retry.BackoffDelay(1, 1.0), milliseconds(499));
}

TEST(RetryExecutorTest, WaitsGrowExponentiallyUntilTheCap) {
  Harness h;
  RetryOptions options = h.Options();
  options.max_attempts = 6;
  options.max_backoff = milliseconds(3000);
  h.draw = 0.999;
  RetryExecutor retry = h.Create(options);
  Scripted op{.errors = std::vector<LlmError>(6, Error(ErrorType::kServiceUnavailable))};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.summary().attempts, 6);
  EXPECT_EQ(result.summary().stop, RetryStop::kMaxAttempts);
  EXPECT_EQ(h.sleeper->waits,
            (std::vector<milliseconds>{milliseconds(499), milliseconds(999), milliseconds(1998),
                                       milliseconds(2997), milliseconds(2997)}));
  EXPECT_EQ(result.summary().waited, milliseconds(499 + 999 + 1998 + 2997 + 2997));
}

TEST(RetryExecutorTest, RetryAfterIsWaitedExactlyInsteadOfTheJitter) {
  Harness h;
  RetryExecutor retry = h.Create(h.Options());
  Scripted op{.errors = {Error(ErrorType::kRateLimit, "slow down", milliseconds(7000))}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), "ok");
  EXPECT_EQ(h.sleeper->waits, std::vector<milliseconds>{milliseconds(7000)});
  EXPECT_EQ(h.draws, 0);
  auto attempts = h.Spans("retry_attempt gpt-4o");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(Attr(*attempts[0], "llmtrace.retry.retry_after_ms"), "7000");
  EXPECT_EQ(Attr(*attempts[0], "llmtrace.retry.delay_ms"), "7000");
}

TEST(RetryExecutorTest, RetryAfterPastTheRemainingDeadlineStopsWithoutWaiting) {
  Harness h;
  RetryOptions options = h.Options();
  options.total_deadline = seconds(10);
  RetryExecutor retry = h.Create(options);
  Scripted op{.errors = {Error(ErrorType::kRateLimit, "try in 20 s", seconds(20))}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "try in 20 s");
  EXPECT_EQ(result.summary().attempts, 1);
  EXPECT_EQ(result.summary().stop, RetryStop::kDeadline);
  EXPECT_TRUE(h.sleeper->waits.empty());
}

TEST(RetryExecutorTest, RetryAfterAboveTheHonouredMaximumStops) {
  Harness h;
  RetryOptions options = h.Options();
  options.max_retry_after = seconds(5);
  RetryExecutor retry = h.Create(options);
  Scripted op{.errors = {Error(ErrorType::kRateLimit, "wait", seconds(6))}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.summary().stop, RetryStop::kRetryAfterTooLong);
  EXPECT_EQ(result.summary().attempts, 1);
  EXPECT_TRUE(h.sleeper->waits.empty());
}

TEST(RetryExecutorTest, StopsAtMaxAttemptsAndReturnsTheLastError) {
  Harness h;
  RetryExecutor retry = h.Create(h.Options());  // 3 attempts
  Scripted op{.errors = {Error(ErrorType::kTimeout, "first"), Error(ErrorType::kNetwork, "second"),
                         Error(ErrorType::kServiceUnavailable, "third"),
                         Error(ErrorType::kTimeout, "never asked")}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(op.calls, 3u);
  EXPECT_EQ(result.error().type, ErrorType::kServiceUnavailable);
  EXPECT_EQ(result.error().message, "third");
  EXPECT_EQ(result.summary().stop, RetryStop::kMaxAttempts);
  // Full jitter at draw 0.5: half of 500 ms, then half of 1 s.
  EXPECT_EQ(h.sleeper->waits, (std::vector<milliseconds>{milliseconds(250), milliseconds(500)}));
}

TEST(RetryExecutorTest, NoWaitStartsThatWouldEndPastTheTotalDeadline) {
  Harness h;
  RetryOptions options = h.Options();
  options.max_attempts = 10;
  options.total_deadline = seconds(60);
  RetryExecutor retry = h.Create(options);
  int calls = 0;
  auto result = retry.Execute("gpt-4o", [&](AttemptContext&) -> Outcome<int> {
    ++calls;
    h.pipeline.clock.Advance(seconds(20));  // each attempt times out after 20 s
    return Error(ErrorType::kTimeout);
  });
  ASSERT_FALSE(result.ok());
  // 0-20 s, wait 250 ms, 20.25-40.25 s, wait 500 ms, 40.75-60.75 s: past the deadline.
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(result.summary().stop, RetryStop::kDeadline);
  EXPECT_EQ(h.sleeper->waits.size(), 2u);
}

TEST(RetryExecutorTest, NonRetryableErrorIsReturnedAfterOneAttempt) {
  Harness h;
  RetryExecutor retry = h.Create(h.Options());
  Scripted op{.errors = {Error(ErrorType::kInvalidApiKey, "bad key")}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(op.calls, 1u);
  EXPECT_EQ(result.summary().stop, RetryStop::kNotRetryable);
  EXPECT_TRUE(h.sleeper->waits.empty());
  auto attempt = h.pipeline.Span("retry_attempt gpt-4o");
  ASSERT_NE(attempt, nullptr);
  EXPECT_EQ(Attr(*attempt, "error.type"), "invalid_api_key");
  EXPECT_EQ(Attr(*attempt, "llmtrace.retry.retryable"), "false");
  EXPECT_FALSE(HasAttr(*attempt, "llmtrace.retry.delay_ms"));
}

TEST(RetryExecutorTest, StreamThatBeganOutputIsNeverRetriedNorSentToAFallback) {
  Harness h;
  RetryOptions options = h.Options();
  options.fallback_models = {"claude-sonnet-4"};
  RetryExecutor retry = h.Create(options);
  int calls = 0;
  auto result = retry.Execute("gpt-4o", [&](AttemptContext& attempt) -> Outcome<std::string> {
    ++calls;
    attempt.MarkOutputBegan();  // the first chunk went to the user
    return Error(ErrorType::kNetwork, "connection reset mid-stream");
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(result.summary().stop, RetryStop::kOutputBegan);
  EXPECT_EQ(result.error().type, ErrorType::kNetwork);
  auto attempt = h.pipeline.Span("retry_attempt gpt-4o");
  ASSERT_NE(attempt, nullptr);
  EXPECT_EQ(Attr(*attempt, "llmtrace.retry.retryable"), "false");
  EXPECT_EQ(Attr(*attempt, "llmtrace.retry.stop_reason"), "output_began");
}

TEST(RetryExecutorTest, FallbackModelAnswersAfterThePrimaryIsExhausted) {
  Harness h;
  RetryOptions options = h.Options();
  options.max_attempts = 2;
  options.fallback_models = {"claude-sonnet-4"};
  RetryExecutor retry = h.Create(options);
  Scripted op{
      .errors = {Error(ErrorType::kServiceUnavailable), Error(ErrorType::kServiceUnavailable)}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(op.models, (std::vector<std::string>{"gpt-4o", "gpt-4o", "claude-sonnet-4"}));
  EXPECT_EQ(result.summary().attempts, 3);
  EXPECT_EQ(result.summary().model, "claude-sonnet-4");
  EXPECT_TRUE(result.summary().fallback);
  EXPECT_EQ(h.sleeper->waits.size(), 1u);  // switching model needs no wait
  auto parent = h.pipeline.Span("retry gpt-4o");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.fallback_model"), "claude-sonnet-4");
  auto fallback = h.pipeline.Span("retry_attempt claude-sonnet-4");
  ASSERT_NE(fallback, nullptr);
  EXPECT_EQ(Attr(*fallback, "gen_ai.request.model"), "claude-sonnet-4");
  EXPECT_EQ(Attr(*fallback, "llmtrace.retry.attempt"), "3");
}

TEST(RetryExecutorTest, ModelNotFoundGoesStraightToTheFallbackButInvalidRequestDoesNot) {
  Harness h;
  RetryOptions options = h.Options();
  options.fallback_models = {"gpt-4o-mini"};
  RetryExecutor retry = h.Create(options);
  Scripted missing{.errors = {Error(ErrorType::kModelNotFound)}};
  auto found = retry.Execute("gpt-5-preview", missing);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(missing.models, (std::vector<std::string>{"gpt-5-preview", "gpt-4o-mini"}));

  Scripted invalid{.errors = {Error(ErrorType::kInvalidRequest)}};
  auto refused = retry.Execute("gpt-4o", invalid);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(invalid.models, std::vector<std::string>{"gpt-4o"});
  EXPECT_EQ(refused.summary().stop, RetryStop::kNotRetryable);
}

TEST(RetryExecutorTest, SuccessAfterRetriesIsRecordedOnNestedSpans) {
  Harness h;
  auto genai = h.pipeline.Create(h.pipeline.Options());
  RetryExecutor retry = h.Create(h.Options());
  int calls = 0;
  auto result = retry.Execute("gpt-4o", [&](AttemptContext& attempt) -> Outcome<int> {
    InferenceSpan call = genai->StartInference({.provider = "openai", .model = attempt.model()});
    if (++calls == 1) {
      call.SetError("rate_limit", "429");
      return Error(ErrorType::kRateLimit, "429");
    }
    return 42;
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), 42);

  auto parent = h.pipeline.Span("retry gpt-4o");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.attempts"), "2");
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.succeeded_after_retry"), "true");
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.stop_reason"), "succeeded");
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.waited_ms"), "250");
  EXPECT_FALSE(HasAttr(*parent, "error.type"));
  EXPECT_FALSE(HasAttr(*parent, "llmtrace.retry.fallback_model"));

  auto attempts = h.Spans("retry_attempt gpt-4o");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(Attr(*attempts[0], "llmtrace.retry.attempt"), "1");
  EXPECT_EQ(Attr(*attempts[0], "error.type"), "rate_limit");
  EXPECT_EQ(Attr(*attempts[0], "llmtrace.retry.retryable"), "true");
  EXPECT_EQ(Attr(*attempts[0], "llmtrace.retry.delay_ms"), "250");
  EXPECT_EQ(attempts[0]->status(), trace::SpanStatus::kError);
  EXPECT_EQ(Attr(*attempts[1], "llmtrace.retry.attempt"), "2");
  EXPECT_FALSE(HasAttr(*attempts[1], "error.type"));
  for (const auto& attempt : attempts) {
    EXPECT_EQ(attempt->parent_span_id(), parent->context().span_id());
    EXPECT_EQ(attempt->context().trace_id(), parent->context().trace_id());
  }
  // The provider call made inside an attempt nests under that attempt.
  auto calls_made = h.Spans("chat gpt-4o");
  ASSERT_EQ(calls_made.size(), 2u);
  EXPECT_EQ(calls_made[0]->parent_span_id(), attempts[0]->context().span_id());
  EXPECT_EQ(calls_made[1]->parent_span_id(), attempts[1]->context().span_id());
}

TEST(RetryExecutorTest, FailureIsRecordedOnTheRetrySpan) {
  Harness h;
  RetryOptions options = h.Options();
  options.max_attempts = 1;
  RetryExecutor retry = h.Create(options);
  Scripted op{.errors = {Error(ErrorType::kTimeout, "no answer in 30 s")}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  auto parent = h.pipeline.Span("retry gpt-4o");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->status(), trace::SpanStatus::kError);
  EXPECT_EQ(parent->status_description(), "no answer in 30 s");
  EXPECT_EQ(Attr(*parent, "error.type"), "timeout");
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.succeeded_after_retry"), "false");
  EXPECT_EQ(Attr(*parent, "llmtrace.retry.stop_reason"), "max_attempts");
}

TEST(RetryExecutorTest, AnOperationThatThrowsIsReturnedAsOtherAndNotRetried) {
  Harness h;
  RetryOptions options = h.Options();
  options.fallback_models = {"gpt-4o-mini"};
  RetryExecutor retry = h.Create(options);
  int calls = 0;
  auto result = retry.Execute("gpt-4o", [&](AttemptContext&) -> Outcome<int> {
    ++calls;
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(result.error().type, ErrorType::kOther);
  EXPECT_EQ(result.error().message, "operation threw: boom");
  EXPECT_EQ(result.summary().stop, RetryStop::kNotRetryable);
}

TEST(RetryExecutorTest, AnInterruptedWaitEndsTheAttempts) {
  Harness h;
  h.sleeper->interrupt_on_call_ = 1;
  RetryOptions options = h.Options();
  options.fallback_models = {"gpt-4o-mini"};
  RetryExecutor retry = h.Create(options);
  Scripted op{.errors = {Error(ErrorType::kServiceUnavailable)}};
  auto result = retry.Execute("gpt-4o", op);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(op.calls, 1u);
  EXPECT_EQ(result.summary().stop, RetryStop::kCancelled);
}

TEST(RetryExecutorTest, WithoutATracerProviderTheCallerKeepsItsOwnParentSpan) {
  Harness h;
  auto genai = h.pipeline.Create(h.pipeline.Options());
  RetryOptions options = h.Options();
  options.tracer_provider = nullptr;
  RetryExecutor retry = h.Create(options);
  auto tracer = h.pipeline.tracer_provider->GetTracer("app");
  trace::Span outer = tracer->StartSpan("handle request");
  trace::ContextScope scope = outer.Activate();
  int calls = 0;
  auto result = retry.Execute("gpt-4o", [&](AttemptContext& attempt) -> Outcome<int> {
    InferenceSpan call = genai->StartInference({.provider = "openai", .model = attempt.model()});
    if (++calls == 1) return Error(ErrorType::kNetwork);
    return 1;
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.summary().attempts, 2);
  auto calls_made = h.Spans("chat gpt-4o");
  ASSERT_EQ(calls_made.size(), 2u);
  for (const auto& call : calls_made) {
    EXPECT_EQ(call->parent_span_id(), outer.context().span_id());
  }
  EXPECT_TRUE(h.Spans("retry gpt-4o").empty());
  EXPECT_TRUE(h.Spans("retry_attempt gpt-4o").empty());
}

TEST(RetryExecutorTest, CreateRejectsInvalidOptionsNamingTheField) {
  const auto rejected = [](RetryOptions options, std::string_view field) {
    auto created = RetryExecutor::Create(std::move(options));
    ASSERT_FALSE(created.ok()) << field;
    EXPECT_NE(created.status().ToString().find(field), std::string::npos)
        << created.status().ToString();
  };
  rejected({.max_attempts = 0}, "max_attempts");
  rejected({.initial_backoff = milliseconds(-1)}, "initial_backoff");
  rejected({.initial_backoff = seconds(5), .max_backoff = seconds(1)}, "max_backoff");
  rejected({.multiplier = 0.5}, "multiplier");
  rejected({.total_deadline = milliseconds(0)}, "total_deadline");
  rejected({.max_retry_after = milliseconds(-5)}, "max_retry_after");
  rejected({.fallback_models = {"gpt-4o-mini", ""}}, "fallback_models[1]");
}

}  // namespace
}  // namespace llmtrace::genai
