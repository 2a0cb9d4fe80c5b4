#include "llmtrace/genai/retry_after.h"

#include <charconv>
#include <cmath>

#include "llmtrace/common/strings.h"

namespace llmtrace::genai {
namespace {

using std::chrono::milliseconds;

// Milliseconds from a non-negative finite double, clamped to kMaxRetryAfter.
std::optional<milliseconds> ClampedMillis(double ms) noexcept {
  if (!std::isfinite(ms) || ms < 0) return std::nullopt;
  if (ms >= static_cast<double>(kMaxRetryAfter.count())) return kMaxRetryAfter;
  return milliseconds(static_cast<std::int64_t>(std::ceil(ms)));
}

std::optional<milliseconds> WaitUntil(Timestamp instant, Timestamp now) noexcept {
  if (instant <= now) return milliseconds(0);
  const auto wait = std::chrono::duration<double, std::milli>(instant - now);
  return ClampedMillis(wait.count());
}

// An unsigned decimal "12" or "1.5" (no sign, no exponent): what every header here uses.
std::optional<double> ParseDecimal(std::string_view s) noexcept {
  if (s.empty() || s.size() > 32) return std::nullopt;
  bool digit = false;
  bool dot = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Exactly `n` digits at `pos`, advancing it.
std::optional<int> Digits(std::string_view s, std::size_t& pos, std::size_t n) noexcept {
  if (pos + n > s.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

bool Expect(std::string_view s, std::size_t& pos, char c) noexcept {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<Timestamp> CivilTime(int year, int month, int day, int hour, int minute,
                                   int second) noexcept {
  using namespace std::chrono;
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return Timestamp(sys_days(date).time_since_epoch() + hours(hour) + minutes(minute) +
                   seconds(second));
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (the only form RFC 9110 lets senders use).
std::optional<Timestamp> ParseHttpDate(std::string_view s) noexcept {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::size_t comma = s.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  std::size_t pos = comma + 2;
  const auto day = Digits(s, pos, 2);
  if (!day || !Expect(s, pos, ' ') || pos + 3 > s.size()) return std::nullopt;
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (s.substr(pos, 3) == kMonths[i]) month = i + 1;
  }
  pos += 3;
  if (month == 0 || !Expect(s, pos, ' ')) return std::nullopt;
  const auto year = Digits(s, pos, 4);
  if (!year || !Expect(s, pos, ' ')) return std::nullopt;
  const auto hour = Digits(s, pos, 2);
  if (!hour || !Expect(s, pos, ':')) return std::nullopt;
  const auto minute = Digits(s, pos, 2);
  if (!minute || !Expect(s, pos, ':')) return std::nullopt;
  const auto second = Digits(s, pos, 2);
  if (!second || s.substr(pos) != " GMT") return std::nullopt;
  return CivilTime(*year, month, *day, *hour, *minute, *second);
}

bool NameIs(const HttpHeader& header, std::string_view name) noexcept {
  return EqualsIgnoreCase(header.name, name);
}

// The reset/remaining header pairs of the providers' rate limits.
struct RateLimitHeaders {
  std::string_view reset;
  std::string_view remaining;
  bool rfc3339;  // Anthropic: an instant; OpenAI: a Go duration
};
constexpr RateLimitHeaders kRateLimitHeaders[] = {
    {"x-ratelimit-reset-requests", "x-ratelimit-remaining-requests", false},
    {"x-ratelimit-reset-tokens", "x-ratelimit-remaining-tokens", false},
    {"anthropic-ratelimit-requests-reset", "anthropic-ratelimit-requests-remaining", true},
    {"anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-tokens-remaining", true},
    {"anthropic-ratelimit-input-tokens-reset", "anthropic-ratelimit-input-tokens-remaining", true},
    {"anthropic-ratelimit-output-tokens-reset", "anthropic-ratelimit-output-tokens-remaining",
     true},
};

std::optional<std::string_view> Find(std::span<const HttpHeader> headers,
                                     std::string_view name) noexcept {
  for (const HttpHeader& h : headers) {
    if (NameIs(h, name)) return TrimOws(h.value);
  }
  return std::nullopt;
}

}  // namespace

std::optional<milliseconds> ParseRetryAfterValue(std::string_view value, Timestamp now) noexcept {
  value = TrimOws(value);
  if (value.empty()) return std::nullopt;
  if (value[0] >= '0' && value[0] <= '9') {
    const auto seconds = ParseDecimal(value);
    if (!seconds) return std::nullopt;
    return ClampedMillis(*seconds * 1000.0);
  }
  const auto date = ParseHttpDate(value);
  if (!date) return std::nullopt;
  return WaitUntil(*date, now);
}

std::optional<milliseconds> ParseGoDuration(std::string_view value) noexcept {
  value = TrimOws(value);
  if (value.empty() || value.size() > 64) return std::nullopt;
  if (value == "0") return milliseconds(0);
  double total_ms = 0;
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::size_t number_start = pos;
    while (pos < value.size() && ((value[pos] >= '0' && value[pos] <= '9') || value[pos] == '.')) {
      ++pos;
    }
    const auto number = ParseDecimal(value.substr(number_start, pos - number_start));
    if (!number) return std::nullopt;
    const std::size_t unit_start = pos;
    while (pos < value.size() && !(value[pos] >= '0' && value[pos] <= '9') && value[pos] != '.') {
      ++pos;
    }
    const std::string_view unit = value.substr(unit_start, pos - unit_start);
    double scale = 0;
    if (unit == "h") {
      scale = 3'600'000;
    } else if (unit == "m") {
      scale = 60'000;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "ms") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e-3;
    } else if (unit == "ns") {
      scale = 1e-6;
    } else {
      return std::nullopt;
    }
    total_ms += *number * scale;
  }
  return ClampedMillis(total_ms);
}

std::optional<milliseconds> ParseRfc3339Wait(std::string_view value, Timestamp now) noexcept {
  value = TrimOws(value);
  std::size_t pos = 0;
  const auto year = Digits(value, pos, 4);
  if (!year || !Expect(value, pos, '-')) return std::nullopt;
  const auto month = Digits(value, pos, 2);
  if (!month || !Expect(value, pos, '-')) return std::nullopt;
  const auto day = Digits(value, pos, 2);
  if (!day || pos >= value.size()) return std::nullopt;
  const char separator = value[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  const auto hour = Digits(value, pos, 2);
  if (!hour || !Expect(value, pos, ':')) return std::nullopt;
  const auto minute = Digits(value, pos, 2);
  if (!minute || !Expect(value, pos, ':')) return std::nullopt;
  const auto second = Digits(value, pos, 2);
  if (!second) return std::nullopt;
  std::chrono::nanoseconds fraction(0);
  if (pos < value.size() && value[pos] == '.') {
    ++pos;
    std::int64_t scale = 100'000'000;
    const std::size_t start = pos;
    while (pos < value.size() && value[pos] >= '0' && value[pos] <= '9') {
      fraction += std::chrono::nanoseconds((value[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::chrono::minutes offset(0);
  if (pos < value.size() && (value[pos] == 'Z' || value[pos] == 'z')) {
    ++pos;
  } else if (pos < value.size() && (value[pos] == '+' || value[pos] == '-')) {
    const int sign = value[pos++] == '-' ? -1 : 1;
    const auto offset_hours = Digits(value, pos, 2);
    if (!offset_hours || !Expect(value, pos, ':')) return std::nullopt;
    const auto offset_minutes = Digits(value, pos, 2);
    if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) return std::nullopt;
    offset = std::chrono::minutes(sign * (*offset_hours * 60 + *offset_minutes));
  } else {
    return std::nullopt;  // RFC 3339 requires the offset
  }
  if (pos != value.size()) return std::nullopt;
  const auto local = CivilTime(*year, *month, *day, *hour, *minute, *second);
  if (!local) return std::nullopt;
  return WaitUntil(*local + fraction - offset, now);
}

std::optional<milliseconds> RetryAfterFromHeaders(std::span<const HttpHeader> headers,
                                                  Timestamp now, bool rate_limited) noexcept {
  if (auto ms = Find(headers, "retry-after-ms")) {
    if (auto value = ParseDecimal(*ms)) return ClampedMillis(*value);
  }
  if (auto value = Find(headers, "retry-after")) {
    if (auto wait = ParseRetryAfterValue(*value, now)) return wait;
  }
  if (!rate_limited) return std::nullopt;
  std::optional<milliseconds> longest_exhausted;
  std::optional<milliseconds> longest;
  for (const RateLimitHeaders& limit : kRateLimitHeaders) {
    const auto reset = Find(headers, limit.reset);
    if (!reset) continue;
    const auto wait = limit.rfc3339 ? ParseRfc3339Wait(*reset, now) : ParseGoDuration(*reset);
    if (!wait) continue;
    if (!longest || *wait > *longest) longest = wait;
    const auto remaining = Find(headers, limit.remaining);
    if (remaining && *remaining == "0" && (!longest_exhausted || *wait > *longest_exhausted)) {
      longest_exhausted = wait;
    }
  }
  return longest_exhausted ? longest_exhausted : longest;
}

}  // namespace llmtrace::genai
