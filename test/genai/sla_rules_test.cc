// The generated rules and dashboard read metrics llmtrace really emits: a live Instrumentation's
// Prometheus exposition is rendered and every metric and label the rules use is looked up in it.
// (promtool checks the rules' syntax and behaviour: test/rules, run by ctest.)
#include "llmtrace/genai/sla_rules.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>

#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/metrics/prometheus_exposition.h"
#include "src/genai/sla_metric_names.h"
#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using testing::GenAiPipeline;

constexpr std::string_view kCatalog = R"({"models": {
  "gpt-4o": {"provider": "openai", "input": 2.5, "cache_read": 1.25, "cache_write": 2.5,
             "output": 10.0, "currency": "USD", "effective_date": "2024-10-01"}}})";

// The Prometheus text of an application that made a streamed call, a failed call and spent
// against a currency budget and a token budget.
std::string ExpositionAfterTraffic(SemconvFlavour flavour) {
  GenAiPipeline p;
  auto ledger = BudgetLedger::Create({.budgets = {{.name = "daily-usd", .limit_usd = 10.0},
                                                  {.name = "daily-tokens", .limit_tokens = 100000}},
                                      .clock = &p.clock});
  EXPECT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto options = p.Options();
  options.pricing = *PricingCatalog::FromJson(kCatalog, "test catalog");
  options.budgets = *ledger;
  options.semconv = flavour;
  auto genai = p.Create(std::move(options));
  {
    InferenceSpan call =
        genai->StartInference({.provider = "openai", .model = "gpt-4o", .stream = true});
    p.clock.Advance(std::chrono::milliseconds(300));
    call.OnChunk("Hello");
    p.clock.Advance(std::chrono::milliseconds(100));
    call.OnChunk(" world");
    call.AddFinishReason("stop");
    call.SetUsage({.input_tokens = 100, .output_tokens = 20});
    call.End();
  }
  {
    InferenceSpan call = genai->StartInference({.provider = "openai", .model = "gpt-4o"});
    call.SetError("rate_limit", "Rate limit reached");
    call.End();
  }
  return metrics::RenderPrometheusText(p.metrics->reader->Collect());
}

// Metric family names ("# TYPE <name> <type>") and every label name used in a sample.
struct Exposed {
  std::set<std::string> families;
  std::set<std::string> samples;  // sample names: family + _bucket/_sum/_count/_total...
  std::set<std::string> labels;
};

Exposed Parse(const std::string& text) {
  Exposed exposed;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("# TYPE ", 0) == 0) {
      exposed.families.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const std::size_t brace = line.find('{');
    const std::size_t space = line.find(' ');
    exposed.samples.insert(line.substr(0, std::min(brace, space)));
    if (brace == std::string::npos) continue;
    // name="value",name="value"} (values are quoted and may contain anything but \")
    std::size_t i = brace + 1;
    while (i < line.size() && line[i] != '}') {
      const std::size_t eq = line.find('=', i);
      exposed.labels.insert(line.substr(i, eq - i));
      std::size_t close = eq + 2;
      while (close < line.size() && !(line[close] == '"' && line[close - 1] != '\\')) ++close;
      i = close + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
  }
  return exposed;
}

void ExpectNamesAreExposed(SemconvFlavour flavour) {
  const std::string text = ExpositionAfterTraffic(flavour);
  const Exposed exposed = Parse(text);
  const internal::SlaMetricNames names = internal::SlaMetricNamesFor(flavour);
  for (std::string_view histogram : {names.duration, names.time_to_first_chunk}) {
    for (std::string_view suffix : {"_bucket", "_count"}) {
      EXPECT_TRUE(exposed.samples.contains(std::string(histogram) + std::string(suffix)))
          << histogram << suffix << " is not exposed:\n"
          << text;
    }
  }
  if (!names.token_usage_histogram.empty()) {
    EXPECT_TRUE(exposed.samples.contains(std::string(names.token_usage_histogram) + "_sum"));
  } else {
    EXPECT_TRUE(exposed.samples.contains(std::string(names.input_tokens_counter)));
    EXPECT_TRUE(exposed.samples.contains(std::string(names.output_tokens_counter)));
  }
  for (std::string_view sample : {internal::kPromCalls, internal::kPromCost,
                                  internal::kPromBudgetRemaining, internal::kPromBudgetLimit}) {
    EXPECT_TRUE(exposed.samples.contains(std::string(sample))) << sample << " is not exposed";
  }
  for (std::string_view label :
       {internal::kPromModel, internal::kPromErrorType, internal::kPromBudgetName}) {
    EXPECT_TRUE(exposed.labels.contains(std::string(label))) << label << " is not exposed";
  }
  if (!names.token_usage_histogram.empty()) {
    EXPECT_TRUE(exposed.labels.contains(std::string(internal::kPromTokenType)));
  }
}

