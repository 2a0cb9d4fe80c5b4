// Prometheus rules and a Grafana dashboard generated from an SLA file (`llmtrace rules`).
//
// The seed hand-writes its alert rules over metric names its code never emits; these are
// generated from SlaConfig over the names llmtrace's Prometheus exposition really produces (a
// test renders a live Instrumentation's metrics and checks every name used here). What comes out:
//   - recording rules (group llmtrace_sla_recording): latency p50/p95/p99 and TTFT p95 per model
//     over 5 minutes, call and error rates, error ratios over the burn-rate windows (5m to 3d),
//     token and cost rates, the rolling 24-hour spend;
//   - alerting rules (group llmtrace_sla_alerts): latency and TTFT breaches, error rate, success
//     rate, multi-window multi-burn-rate alerts on the error budget (Google SRE workbook, ch. 5:
//     14.4x over 1h and 5m or 6x over 6h and 30m pages; 3x over 1d and 2h or 1x over 3d and 6h
//     opens a ticket), daily budget warning and breach, ledger budgets running low, and a cost
//     anomaly (the last hour's spend rate against the day before it). Rate and quantile rules
//     wait for min_calls calls of a model in their window, so a single slow call never pages;
//   - a Grafana dashboard (JSON model, schema 39) whose panels query the recorded series.
// docs/alerting.md lists every rule and panel. Thread-safety: pure functions.
//
//   SlaConfig sla = *ParseSlaConfigJson(text);
//   WriteFile("llmtrace-rules.yml", GeneratePrometheusRules(sla, {}));
//   WriteFile("llmtrace-dashboard.json", GenerateGrafanaDashboard(sla, {}));
#pragma once

#include <string>

#include "llmtrace/genai/semconv.h"
#include "llmtrace/genai/sla_config.h"

namespace llmtrace::genai {

struct SlaRulesOptions {
  // Which duration, TTFT and token metrics the rules read: the v1.41 names (also emitted under
  // gen_ai/dup) or the newest ones. Match OTEL_SEMCONV_STABILITY_OPT_IN of the applications.
  SemconvFlavour semconv = SemconvFlavour::kV141;
};

// A Prometheus rule file (YAML) with the recording and alerting groups.
std::string GeneratePrometheusRules(const SlaConfig& sla, const SlaRulesOptions& options);

// A Grafana dashboard JSON model using a Prometheus data source chosen on import.
std::string GenerateGrafanaDashboard(const SlaConfig& sla, const SlaRulesOptions& options);

}  // namespace llmtrace::genai
