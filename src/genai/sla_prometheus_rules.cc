// GeneratePrometheusRules: see include/llmtrace/genai/sla_rules.h and docs/alerting.md.
#include <cstdio>
#include <string>
#include <string_view>

#include "llmtrace/genai/sla_rules.h"
#include "src/genai/sla_metric_names.h"

namespace llmtrace::genai {
namespace {

using internal::kPromBudgetLimit;
using internal::kPromBudgetName;
using internal::kPromBudgetRemaining;
using internal::kPromCalls;
using internal::kPromCost;
using internal::kPromErrorType;
using internal::kPromModel;
using internal::kPromTokenType;

// The windows of the error-ratio recording rules: the short and long windows of the SRE
// workbook's multi-window multi-burn-rate alerts, and 5m for the plain error-rate rule.
constexpr std::string_view kErrorRatioWindows[] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};

std::string Num(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

// YAML single-quoted scalar: only the quote itself needs escaping (doubled).
std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  out.push_back('\'');
  return out;
}

class RuleWriter {
 public:
  explicit RuleWriter(const SlaConfig& sla) : sla_(sla) {}

  void Group(std::string_view name) { out_ += Cat({"  - name: ", name, "\n    rules:\n"}); }

  void Record(std::string_view record, std::string_view expr) {
    out_ += Cat({"      - record: ", record, "\n        expr: ", Quoted(expr), "\n"});
  }

  void Alert(std::string_view name, std::string_view expr, std::string_view for_duration,
             std::string_view severity, std::string_view summary, std::string_view description) {
    out_ += Cat({"      - alert: ", name, "\n        expr: ", Quoted(expr), "\n"});
    if (!for_duration.empty()) out_ += Cat({"        for: ", for_duration, "\n"});
    out_ += Cat({"        labels:\n          severity: ", severity, "\n"});
    for (const auto& [label, value] : sla_.labels) {
      out_ += Cat({"          ", label, ": ", Quoted(value), "\n"});
    }
    out_ += Cat({"        annotations:\n          summary: ", Quoted(summary),
                 "\n          description: ", Quoted(description), "\n"});
  }

  std::string Take() { return std::move(out_); }

