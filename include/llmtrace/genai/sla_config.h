// SlaConfig: the service levels an LLM application promises, read from an SLA file.
//
// One file drives everything that checks the levels: `llmtrace rules` turns it into Prometheus
// recording and alerting rules and a Grafana dashboard (sla_rules.h), and the in-process SLA
// monitor evaluates the same thresholds. The defaults are the seed's (pattern 6):
//   {"p50_latency_ms": 2000, "p95_latency_ms": 5000, "p99_latency_ms": 10000,
//    "ttft_p95_ms": 1000, "error_rate_threshold": 0.01, "min_success_rate": 0.99,
//    "hallucination_rate_threshold": 0.05, "daily_budget_usd": 200,
//    "budget_warning_ratio": 0.9, "min_calls": 20, "labels": {"team": "ai-platform"}}
// Every field is optional; unknown fields are errors (a typo must not silently drop a level),
// and errors name the field ("sla.p95_latency_ms: must be at least p50_latency_ms (2000)").
// Thread-safety: a value type and a pure function.
//
//   Result<SlaConfig> sla = ParseSlaConfigJson(file_text);
//   if (!sla.ok()) return sla.status().WithContext("sla.json");
//   std::string rules = GeneratePrometheusRules(*sla);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmtrace/common/result.h"

namespace llmtrace::genai {

struct SlaConfig {
  double p50_latency_ms = 2000;
  double p95_latency_ms = 5000;
  double p99_latency_ms = 10000;
  double ttft_p95_ms = 1000;
  // Highest acceptable share of failed calls; also the error budget of the burn-rate alerts
  // (an SLO of 1 - error_rate_threshold).
  double error_rate_threshold = 0.01;
  double min_success_rate = 0.99;
  double hallucination_rate_threshold = 0.05;
  double daily_budget_usd = 200;
  // Warn when the day's spend passes this share of daily_budget_usd (the seed: $180 of $200).
  double budget_warning_ratio = 0.9;
  // Latency, TTFT and error-rate rules hold off until a model has made this many calls in the
  // rule's window: one slow call is not a p99, and must not page anyone.
  std::int64_t min_calls = 20;
  // Added to every alert (routing: team, service, ...). Sorted by name.
  std::vector<std::pair<std::string, std::string>> labels = {{"team", "ai-platform"}};
};

// Parses an SLA file (a JSON object; see the format above) over the defaults.
Result<SlaConfig> ParseSlaConfigJson(std::string_view json);

}  // namespace llmtrace::genai
