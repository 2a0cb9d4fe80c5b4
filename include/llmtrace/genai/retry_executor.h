// RetryExecutor: runs one LLM request again when it failed in a way another attempt can fix, and
// traces every attempt.
//
// An application wraps the call to its provider in Execute(); the operation returns the answer or
// the LlmError the classifier made of the failure (error_classifier.h). The executor retries only
// retryable types (IsRetryable: rate_limit, timeout, service_unavailable, network), waits between
// attempts with exponential backoff and full jitter, or exactly as long as the server asked
// (LlmError::retry_after), stops at max_attempts or before a wait would cross the total deadline,
// never retries a stream whose output reached the caller, and can then try fallback models.
// Each attempt is a child span of one `retry {model}` span; docs/retries.md has the timing rule,
// the spans and an example. Clock, sleep and randomness are injected so tests run instantly.
// Thread-safety: a RetryExecutor is immutable after Create and may be used from any number of
// threads at once (the injected uniform01, if any, must then be thread-safe too). Execute runs
// the operation on the calling thread.
//
//   auto retry = *RetryExecutor::Create({.tracer_provider = tracers});
//   auto answer = retry.Execute("gpt-4o", [&](AttemptContext& a) { return CallLlm(a.model()); });
//   if (!answer.ok()) Log(ToString(answer.error().type), answer.summary().attempts);
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/common/sleeper.h"
#include "llmtrace/genai/error_type.h"

namespace llmtrace::trace {
class TracerProvider;
}

