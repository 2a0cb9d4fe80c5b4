// How long an LLM provider asked the caller to wait, read from the response headers.
//
// Providers say it in five ways: the standard Retry-After (delta-seconds or an HTTP-date),
// retry-after-ms (OpenAI, Azure), OpenAI's x-ratelimit-reset-requests / -tokens as Go-style
// durations ("1s", "6m0s", "250ms", "1h2m3.5s"), and Anthropic's
// anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset as RFC 3339 instants.
// The error classifier (error_classifier.h) fills LlmError::retry_after from here; the retry
// executor may call it directly on any response.
// Thread-safety: pure functions. Untrusted input: garbage and negative values give nullopt,
// never a crash; huge values are clamped to kMaxRetryAfter.
//
//   const HttpHeader headers[] = {{"retry-after", "20"}};
//   auto wait = RetryAfterFromHeaders(headers, clock.Now(), /*rate_limited=*/true);
//   if (wait) sleeper.SleepFor(*wait);
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "llmtrace/common/clock.h"

namespace llmtrace::genai {

// One response header. Names compare case-insensitively.
struct HttpHeader {
  std::string_view name;
  std::string_view value;
};

// No provider asks for more than minutes; a day bounds what a hostile or broken header can make
// a retry loop do.
inline constexpr std::chrono::milliseconds kMaxRetryAfter = std::chrono::hours(24);

// "120" (delta-seconds, also "1.5" as some proxies send) or "Wed, 21 Oct 2015 07:28:00 GMT"
// (IMF-fixdate; an instant in the past is zero).
std::optional<std::chrono::milliseconds> ParseRetryAfterValue(std::string_view value,
                                                              Timestamp now) noexcept;

// A Go time.Duration string as OpenAI writes it: "20ms", "1s", "6m0s", "1h2m3.5s", "0.5s".
std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view value) noexcept;

// An RFC 3339 instant ("2024-05-01T12:00:30Z", "2024-05-01T12:00:30.5+02:00") as the wait
// from `now`; an instant in the past is zero.
std::optional<std::chrono::milliseconds> ParseRfc3339Wait(std::string_view value,
                                                          Timestamp now) noexcept;

// The wait the headers ask for:
//  1. an explicit instruction wins: retry-after-ms, else Retry-After (any status: 503s send it);
//  2. otherwise, only when `rate_limited` (a 429), the providers' rate-limit reset headers: the
//     longest reset among the limits whose *-remaining header is 0, or, when no remaining
//     header says 0, the longest reset of all (the response does not say which limit was hit;
//     waiting for the longest is the one wait that is sure to be enough).
// nullopt when no header says anything usable.
std::optional<std::chrono::milliseconds> RetryAfterFromHeaders(std::span<const HttpHeader> headers,
                                                               Timestamp now,
                                                               bool rate_limited) noexcept;

}  // namespace llmtrace::genai
