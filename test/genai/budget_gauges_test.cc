// The budget gauges report the ledger's own limits and remaining amounts, and stop with the
// Instrumentation that registered them.
#include <gtest/gtest.h>

#include <variant>

#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/genai/semconv.h"
#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using testing::GenAiPipeline;
namespace mt = metrics::testing;

constexpr std::string_view kCatalog = R"({"models": {
  "gpt-4o": {"provider": "openai", "input": 2.5, "cache_read": 1.25, "cache_write": 2.5,
             "output": 10.0, "currency": "USD", "effective_date": "2024-10-01"}}})";

double DoubleOf(const metrics::NumberPoint* point) {
  if (point == nullptr) return -1;
  if (const double* d = std::get_if<double>(&point->value)) return *d;
  return static_cast<double>(std::get<std::int64_t>(point->value));
}

TEST(BudgetGaugesTest, ReportLimitAndWhatIsLeftAfterSpendPerBudget) {
  GenAiPipeline p;
  auto ledger = BudgetLedger::Create({.budgets = {{.name = "daily-usd", .limit_usd = 1.0},
                                                  {.name = "daily-tokens", .limit_tokens = 5000}},
                                      .clock = &p.clock});
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto options = p.Options();
  options.pricing = *PricingCatalog::FromJson(kCatalog, "test catalog");
  options.budgets = *ledger;
  auto genai = p.Create(std::move(options));
  InferenceSpan call = genai->StartInference({.provider = "openai", .model = "gpt-4o"});
  call.SetUsage({.input_tokens = 1000, .output_tokens = 100});  // $0.0035, 1100 tokens
  call.End();

  const metrics::ResourceMetrics snapshot = p.metrics->reader->Collect();
  const auto* limit = mt::FindMetric(snapshot, metric::kBudgetLimit);
  const auto* remaining = mt::FindMetric(snapshot, metric::kBudgetRemaining);
  const auto* remaining_tokens = mt::FindMetric(snapshot, metric::kBudgetRemainingTokens);
  ASSERT_NE(limit, nullptr);
  ASSERT_NE(remaining, nullptr);
  ASSERT_NE(remaining_tokens, nullptr);
  const std::string usd_budget =
      R"(llmtrace.budget.name="daily-usd",llmtrace.budget.scope="global",)"
      R"(llmtrace.budget.window="daily")";
  const std::string token_budget =
      R"(llmtrace.budget.name="daily-tokens",llmtrace.budget.scope="global",)"
      R"(llmtrace.budget.window="daily")";
  EXPECT_DOUBLE_EQ(DoubleOf(mt::FindPoint(mt::Gauges(limit).points, usd_budget)), 1.0);
  EXPECT_NEAR(DoubleOf(mt::FindPoint(mt::Gauges(remaining).points, usd_budget)), 1.0 - 0.0035,
              1e-12);
  EXPECT_EQ(DoubleOf(mt::FindPoint(mt::Gauges(remaining_tokens).points, token_budget)), 3900);
  // Only budgets with a currency limit have currency gauges, and the other way round.
  EXPECT_EQ(mt::Gauges(limit).points.size(), 1u);
  EXPECT_EQ(mt::Gauges(remaining_tokens).points.size(), 1u);
}

TEST(BudgetGaugesTest, StopWhenTheInstrumentationIsDestroyed) {
  GenAiPipeline p;
  auto ledger =
      BudgetLedger::Create({.budgets = {{.name = "daily", .limit_usd = 1.0}}, .clock = &p.clock});
  ASSERT_TRUE(ledger.ok());
  auto options = p.Options();
  options.budgets = *ledger;
  auto genai = p.Create(std::move(options));
  EXPECT_NE(mt::FindMetric(p.metrics->reader->Collect(), metric::kBudgetRemaining), nullptr);
  genai.reset();
  const auto snapshot = p.metrics->reader->Collect();
  const auto* remaining = mt::FindMetric(snapshot, metric::kBudgetRemaining);
  EXPECT_TRUE(remaining == nullptr || mt::Gauges(remaining).points.empty());
}

}  // namespace
}  // namespace llmtrace::genai