namespace llmtrace::genai {

struct RetryOptions {
  // Attempts per model, including the first (the primary and each fallback get this many).
  int max_attempts = 3;
  // Full jitter: the wait after the n-th failed attempt of a model is uniform in
  // [0, min(max_backoff, initial_backoff * multiplier^(n-1))).
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  double multiplier = 2.0;
  // Over everything (all attempts, all waits, all models), from the start of Execute on the
  // monotonic clock. A wait that would end at or after it is not started: Execute returns the
  // error it has (or moves on to a fallback model, which needs no wait).
  std::chrono::milliseconds total_deadline{60'000};
  // The longest server-requested wait (Retry-After, rate-limit reset) that is honoured. A longer
  // one ends the attempts on that model: waiting less than the server asked would only be
  // refused again.
  std::chrono::milliseconds max_retry_after{30'000};
  // Tried in order once a model gives up with a retryable error, model_not_found or
  // context_length_exceeded (another model may exist or have a larger window). Never after
  // other errors (invalid request, key, quota, budget, content filter: the next model would fail
  // the same way or must not be asked), never once output began, never after Interrupt().
  std::vector<std::string> fallback_models;
  // Spans `retry {model}` and one `retry_attempt {model}` per attempt; null: no spans.
  std::shared_ptr<trace::TracerProvider> tracer_provider;
  // The deadline and the measured waits; null: the system clock.
  const Clock* clock = nullptr;
  // Null: a private InterruptibleSleeper. Pass your own to Interrupt() it at shutdown.
  std::shared_ptr<Sleeper> sleeper;
  // A uniform draw in [0, 1) for the jitter (values outside are clamped); null: a thread-local
  // Mersenne Twister seeded from std::random_device.
  std::function<double()> uniform01;
};

// Why Execute stopped; the value of llmtrace.retry.stop_reason.
enum class RetryStop {
  kSucceeded,          // an attempt returned a value
  kNotRetryable,       // the error type is not retryable (and allows no fallback, or none left)
  kOutputBegan,        // the attempt had marked output as begun: never repeated
  kMaxAttempts,        // every model used up its attempts
  kDeadline,           // the next wait, or the next attempt, would cross total_deadline
  kRetryAfterTooLong,  // the server asked to wait longer than max_retry_after
  kCancelled,          // the sleeper was interrupted
};
std::string_view ToString(RetryStop stop) noexcept;

// What one attempt gets: which attempt it is, the model to call, and the stream guard.
class AttemptContext {
 public:
  AttemptContext(int attempt, int model_attempt, std::string_view model, bool fallback,
                 MonotonicTime deadline) noexcept
      : attempt_(attempt),
        model_attempt_(model_attempt),
        model_(model),
        fallback_(fallback),
        deadline_(deadline) {}

  int attempt() const noexcept { return attempt_; }              // 1-based, over all models
  int model_attempt() const noexcept { return model_attempt_; }  // 1-based, within model()
  std::string_view model() const noexcept { return model_; }     // primary or fallback
  bool is_fallback() const noexcept { return fallback_; }
  // The end of the total deadline (monotonic clock). The executor does not cut an attempt short:
  // give the call a timeout that ends by then.
  MonotonicTime deadline() const noexcept { return deadline_; }

  // Call when the first output reached the caller (a streamed chunk was handed on): the caller
  // has seen part of an answer, so a failure from then on is returned as it is, never retried
  // and never sent to a fallback model.
  void MarkOutputBegan() noexcept { output_began_ = true; }
  bool output_began() const noexcept { return output_began_; }

 private:
  int attempt_;
  int model_attempt_;
  std::string_view model_;
  bool fallback_;
  MonotonicTime deadline_;
  bool output_began_ = false;
};

// What an operation returns: its value, or the classified error of this attempt.
template <typename T>
class Outcome {
  static_assert(!std::is_same_v<T, LlmError>, "an Outcome's value cannot be an LlmError");

 public:
  using value_type = T;
  Outcome(T value) : state_(std::in_place_index<0>, std::move(value)) {}         // NOLINT
  Outcome(LlmError error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Aborts when there is no value / no error (a programming error, as with Result).
  T& value() & { return Get<0>(); }
  const T& value() const& { return const_cast<Outcome*>(this)->template Get<0>(); }
  T&& value() && { return std::move(Get<0>()); }
  const LlmError& error() const& { return const_cast<Outcome*>(this)->template Get<1>(); }
  LlmError&& error() && { return std::move(Get<1>()); }

 private:
  template <std::size_t I>
  auto& Get() {
    if (state_.index() != I) {
      std::fprintf(stderr, "llmtrace: %s of an Outcome that has none\n",
                   I == 0 ? "value()" : "error()");
      std::abort();
    }
    return std::get<I>(state_);
  }
  std::variant<T, LlmError> state_;
};

// How Execute went, whatever the result.
struct RetrySummary {
  int attempts = 0;       // over all models
  std::string model;      // the model of the last attempt: the one that answered on success
  bool fallback = false;  // `model` is one of fallback_models
  std::chrono::milliseconds waited{0};  // time spent in backoff, by the clock
  RetryStop stop = RetryStop::kSucceeded;
};

template <typename T>
class RetryResult {
 public:
  RetryResult(Outcome<T> outcome, RetrySummary summary)
      : outcome_(std::move(outcome)), summary_(std::move(summary)) {}

  bool ok() const noexcept { return outcome_.ok(); }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return outcome_.value(); }
  const T& value() const& { return outcome_.value(); }
  T&& value() && { return std::move(outcome_).value(); }
  // The last attempt's error.
  const LlmError& error() const& { return outcome_.error(); }
  const RetrySummary& summary() const noexcept { return summary_; }

 private:
  Outcome<T> outcome_;
  RetrySummary summary_;
};

namespace internal {
struct RetryState;

// A non-owning, non-throwing reference to one attempt: nullopt on success, else the error.
class AttemptFunction {
 public:
  template <typename F>
  explicit AttemptFunction(F& f) noexcept
      : object_(&f), call_([](void* o, AttemptContext& c) noexcept -> std::optional<LlmError> {
          return (*static_cast<F*>(o))(c);
        }) {}
  std::optional<LlmError> operator()(AttemptContext& context) const noexcept {
    return call_(object_, context);
  }

 private:
  void* object_;
  std::optional<LlmError> (*call_)(void*, AttemptContext&) noexcept;
};

// The error recorded for an operation that threw: type kOther, "operation threw: <what>".
LlmError ThrownError(const char* what) noexcept;

// The retry loop; fills `summary` and, when no attempt succeeded, `error`.
void RunRetries(const RetryState& state, std::string_view model, AttemptFunction attempt,
                RetrySummary& summary, LlmError& error) noexcept;

template <typename F>
struct OutcomeOf {
  using type = std::remove_cvref_t<std::invoke_result_t<F&, AttemptContext&>>;
};
}  // namespace internal

class RetryExecutor {
 public:
  // Validates the options; errors name the field.
  static Result<RetryExecutor> Create(RetryOptions options);

  // The full-jitter wait after the `failed_attempt`-th failure of a model (1-based) for a draw
  // `uniform01` in [0, 1). Exposed for docs and tests.
  std::chrono::milliseconds BackoffDelay(int failed_attempt, double uniform01) const noexcept;

  // Runs `operation` (callable as Outcome<T>(AttemptContext&)) until it succeeds or the rules
  // above stop it, first with `model`, then with the fallback models. An operation that throws
  // is recorded as an error of type kOther ("operation threw: <what>") and is not retried: it is
  // a bug in the operation, not a provider failure. Nothing escapes Execute; a T whose move
  // constructor throws terminates.
  template <typename Op>
  RetryResult<typename internal::OutcomeOf<Op>::type::value_type> Execute(
      std::string_view model, Op&& operation) const noexcept {
    using T = typename internal::OutcomeOf<Op>::type::value_type;
    static_assert(std::is_same_v<typename internal::OutcomeOf<Op>::type, Outcome<T>>,
                  "the operation must return Outcome<T>");
    std::optional<T> value;
    auto attempt = [&](AttemptContext& context) noexcept -> std::optional<LlmError> {
      try {
        Outcome<T> outcome = operation(context);
        if (outcome.ok()) {
          value.emplace(std::move(outcome).value());
          return std::nullopt;
        }
        return std::move(outcome).error();
      } catch (const std::exception& e) {
        return internal::ThrownError(e.what());
      } catch (...) {
        return internal::ThrownError("an exception that is not a std::exception");
      }
    };
    RetrySummary summary;
    LlmError error;
    internal::RunRetries(*state_, model, internal::AttemptFunction(attempt), summary, error);
    if (value) return RetryResult<T>(Outcome<T>(std::move(*value)), std::move(summary));
    return RetryResult<T>(Outcome<T>(std::move(error)), std::move(summary));
  }

 private:
  explicit RetryExecutor(std::shared_ptr<const internal::RetryState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<const internal::RetryState> state_;
};

}  // namespace llmtrace::genai
