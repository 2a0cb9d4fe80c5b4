// GenerateGrafanaDashboard: see include/llmtrace/genai/sla_rules.h and docs/alerting.md.
//
// Every panel reads a series recorded by GeneratePrometheusRules (or a raw llmtrace metric), so
// the PromQL lives in one place and is checked by `promtool check rules`; SLA thresholds are
// drawn as red threshold lines on the panels they apply to.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/genai/sla_rules.h"
#include "src/genai/json_text.h"
#include "src/genai/sla_metric_names.h"

namespace llmtrace::genai {
namespace {

struct Target {
  std::string expr;
  std::string legend;
};

struct Panel {
  std::string title;
  std::string type;  // timeseries | barchart | piechart | stat
  std::string unit;  // Grafana unit id: s, percentunit, currencyUSD, short
  std::vector<Target> targets;
  double threshold = -1;  // drawn in red when >= 0
  std::string description;
};

std::string Num(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string Quote(std::string_view text) {
  std::string out;
  internal::AppendJsonString(out, text);
  return out;
}

void AppendPanel(std::string& out, const Panel& panel, int id) {
  const int x = (id - 1) % 2 * 12;
  const int y = (id - 1) / 2 * 8;
  out += "    {\"id\": " + std::to_string(id) + ", \"type\": " + Quote(panel.type) +
         ", \"title\": " + Quote(panel.title) + ", \"description\": " + Quote(panel.description) +
         ",\n     \"datasource\": {\"type\": \"prometheus\", " +
         "\"uid\": \"${DS_PROMETHEUS}\"},\n     \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": " +
         std::to_string(x) + ", \"y\": " + std::to_string(y) + "},\n";
  out += "     \"fieldConfig\": {\"defaults\": {\"unit\": " + Quote(panel.unit);
  if (panel.threshold >= 0) {
    out +=
        ", \"thresholds\": {\"mode\": \"absolute\", \"steps\": [{\"color\": \"green\", "
        "\"value\": null}, {\"color\": \"red\", \"value\": " +
        Num(panel.threshold) + "}]}, \"custom\": {\"thresholdsStyle\": {\"mode\": \"line\"}}";
  }
  out += "}, \"overrides\": []},\n     \"targets\": [";
  char ref = 'A';
  for (std::size_t i = 0; i < panel.targets.size(); ++i) {
    if (i > 0) out += ", ";
    out += "\n       {\"refId\": \"" + std::string(1, ref++) +
           "\", \"expr\": " + Quote(panel.targets[i].expr) +
           ", \"legendFormat\": " + Quote(panel.targets[i].legend) + "}";
  }
  out += "]}";
}

}  // namespace

std::string GenerateGrafanaDashboard(const SlaConfig& sla, const SlaRulesOptions& /*options*/) {
  const std::string model = "{{" + std::string(internal::kPromModel) + "}}";
  const std::vector<Panel> panels = {
      {"Token usage (input vs output)",
       "timeseries",
       "short",
       {{"llmtrace:gen_ai_tokens:rate5m", model + " " + "{{gen_ai_token_type}}"}},
       -1,
       "Tokens per second by model and token type (5m rate)."},
      {"Latency P50 / P95 / P99",
       "timeseries",
       "s",
       {{"llmtrace:gen_ai_latency_seconds:p50_5m", "p50 " + model},
        {"llmtrace:gen_ai_latency_seconds:p95_5m", "p95 " + model},
        {"llmtrace:gen_ai_latency_seconds:p99_5m", "p99 " + model}},
       sla.p99_latency_ms / 1000,
       "Operation duration quantiles over 5m; the line is the P99 SLA."},
      {"Time to first token P95",
       "timeseries",
       "s",
       {{"llmtrace:gen_ai_ttft_seconds:p95_5m", model}},
       sla.ttft_p95_ms / 1000,
       "Streaming calls only; the line is the TTFT P95 SLA."},
      {"Cost by model (last 24h)",
       "piechart",
       "currencyUSD",
       {{"llmtrace:gen_ai_cost_usd_by_model:increase24h", model}},
       -1,
       "Spend per model over a rolling 24 hours, from the pricing catalog."},
      {"Error rate by type",
       "timeseries",
       "reqps",
       {{"llmtrace:gen_ai_errors:rate5m", model + " {{error_type}}"}},
       -1,
       "Failed calls per second by error.type (docs/errors.md lists the values)."},
      {"Error ratio",
       "timeseries",
       "percentunit",
       {{"llmtrace:gen_ai_error_ratio:rate5m", "5m " + model},
        {"llmtrace:gen_ai_error_ratio:rate1h", "1h " + model}},
       sla.error_rate_threshold,
       "Share of failed calls; the line is the error-rate SLA."},
      {"Spend over 24h vs daily budget",
       "stat",
       "currencyUSD",
       {{"llmtrace:gen_ai_cost_usd:increase24h", "spend"}},
       sla.daily_budget_usd,
       "Rolling 24-hour spend; red past the daily budget."},
      {"Budget remaining",
       "timeseries",
       "percentunit",
       {{"llmtrace:budget_remaining:ratio", "{{" + std::string(internal::kPromBudgetName) + "}}"}},
       1 - sla.budget_warning_ratio,
       "Share of each llmtrace budget left in its window (from the budget ledger)."},
  };
  std::string out =
      "{\n  \"__inputs\": [{\"name\": \"DS_PROMETHEUS\", \"label\": \"Prometheus\", \"type\": "
      "\"datasource\", \"pluginId\": \"prometheus\", \"pluginName\": \"Prometheus\"}],\n"
      "  \"title\": \"llmtrace: LLM service levels\",\n  \"uid\": \"llmtrace-sla\",\n"
      "  \"tags\": [\"llmtrace\", \"genai\"],\n  \"schemaVersion\": 39,\n  \"version\": 1,\n"
      "  \"editable\": true,\n  \"refresh\": \"30s\",\n"
      "  \"time\": {\"from\": \"now-6h\", \"to\": \"now\"},\n  \"panels\": [\n";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    if (i > 0) out += ",\n";
    AppendPanel(out, panels[i], static_cast<int>(i) + 1);
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace llmtrace::genai
