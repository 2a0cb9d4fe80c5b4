#include "llmtrace/otlp/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <string>

#include "llmtrace/common/strings.h"

namespace llmtrace::otlp {

bool IsRetryableHttpStatus(int status) noexcept {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int attempt,
                                       double uniform01) noexcept {
  double cap = static_cast<double>(policy.initial_backoff.count()) *
               std::pow(policy.multiplier, std::max(0, attempt - 1));
  cap = std::min(cap, static_cast<double>(policy.max_backoff.count()));
  uniform01 = std::clamp(uniform01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(cap * uniform01));
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         Timestamp now) noexcept {
  value = TrimWhitespace(value);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) return std::chrono::hours(24 * 365);  // absurd; callers cap it anyway
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  // IMF-fixdate, the preferred HTTP-date form: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  std::string copy(value);
  const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  std::time_t when = timegm(&tm);
  if (when == static_cast<std::time_t>(-1)) return std::nullopt;
  auto delta = std::chrono::system_clock::from_time_t(when) - now;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(delta);
  return std::max(ms, std::chrono::milliseconds(0));
}

}  // namespace llmtrace::otlp
