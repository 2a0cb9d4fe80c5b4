// The JSON bodies the network alert sinks send: one webhook object, and the one-element array
// Alertmanager's POST /api/v2/alerts takes. Pure functions, so tests can check them byte for byte.
#pragma once

#include <string>
#include <string_view>

#include "llmtrace/common/clock.h"
#include "llmtrace/genai/alert.h"

namespace llmtrace::genai::internal {

// "2026-11-25T11:24:25.123Z": RFC 3339, UTC, milliseconds (truncated).
std::string FormatRfc3339Millis(Timestamp time);

// Shortest text that reads back as the same double ("12.4", "0.05", "1e+21"); "NaN", "+Inf",
// "-Inf" for the values JSON has no number for.
std::string FormatAlertNumber(double value);

// {"name":...,"type":...,"severity":...,"state":...,"summary":...,"message":...,"value":...,
//  "threshold":...,"labels":{...},"startsAt":...,"endsAt":...,"fingerprint":...}
std::string WebhookAlertBody(const Alert& alert);

// [{"labels":{...},"annotations":{...},"startsAt":...,"endsAt":...,"generatorURL":...}].
// `ends_at` is decided by the sink (firing: now + 4 x repeat interval; resolved: the alert's).
std::string AlertmanagerAlertBody(const Alert& alert, Timestamp ends_at,
                                  std::string_view generator_url);

}  // namespace llmtrace::genai::internal
