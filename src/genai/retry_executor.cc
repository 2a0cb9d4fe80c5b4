#include "llmtrace/genai/retry_executor.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "llmtrace/genai/semconv.h"
#include "llmtrace/trace/context.h"
#include "llmtrace/trace/tracer.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::genai {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// The same scope as Instrumentation: retry spans belong to the GenAI instrumentation.
constexpr std::string_view kScopeName = "llmtrace.genai";
constexpr std::string_view kScopeVersion = "0.1.0";
// Far more than any sane policy; keeps a typo from turning into an hour of hammering a provider.
constexpr int kMaxAttemptsLimit = 100;

double DefaultUniform01() noexcept {
  thread_local std::mt19937_64 engine = [] {
    try {
      std::random_device device;
      return std::mt19937_64((std::uint64_t{device()} << 32) ^ device());
    } catch (...) {  // no entropy source: the jitter only needs to differ between processes
      return std::mt19937_64(
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
    }
  }();
  return std::generate_canonical<double, 53>(engine);
}

// Where a model that gave up with this error may hand the request to the next model.
bool FallsBack(ErrorType type) noexcept {
  return IsRetryable(type) || type == ErrorType::kModelNotFound ||
         type == ErrorType::kContextLengthExceeded;
}

std::string SpanName(std::string_view operation, std::string_view model) noexcept {
  std::string name;
  try {
    name.reserve(operation.size() + 1 + model.size());
    name.append(operation).append(" ").append(model);
  } catch (...) {  // out of memory: an unnamed span is still a span
  }
  return name;
}

// Makes `span` current; without a tracer the spans are invalid, and making one current would cut
// the operation's own spans off from the caller's trace.
std::optional<trace::ContextScope> ActivateIfValid(const trace::Span& span) noexcept {
  if (!span.context().IsValid()) return std::nullopt;
  return std::optional<trace::ContextScope>(span.Activate());
}

std::int64_t Millis(nanoseconds d) noexcept {
  return std::chrono::duration_cast<milliseconds>(d).count();
}

}  // namespace

namespace internal {

struct RetryState {
  RetryOptions options;
  std::shared_ptr<trace::Tracer> tracer;  // null: no spans
  const Clock* clock = nullptr;           // never null after Create
  std::shared_ptr<Sleeper> sleeper;       // never null after Create

  milliseconds Backoff(int failed_attempt, double uniform01) const noexcept {
    if (!(uniform01 >= 0)) uniform01 = 0;  // also NaN
    if (uniform01 >= 1) uniform01 = std::nextafter(1.0, 0.0);
    // In double: multiplier^n overflows any integer long before a sane max_backoff is reached
    // (pow then gives infinity, which min() caps).
    const double initial = static_cast<double>(options.initial_backoff.count());
    const double exponent = std::max(failed_attempt - 1, 0);
    double cap = initial <= 0 ? 0 : initial * std::pow(options.multiplier, exponent);
    cap = std::min(cap, static_cast<double>(options.max_backoff.count()));
    return milliseconds(static_cast<std::int64_t>(std::floor(uniform01 * cap)));
  }