 private:
  const SlaConfig& sla_;
  std::string out_ = "groups:\n";
};

// "... and on (model) <calls in the window> >= min_calls": the traffic guard of the rate and
// quantile alerts.
std::string WithTraffic(std::string_view expr, std::string_view calls_rate_5m, std::int64_t min) {
  return Cat(
      {expr, " and on (", kPromModel, ") ", calls_rate_5m, " * 300 >= ", std::to_string(min)});
}

void WriteRecordingRules(RuleWriter& w, const internal::SlaMetricNames& names) {
  const std::string by_model = Cat({"sum by (", kPromModel, ") "});
  const std::string by_le_model = Cat({"sum by (le, ", kPromModel, ") "});
  w.Group("llmtrace_sla_recording");
  for (auto [quantile, suffix] :
       {std::pair{"0.5", "p50"}, std::pair{"0.95", "p95"}, std::pair{"0.99", "p99"}}) {
    w.Record(Cat({"llmtrace:gen_ai_latency_seconds:", suffix, "_5m"}),
             Cat({"histogram_quantile(", quantile, ", ", by_le_model, "(rate(", names.duration,
                  "_bucket[5m])))"}));
  }
  w.Record("llmtrace:gen_ai_ttft_seconds:p95_5m",
           Cat({"histogram_quantile(0.95, ", by_le_model, "(rate(", names.time_to_first_chunk,
                "_bucket[5m])))"}));
  w.Record("llmtrace:gen_ai_ttft_samples:rate5m",
           Cat({by_model, "(rate(", names.time_to_first_chunk, "_count[5m]))"}));
  w.Record("llmtrace:gen_ai_calls:rate5m", Cat({by_model, "(rate(", kPromCalls, "[5m]))"}));
  w.Record("llmtrace:gen_ai_errors:rate5m",
           Cat({"sum by (", kPromModel, ", ", kPromErrorType, ") (rate(", kPromCalls, "{",
                kPromErrorType, "!=\"\"}[5m]))"}));
  for (std::string_view window : kErrorRatioWindows) {
    // "or ... * 0" keeps the ratio at 0 (not absent) for a model without any error.
    const std::string all = Cat({by_model, "(rate(", kPromCalls, "[", window, "]))"});
    w.Record(Cat({"llmtrace:gen_ai_error_ratio:rate", window}),
             Cat({"(", by_model, "(rate(", kPromCalls, "{", kPromErrorType, "!=\"\"}[", window,
                  "])) or ", all, " * 0) / ", all}));
  }
  if (!names.token_usage_histogram.empty()) {
    w.Record("llmtrace:gen_ai_tokens:rate5m",
             Cat({"sum by (", kPromModel, ", ", kPromTokenType, ") (rate(",
                  names.token_usage_histogram, "_sum[5m]))"}));
  } else {
    const auto typed = [&](std::string_view counter, std::string_view type) {
      return Cat({"label_replace(", by_model, "(rate(", counter, "[5m])), \"", kPromTokenType,
                  "\", \"", type, "\", \"\", \"\")"});
    };
    w.Record("llmtrace:gen_ai_tokens:rate5m",
             Cat({typed(names.input_tokens_counter, "input"), " or ",
                  typed(names.output_tokens_counter, "output")}));
  }
  w.Record("llmtrace:gen_ai_cost_usd:rate5m", Cat({by_model, "(rate(", kPromCost, "[5m]))"}));
  w.Record("llmtrace:gen_ai_cost_usd:rate1h", Cat({"sum(rate(", kPromCost, "[1h]))"}));
  w.Record("llmtrace:gen_ai_cost_usd:increase24h", Cat({"sum(increase(", kPromCost, "[24h]))"}));
  w.Record("llmtrace:gen_ai_cost_usd_by_model:increase24h",
           Cat({by_model, "(increase(", kPromCost, "[24h]))"}));
  w.Record("llmtrace:budget_remaining:ratio",
           Cat({kPromBudgetRemaining, " / (", kPromBudgetLimit, " > 0)"}));
}

void WriteLatencyAlerts(RuleWriter& w, const SlaConfig& sla) {
  const std::string calls = "llmtrace:gen_ai_calls:rate5m";
  struct Level {
    const char* name;
    const char* suffix;
    double threshold_ms;
    const char* for_duration;
    const char* severity;
  };
  for (const Level& level :
       {Level{"LLMLatencyP50Breach", "p50", sla.p50_latency_ms, "5m", "warning"},
        Level{"LLMLatencyP95Breach", "p95", sla.p95_latency_ms, "5m", "warning"},
        Level{"LLMLatencyP99Breach", "p99", sla.p99_latency_ms, "2m", "critical"}}) {
    const std::string upper = level.suffix == std::string_view("p50")   ? "P50"
                              : level.suffix == std::string_view("p95") ? "P95"
                                                                        : "P99";
    w.Alert(level.name,
            WithTraffic(Cat({"llmtrace:gen_ai_latency_seconds:", level.suffix, "_5m > ",
                             Num(level.threshold_ms / 1000)}),
                        calls, sla.min_calls),
            level.for_duration, level.severity,
            Cat({"LLM ", upper, " latency exceeds the SLA (", Num(level.threshold_ms), " ms)"}),
            Cat({"Model {{ $labels.", kPromModel, " }}: ", upper,
                 " latency over 5m is {{ $value | humanizeDuration }} (SLA ",
                 Num(level.threshold_ms), " ms)."}));
  }
  w.Alert("LLMTTFTP95Breach",
          Cat({"llmtrace:gen_ai_ttft_seconds:p95_5m > ", Num(sla.ttft_p95_ms / 1000), " and on (",
               kPromModel,
               ") llmtrace:gen_ai_ttft_samples:rate5m * 300 >= ", std::to_string(sla.min_calls)}),
          "3m", "warning",
          Cat({"LLM time to first token P95 exceeds the SLA (", Num(sla.ttft_p95_ms), " ms)"}),
          Cat({"Model {{ $labels.", kPromModel,
               " }}: TTFT P95 over 5m is {{ $value | humanizeDuration }} (SLA ",
               Num(sla.ttft_p95_ms), " ms)."}));
}

void WriteErrorAlerts(RuleWriter& w, const SlaConfig& sla) {
  const std::string calls = "llmtrace:gen_ai_calls:rate5m";
  w.Alert("LLMErrorRateHigh",
          WithTraffic(Cat({"llmtrace:gen_ai_error_ratio:rate5m > ", Num(sla.error_rate_threshold)}),
                      calls, sla.min_calls),
          "3m", "critical",
          Cat({"LLM error rate exceeds ", Num(sla.error_rate_threshold * 100), "%"}),
          Cat({"Model {{ $labels.", kPromModel,
               " }}: {{ $value | humanizePercentage }} of calls failed over 5m."}));
  w.Alert("LLMSuccessRateLow",
          WithTraffic(Cat({"1 - llmtrace:gen_ai_error_ratio:rate5m < ", Num(sla.min_success_rate)}),
                      calls, sla.min_calls),
          "3m", "critical", Cat({"LLM success rate below ", Num(sla.min_success_rate * 100), "%"}),
          Cat({"Model {{ $labels.", kPromModel,
               " }}: {{ $value | humanizePercentage }} of calls succeeded over 5m."}));
  // The error budget is error_rate_threshold; a burn rate of 1 spends it exactly over 30 days.
  const double budget = sla.error_rate_threshold;
  const auto burn = [&](std::string_view long_window, std::string_view short_window,
                        double factor) {
    const std::string limit = Num(factor * budget);
    return Cat({"(llmtrace:gen_ai_error_ratio:rate", long_window, " > ", limit,
                " and llmtrace:gen_ai_error_ratio:rate", short_window, " > ", limit, ")"});
  };
  w.Alert("LLMErrorBudgetBurnFast", Cat({burn("1h", "5m", 14.4), " or ", burn("6h", "30m", 6)}),
          "2m", "critical",
          "LLM error budget burning fast (2% of 30 days' budget per hour or faster)",
          Cat({"Model {{ $labels.", kPromModel,
               " }} is failing {{ $value | humanizePercentage }} "
               "of calls against an error budget of ",
               Num(budget * 100), "%."}));
  w.Alert("LLMErrorBudgetBurnSlow", Cat({burn("1d", "2h", 3), " or ", burn("3d", "6h", 1)}), "15m",
          "warning", "LLM error budget burning (will run out within the 30-day window)",
          Cat({"Model {{ $labels.", kPromModel,
               " }} is failing {{ $value | humanizePercentage }} "
               "of calls against an error budget of ",
               Num(budget * 100), "%."}));
}

void WriteCostAlerts(RuleWriter& w, const SlaConfig& sla) {
  const std::string warn_at = Num(sla.daily_budget_usd * sla.budget_warning_ratio);
  w.Alert("LLMDailyBudgetApproaching", Cat({"llmtrace:gen_ai_cost_usd:increase24h > ", warn_at}),
          "5m", "warning", "LLM spend over the last 24 hours is approaching the daily budget",
          Cat({"Spend over 24h is ${{ $value | printf \"%.2f\" }}; warning at $", warn_at,
               ", budget $", Num(sla.daily_budget_usd), "."}));
  w.Alert("LLMDailyBudgetExceeded",
          Cat({"llmtrace:gen_ai_cost_usd:increase24h > ", Num(sla.daily_budget_usd)}), "1m",
          "critical", "LLM spend over the last 24 hours exceeds the daily budget",
          Cat({"Spend over 24h is ${{ $value | printf \"%.2f\" }}; budget $",
               Num(sla.daily_budget_usd), "."}));
  w.Alert("LLMBudgetLow",
          Cat({"llmtrace:budget_remaining:ratio < ", Num(1 - sla.budget_warning_ratio)}), "5m",
          "warning", "An llmtrace budget is nearly spent",
          Cat({"Budget {{ $labels.", kPromBudgetName,
               " }} has {{ $value | humanizePercentage }} left in its window."}));
  // Spend rate against its own baseline: the last hour at more than 3x the average of the 24
  // hours before it, ignoring hours that cost less than 5% of the daily budget.
  w.Alert("LLMCostAnomaly",
          Cat({"llmtrace:gen_ai_cost_usd:rate1h > 3 * sum(rate(", kPromCost,
               "[1d] offset 1h)) and llmtrace:gen_ai_cost_usd:rate1h * 3600 > ",
               Num(sla.daily_budget_usd * 0.05)}),
          "15m", "warning", "LLM spend rate is anomalous",
          "The last hour's spend rate is more than 3x the previous day's average "
          "(${{ $value | printf \"%.4f\" }} per second).");
}

}  // namespace

std::string GeneratePrometheusRules(const SlaConfig& sla, const SlaRulesOptions& options) {
  RuleWriter writer(sla);
  WriteRecordingRules(writer, internal::SlaMetricNamesFor(options.semconv));
  writer.Group("llmtrace_sla_alerts");
  WriteLatencyAlerts(writer, sla);
  WriteErrorAlerts(writer, sla);
  WriteCostAlerts(writer, sla);
  return "# Generated by `llmtrace rules` from an SLA file; regenerate rather than edit.\n" +
         writer.Take();
}

}  // namespace llmtrace::genai
