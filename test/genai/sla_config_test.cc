#include "llmtrace/genai/sla_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace llmtrace::genai {
namespace {

TEST(SlaConfigTest, AnEmptyFileGivesTheSeedsServiceLevels) {
  auto sla = ParseSlaConfigJson("{}");
  ASSERT_TRUE(sla.ok()) << sla.status().ToString();
  EXPECT_EQ(sla->p50_latency_ms, 2000);
  EXPECT_EQ(sla->p95_latency_ms, 5000);
  EXPECT_EQ(sla->p99_latency_ms, 10000);
  EXPECT_EQ(sla->ttft_p95_ms, 1000);
  EXPECT_EQ(sla->error_rate_threshold, 0.01);
  EXPECT_EQ(sla->min_success_rate, 0.99);
  EXPECT_EQ(sla->hallucination_rate_threshold, 0.05);
  EXPECT_EQ(sla->daily_budget_usd, 200);
}

TEST(SlaConfigTest, TheShippedFileParsesToTheDefaults) {
  std::ifstream file(std::string(LLMTRACE_SOURCE_DIR) + "/data/sla.json");
  ASSERT_TRUE(file) << "data/sla.json is missing";
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto sla = ParseSlaConfigJson(text);
  ASSERT_TRUE(sla.ok()) << sla.status().ToString();
  const SlaConfig defaults;
  EXPECT_EQ(sla->p99_latency_ms, defaults.p99_latency_ms);
  EXPECT_EQ(sla->budget_warning_ratio, defaults.budget_warning_ratio);
  EXPECT_EQ(sla->min_calls, defaults.min_calls);
  EXPECT_EQ(sla->labels, defaults.labels);
}

TEST(SlaConfigTest, FieldsOverrideTheDefaultsAndLabelsReplaceThem) {
  auto sla = ParseSlaConfigJson(
      R"({"p99_latency_ms": 8000, "min_calls": 50, "labels": {"service": "chat", "env": "prod"}})");
  ASSERT_TRUE(sla.ok()) << sla.status().ToString();
  EXPECT_EQ(sla->p99_latency_ms, 8000);
  EXPECT_EQ(sla->p95_latency_ms, 5000);
  EXPECT_EQ(sla->min_calls, 50);
  const std::vector<std::pair<std::string, std::string>> labels = {{"env", "prod"},
                                                                   {"service", "chat"}};
  EXPECT_EQ(sla->labels, labels);  // sorted; the default team label is gone
}

struct BadSla {
  const char* json;
  const char* message;  // a substring the error must contain
};

class SlaConfigErrorTest : public ::testing::TestWithParam<BadSla> {};

TEST_P(SlaConfigErrorTest, RejectsTheFileNamingTheField) {
  auto sla = ParseSlaConfigJson(GetParam().json);
  ASSERT_FALSE(sla.ok()) << GetParam().json;
  EXPECT_NE(sla.status().message().find(GetParam().message), std::string::npos)
      << sla.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SlaConfigErrorTest,
    ::testing::Values(
        BadSla{"{", "not valid JSON"}, BadSla{"[1]", "expected a JSON object"},
        BadSla{R"({"p99_latency": 1})", "sla.p99_latency: unknown field"},
        BadSla{R"({"p95_latency_ms": "5s"})", "sla.p95_latency_ms: expected a number"},
        BadSla{R"({"p95_latency_ms": 0})", "sla.p95_latency_ms: must be greater than 0"},
        BadSla{R"({"p95_latency_ms": 1000})",
               "sla.p95_latency_ms: must be at least p50_latency_ms (2000)"},
        BadSla{R"({"p99_latency_ms": 4000})", "sla.p99_latency_ms: must be at least"},
        BadSla{R"({"error_rate_threshold": 1.5})", "sla.error_rate_threshold: must be between"},
        BadSla{R"({"min_success_rate": 0})", "sla.min_success_rate: must be between"},
        BadSla{R"({"min_calls": 0})", "sla.min_calls: must be at least 1"},
        BadSla{R"({"min_calls": 2.5})", "sla.min_calls: expected an integer"},
        BadSla{R"({"labels": ["team"]})", "sla.labels: expected an object"},
        BadSla{R"({"labels": {"9lives": "x"}})", "sla.labels.9lives: not a Prometheus label"},
        BadSla{R"({"labels": {"severity": "x"}})", "sla.labels.severity: reserved"},
        BadSla{R"({"labels": {"team": 7}})", "sla.labels.team: expected a string"}));

}  // namespace
}  // namespace llmtrace::genai
