#include "llmtrace/genai/budget_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace llmtrace::genai {
namespace {

using ::testing::HasSubstr;

TEST(BudgetConfigTest, ParsesTheDocumentedExample) {
  auto budgets = ParseBudgetDefinitionsJson(R"({"budgets":[
      {"name":"team-search-daily","scope":"team","match":"search","window":"daily",
       "time_zone":"Europe/Berlin","limit_usd":50,"limit_tokens":null,"soft_limit":0.8},
      {"name":"all-monthly","scope":"global","window":"monthly","limit_tokens":1e6},
      {"name":"ci-key","scope":"api_key","match":"sk-123","label":"CI","limit_usd":2.5,
       "window":"total"}]})");
  ASSERT_TRUE(budgets.ok()) << budgets.status().ToString();
  ASSERT_EQ(budgets->size(), 3u);
  const BudgetDefinition& team = (*budgets)[0];
  EXPECT_EQ(team.name, "team-search-daily");
  EXPECT_EQ(team.scope, BudgetScope::kTeam);
  EXPECT_EQ(team.match, "search");
  EXPECT_EQ(team.window, BudgetWindow::kDaily);
  EXPECT_EQ(team.time_zone, "Europe/Berlin");
  EXPECT_EQ(team.limit_usd, 50.0);
  EXPECT_FALSE(team.limit_tokens.has_value());
  EXPECT_DOUBLE_EQ(team.soft_limit, 0.8);
  const BudgetDefinition& global = (*budgets)[1];
  EXPECT_EQ(global.scope, BudgetScope::kGlobal);
  EXPECT_EQ(global.window, BudgetWindow::kMonthly);
  EXPECT_EQ(global.time_zone, "UTC");
  EXPECT_EQ(global.limit_tokens, 1'000'000);
  EXPECT_FALSE(global.limit_usd.has_value());
  const BudgetDefinition& key = (*budgets)[2];
  EXPECT_EQ(key.scope, BudgetScope::kApiKey);
  EXPECT_EQ(key.label, "CI");
  EXPECT_EQ(key.window, BudgetWindow::kTotal);

  BudgetLedgerOptions options;
  options.budgets = std::move(*budgets);
  EXPECT_TRUE(BudgetLedger::Create(std::move(options)).ok());
}

TEST(BudgetConfigTest, ErrorsNameTheBudgetIndexAndField) {
  struct Case {
    const char* json;
    const char* expected;
  };
  const Case cases[] = {
      {R"({"budgets":[{"name":"a","scope":"global","limit_usd":1},
                      {"name":"b","scope":"team","match":"x","limit_usd":"50"}]})",
       "budgets[1].limit_usd: expected a number, got a string"},
      {R"({"budgets":[{"name":"a","scope":"planet","limit_usd":1}]})",
       "budgets[0].scope: unknown scope 'planet'"},
      {R"({"budgets":[{"name":"a","scope":"global","window":"weekly","limit_usd":1}]})",
       "budgets[0].window: unknown window 'weekly'"},
      {R"({"budgets":[{"name":"a","scope":"global","limit_usd":1,"limt_tokens":5}]})",
       "budgets[0].limt_tokens: unknown field"},
      {R"({"budgets":[{"scope":"global","limit_usd":1}]})", "budgets[0].name: required"},
      {R"({"budgets":[{"name":"a","limit_usd":1}]})", "budgets[0].scope: required"},
      {R"({"budgets":[{"name":"a","scope":"global"}]})", "budgets[0].limit_usd: set limit_usd"},
      {R"({"budgets":[{"name":"a","scope":"global","limit_tokens":1.5}]})",
       "budgets[0].limit_tokens: expected an integer, got a number"},
      {R"({"budgets":[{"name":"a","scope":"global","limit_usd":-1}]})",
       "budgets[0].limit_usd: must not be negative"},
      {R"({"budgets":[{"name":"a","scope":"global","limit_usd":1,"soft_limit":1.2}]})",
       "budgets[0].soft_limit: must be a fraction"},
      {R"({"budgets":[{"name":7,"scope":"global","limit_usd":1}]})",
       "budgets[0].name: expected a string, got a number"},
      {R"({"budgets":[42]})", "budgets[0]: expected an object, got a number"},
      {R"({"budgets":{}})", "budgets: expected an array, got an object"},
      {R"({"limits":[]})", "unknown top-level field 'limits'"},
      {R"({})", "missing the \"budgets\" array"},
      {R"({"budgets":[)", "not valid JSON"},
  };
  for (const Case& c : cases) {
    auto budgets = ParseBudgetDefinitionsJson(c.json);
    ASSERT_FALSE(budgets.ok()) << c.json;
    EXPECT_EQ(budgets.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(budgets.status().message(), HasSubstr(c.expected)) << c.json;
  }
}

TEST(BudgetConfigTest, AnEmptyListIsValid) {
  auto budgets = ParseBudgetDefinitionsJson(R"({"budgets":[]})");
  ASSERT_TRUE(budgets.ok());
  EXPECT_TRUE(budgets->empty());
}

}  // namespace
}  // namespace llmtrace::genai