TEST(SlaRulesTest, EveryMetricAndLabelTheRulesReadIsExposedWithTheDefaultConventions) {
  ExpectNamesAreExposed(SemconvFlavour::kV141);
}

TEST(SlaRulesTest, EveryMetricAndLabelTheRulesReadIsExposedWithTheLatestConventions) {
  ExpectNamesAreExposed(SemconvFlavour::kLatest);
}

TEST(SlaRulesTest, RulesCarryTheSlaThresholdsAndLabels) {
  SlaConfig sla;
  sla.p99_latency_ms = 8000;
  sla.ttft_p95_ms = 750;
  sla.error_rate_threshold = 0.02;
  sla.daily_budget_usd = 50;
  sla.min_calls = 40;
  sla.labels = {{"service", "support-bot"}};
  const std::string rules = GeneratePrometheusRules(sla, {});
  for (const char* expected :
       {"llmtrace:gen_ai_latency_seconds:p99_5m > 8 and on (gen_ai_request_model) "
        "llmtrace:gen_ai_calls:rate5m * 300 >= 40",
        "llmtrace:gen_ai_ttft_seconds:p95_5m > 0.75", "llmtrace:gen_ai_error_ratio:rate5m > 0.02",
        // burn rates: 14.4x and 6x of a 2% budget
        "llmtrace:gen_ai_error_ratio:rate1h > 0.288", "llmtrace:gen_ai_error_ratio:rate6h > 0.12",
        "llmtrace:gen_ai_cost_usd:increase24h > 45", "llmtrace:gen_ai_cost_usd:increase24h > 50",
        "          service: 'support-bot'"}) {
    EXPECT_NE(rules.find(expected), std::string::npos) << expected << "\n" << rules;
  }
  EXPECT_EQ(rules.find("team:"), std::string::npos);
}

TEST(SlaRulesTest, TheLatestConventionsReadTheInferenceMetrics) {
  const std::string rules = GeneratePrometheusRules({}, {.semconv = SemconvFlavour::kLatest});
  EXPECT_NE(rules.find("gen_ai_client_inference_duration_seconds_bucket"), std::string::npos);
  EXPECT_EQ(rules.find("gen_ai_client_operation_duration_seconds"), std::string::npos);
}

TEST(SlaRulesTest, EveryDashboardPanelQueriesASeriesTheRulesRecord) {
  const SlaConfig sla;
  const std::string rules = GeneratePrometheusRules(sla, {});
  const std::string dashboard = GenerateGrafanaDashboard(sla, {});
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(dashboard).get(root), simdjson::SUCCESS) << dashboard;
  simdjson::dom::array panels;
  ASSERT_EQ(root["panels"].get_array().get(panels), simdjson::SUCCESS);
  std::set<std::string> titles;
  int targets = 0;
  for (simdjson::dom::element panel : panels) {
    std::string_view title;
    ASSERT_EQ(panel["title"].get_string().get(title), simdjson::SUCCESS);
    titles.insert(std::string(title));
    simdjson::dom::array panel_targets;
    ASSERT_EQ(panel["targets"].get_array().get(panel_targets), simdjson::SUCCESS);
    for (simdjson::dom::element target : panel_targets) {
      std::string_view expr;
      ASSERT_EQ(target["expr"].get_string().get(expr), simdjson::SUCCESS);
      EXPECT_NE(rules.find("- record: " + std::string(expr) + "\n"), std::string::npos)
          << "panel '" << title << "' queries " << expr << ", which no rule records";
      ++targets;
    }
  }
  EXPECT_GE(targets, 8);
  // The panels the issue asks for.
  for (const char* title :
       {"Token usage (input vs output)", "Latency P50 / P95 / P99", "Time to first token P95",
        "Cost by model (last 24h)", "Error rate by type", "Budget remaining"}) {
    EXPECT_TRUE(titles.contains(title)) << title;
  }
  // SLA thresholds are drawn on the panels: the P99 line at 10 s.
  EXPECT_NE(dashboard.find("\"value\": 10}"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::genai
