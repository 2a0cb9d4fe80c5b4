// RetryPolicy: when and how long an OTLP exporter waits before sending a failed batch again.
//
// Retried: HTTP 429, 502, 503, 504 and transport errors (refused, reset, timeout), as the OTLP
// specification lists; never 400 or other 4xx, and never a partial success. The wait before
// attempt n+1 is drawn uniformly from [0, min(max_backoff, initial_backoff * multiplier^n)]
// ("full jitter"), unless the server sent Retry-After, which is honoured. Attempts stop at
// max_attempts or when the export deadline would pass.
// Thread-safety: a value type; the functions are pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "llmtrace/common/clock.h"

namespace llmtrace::otlp {

struct RetryPolicy {
  int max_attempts = 5;  // including the first
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double multiplier = 1.5;
};

// Whether an HTTP status is worth retrying (429, 502, 503, 504).
bool IsRetryableHttpStatus(int status) noexcept;

// The full-jitter wait before the attempt after `attempt` (1 = after the first failure), given a
// uniform random draw in [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt,
                                       double uniform01) noexcept;

// A Retry-After header value: delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00
// GMT", resolved against `now`). nullopt when it cannot be read.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         Timestamp now) noexcept;

}  // namespace llmtrace::otlp
