// ErrorType: the taxonomy of what goes wrong in an LLM call, and LlmError, one failed attempt.
//
// Every failure llmtrace records or acts on is one of these types: the value of the `error.type`
// span attribute, the `error.type` label of the error counter, and what the retry executor looks
// at to decide whether another attempt is worth it. The string values are stable (dashboards and
// alert rules match on them); docs/errors.md says what each one means and where it comes from.
// Classification from HTTP statuses, provider error bodies, finish reasons and transport errors
// is in error_classifier.h.
// Thread-safety: value types and pure functions.
//
//   LlmError e{ErrorType::kRateLimit, "Rate limit reached for gpt-4o", 429};
//   if (IsRetryable(e.type)) { ... }
//   span.SetError(ToString(e.type), e.message);
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmtrace::genai {

enum class ErrorType {
  kRateLimit,              // too many requests or tokens per minute: wait and retry
  kQuotaExceeded,          // the account is out of credit or over its hard quota: do not retry
  kContextLengthExceeded,  // prompt + max_tokens exceed the model's context window
  kInvalidApiKey,          // missing, wrong or revoked key; also permission denied
  kModelNotFound,          // unknown model, or one this key may not use
  kTimeout,                // no (complete) answer within the deadline
  kContentFilter,          // the provider refused or cut the output for safety reasons
  kHallucination,          // an evaluator judged the answer unsupported (not a provider error)
  kEmptyResponse,          // a successful call that returned no content and no tool call
  kBudgetExceeded,         // llmtrace's own budget ledger refused the call before it was made
  kServiceUnavailable,     // 5xx, overloaded (Anthropic 529), maintenance: retry later
  kInvalidRequest,         // any other 4xx the caller must fix (bad parameters, bad JSON)
  kNetwork,                // connection refused/reset, DNS, TLS: nothing usable arrived
  kOther,                  // none of the above (the classifier's last resort)
};

inline constexpr int kErrorTypeCount = static_cast<int>(ErrorType::kOther) + 1;

// The `error.type` value: "rate_limit", "quota_exceeded", ..., "other".
constexpr std::string_view ToString(ErrorType type) noexcept {
  switch (type) {
    case ErrorType::kRateLimit:
      return "rate_limit";
    case ErrorType::kQuotaExceeded:
      return "quota_exceeded";
    case ErrorType::kContextLengthExceeded:
      return "context_length_exceeded";
    case ErrorType::kInvalidApiKey:
      return "invalid_api_key";
    case ErrorType::kModelNotFound:
      return "model_not_found";
    case ErrorType::kTimeout:
      return "timeout";
    case ErrorType::kContentFilter:
      return "content_filter";
    case ErrorType::kHallucination:
      return "hallucination";
    case ErrorType::kEmptyResponse:
      return "empty_response";
    case ErrorType::kBudgetExceeded:
      return "budget_exceeded";
    case ErrorType::kServiceUnavailable:
      return "service_unavailable";
    case ErrorType::kInvalidRequest:
      return "invalid_request";
    case ErrorType::kNetwork:
      return "network";
    case ErrorType::kOther:
      return "other";
  }
  return "other";
}

// The type whose ToString is `value`; nullopt for anything else (e.g. a config typo).
std::optional<ErrorType> ErrorTypeFromString(std::string_view value) noexcept;

// Whether another attempt of the same request can succeed without the caller changing it:
// rate_limit, timeout, service_unavailable and network. Everything else fails the same way again
// (or, for quota and budget, must not be retried automatically).
constexpr bool IsRetryable(ErrorType type) noexcept {
  return type == ErrorType::kRateLimit || type == ErrorType::kTimeout ||
         type == ErrorType::kServiceUnavailable || type == ErrorType::kNetwork;
}

// One failed attempt, as the classifier saw it.
struct LlmError {
  ErrorType type = ErrorType::kOther;
  std::string message;        // the provider's message, or the transport error; never content
  int http_status = 0;        // 0 when no HTTP response arrived
  std::string provider_code;  // the provider's own code/type, e.g. "insufficient_quota"
  // How long the server asked us to wait (Retry-After, retry-after-ms, or the providers'
  // rate-limit reset headers), when it said.
  std::optional<std::chrono::milliseconds> retry_after;
};

}  // namespace llmtrace::genai