  double Draw() const noexcept {
    if (!options.uniform01) return DefaultUniform01();
    try {
      return options.uniform01();
    } catch (...) {  // a broken random source must not break the call: no jitter then
      return 0;
    }
  }
};

LlmError ThrownError(const char* what) noexcept {
  LlmError error;
  error.type = ErrorType::kOther;
  try {
    error.message = std::string("operation threw: ") + (what ? what : "");
  } catch (...) {
  }
  return error;
}

void RunRetries(const RetryState& state, std::string_view primary, AttemptFunction attempt,
                RetrySummary& summary, LlmError& error) noexcept {
  const RetryOptions& options = state.options;
  const Clock& clock = *state.clock;
  const MonotonicTime deadline = clock.MonotonicNow() + options.total_deadline;
  const auto start_span = [&](std::string_view operation, std::string_view model,
                              std::initializer_list<KeyValue> attributes) noexcept {
    if (state.tracer == nullptr) return trace::Span();
    return state.tracer->StartSpan(SpanName(operation, model), attributes);
  };

  trace::Span parent = start_span("retry", primary, {{attr::kRequestModel, primary}});
  std::optional<trace::ContextScope> parent_scope = ActivateIfValid(parent);
  nanoseconds waited{0};
  bool succeeded = false;
  std::string_view final_model = primary;
  bool final_is_fallback = false;
  RetryStop stop = RetryStop::kMaxAttempts;

  const std::size_t model_count = 1 + options.fallback_models.size();
  for (std::size_t m = 0; m < model_count && !succeeded; ++m) {
    const std::string_view model = m == 0 ? primary : options.fallback_models[m - 1];
    if (m > 0) {
      const bool gave_up_cleanly =
          stop == RetryStop::kMaxAttempts || stop == RetryStop::kDeadline ||
          stop == RetryStop::kRetryAfterTooLong || stop == RetryStop::kNotRetryable;
      if (!gave_up_cleanly || !FallsBack(error.type)) break;
    }
    for (int n = 1;; ++n) {
      if (clock.MonotonicNow() >= deadline) {
        stop = RetryStop::kDeadline;
        break;
      }
      ++summary.attempts;
      final_model = model;
      final_is_fallback = m > 0;
      AttemptContext context(summary.attempts, n, model, m > 0, deadline);
      trace::Span span = start_span(
          "retry_attempt", model,
          {{attr::kRequestModel, model}, {attr::kRetryAttempt, std::int64_t{summary.attempts}}});
      std::optional<LlmError> failure;
      {
        std::optional<trace::ContextScope> attempt_scope = ActivateIfValid(span);
        failure = attempt(context);
      }
      if (!failure) {
        succeeded = true;
        stop = RetryStop::kSucceeded;
        break;
      }
      error = std::move(*failure);

      const bool retryable = IsRetryable(error.type) && !context.output_began();
      nanoseconds delay{0};
      std::optional<RetryStop> stop_here;
      if (context.output_began()) {
        stop_here = RetryStop::kOutputBegan;
      } else if (!retryable) {
        stop_here = RetryStop::kNotRetryable;
      } else if (n >= options.max_attempts) {
        stop_here = RetryStop::kMaxAttempts;
      } else if (error.retry_after && *error.retry_after > options.max_retry_after) {
        stop_here = RetryStop::kRetryAfterTooLong;
      } else {
        // The server's own figure beats our guess: it knows when the window resets.
        delay = error.retry_after ? nanoseconds(std::max(*error.retry_after, milliseconds(0)))
                                  : nanoseconds(state.Backoff(n, state.Draw()));
        if (clock.MonotonicNow() + delay >= deadline) stop_here = RetryStop::kDeadline;
      }

      span.SetAttribute(attr::kErrorType, ToString(error.type));
      span.RecordException(ToString(error.type), error.message);
      span.SetAttribute(attr::kRetryRetryable, retryable);
      if (error.retry_after) {
        span.SetAttribute(attr::kRetryRetryAfterMs, std::int64_t{error.retry_after->count()});
      }
      if (stop_here) {
        span.SetAttribute(attr::kRetryStopReason, ToString(*stop_here));
        span.End();
        stop = *stop_here;
        break;
      }
      span.SetAttribute(attr::kRetryDelayMs, Millis(delay));
      span.End();

      const MonotonicTime before = clock.MonotonicNow();
      const bool slept = state.sleeper->SleepFor(delay);
      waited += clock.MonotonicNow() - before;
      if (!slept) {
        stop = RetryStop::kCancelled;
        break;
      }
    }
    // Output seen by the caller or a shutdown: no other model either.
    if (stop == RetryStop::kOutputBegan || stop == RetryStop::kCancelled) break;
  }

  summary.stop = stop;
  summary.waited = std::chrono::duration_cast<milliseconds>(waited);
  summary.fallback = final_is_fallback;
  try {
    summary.model.assign(final_model);
  } catch (...) {
  }

  parent.SetAttribute(attr::kRetryAttempts, std::int64_t{summary.attempts});
  parent.SetAttribute(attr::kRetrySucceededAfterRetry, succeeded && summary.attempts > 1);
  parent.SetAttribute(attr::kRetryStopReason, ToString(stop));
  parent.SetAttribute(attr::kRetryWaitedMs, Millis(waited));
  if (succeeded && summary.fallback) parent.SetAttribute(attr::kRetryFallbackModel, final_model);
  if (!succeeded) {
    parent.SetAttribute(attr::kErrorType, ToString(error.type));
    parent.SetStatus(trace::SpanStatus::kError, error.message);
  }
}

}  // namespace internal

std::string_view ToString(RetryStop stop) noexcept {
  switch (stop) {
    case RetryStop::kSucceeded:
      return "succeeded";
    case RetryStop::kNotRetryable:
      return "not_retryable";
    case RetryStop::kOutputBegan:
      return "output_began";
    case RetryStop::kMaxAttempts:
      return "max_attempts";
    case RetryStop::kDeadline:
      return "deadline";
    case RetryStop::kRetryAfterTooLong:
      return "retry_after_too_long";
    case RetryStop::kCancelled:
      return "cancelled";
  }
  return "succeeded";
}

Result<RetryExecutor> RetryExecutor::Create(RetryOptions options) {
  const auto invalid = [](std::string_view field, std::string_view rule) {
    return InvalidArgumentError("retry executor: " + std::string(field) + " " + std::string(rule));
  };
  if (options.max_attempts < 1 || options.max_attempts > kMaxAttemptsLimit) {
    return invalid("max_attempts", "must be between 1 and " + std::to_string(kMaxAttemptsLimit) +
                                       ", got " + std::to_string(options.max_attempts));
  }
  if (options.initial_backoff < milliseconds(0)) {
    return invalid("initial_backoff", "must not be negative");
  }
  if (options.max_backoff < options.initial_backoff) {
    return invalid("max_backoff", "must not be less than initial_backoff");
  }
  if (!(options.multiplier >= 1.0) || !std::isfinite(options.multiplier)) {
    return invalid("multiplier", "must be a finite number >= 1");
  }
  if (options.total_deadline <= milliseconds(0)) {
    return invalid("total_deadline", "must be positive");
  }
  if (options.max_retry_after < milliseconds(0)) {
    return invalid("max_retry_after", "must not be negative");
  }
  for (std::size_t i = 0; i < options.fallback_models.size(); ++i) {
    if (options.fallback_models[i].empty()) {
      return invalid("fallback_models[" + std::to_string(i) + "]", "is empty");
    }
  }
  auto state = std::make_shared<internal::RetryState>();
  if (options.tracer_provider) {
    state->tracer = options.tracer_provider->GetTracer(kScopeName, kScopeVersion);
  }
  state->clock = options.clock ? options.clock : &SystemClock::Instance();
  state->sleeper =
      options.sleeper ? std::move(options.sleeper) : std::make_shared<InterruptibleSleeper>();
  state->options = std::move(options);
  return RetryExecutor(std::move(state));
}

std::chrono::milliseconds RetryExecutor::BackoffDelay(int failed_attempt,
                                                      double uniform01) const noexcept {
  return state_->Backoff(failed_attempt, uniform01);
}

}  // namespace llmtrace::genai
