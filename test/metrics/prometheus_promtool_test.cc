// `promtool check metrics` (Debian package prometheus) accepts the text exposition, lint
// included. promtool is a required part of the suite: without it these tests fail, naming
// scripts/setup.sh --tests.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/metrics/prometheus_exposition.h"
#include "llmtrace/metrics/prometheus_reader.h"

namespace llmtrace::metrics {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `promtool check metrics` with `text` on its stdin.
CommandResult PromtoolCheck(const std::string& text) {
  char path[] = "/tmp/llmtrace-promtool-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return {};
  ::close(fd);
  std::ofstream(path, std::ios::binary) << text;
  const std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe != nullptr) {
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::filesystem::remove(path);
  return result;
}

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

MetricData Metric(std::string name, std::string unit, std::string description,
                  std::variant<SumData, GaugeData, HistogramData> data) {
  MetricData metric;
  metric.descriptor.name = std::move(name);
  metric.descriptor.unit = std::move(unit);
  metric.descriptor.description = std::move(description);
  metric.data = std::move(data);
  return metric;
}

NumberPoint Number(AttributeSet attributes, PointValue value) {
  NumberPoint point;
  point.attributes = std::move(attributes);
  point.value = value;
  return point;
}

// A snapshot with every kind promtool can see: counters (int and double), an up-down counter,
// gauges (including +Inf, NaN and a ratio), histograms (with buckets, and empty), escaping, a
// resource and two scopes.
ResourceMetrics RichSnapshot() {
  ResourceMetrics snapshot;
  snapshot.resource = std::make_shared<Resource>(Resource::Create(
      {{"service.name", "rag-api"}, {"note", "quote \" backslash \\ newline \n end"}},
      MapEnvironment{}));
  InstrumentationScope genai;
  genai.name = "llmtrace.genai";
  genai.version = "0.1.0";
  InstrumentationScope app;
  app.name = "app";

  SumData requests;
  requests.points = {
      Number({{"gen_ai.system", "openai"}, {"http.status_code", 200}}, std::int64_t{42}),
      Number({{"gen_ai.system", "anthropic"}, {"http.status_code", 429}}, std::int64_t{3})};
  SumData cost;
  cost.points = {Number({{"gen_ai.request.model", "gpt-4o"}}, 0.0375)};
  SumData in_flight;
  in_flight.monotonic = false;
  in_flight.points = {Number({}, std::int64_t{-2})};
  GaugeData ratio;
  ratio.points = {Number({{"cache", "semantic"}}, 0.75), Number({{"cache", "exact"}}, 1.0)};
  GaugeData odd;
  odd.points = {Number({{"k", "inf"}}, std::numeric_limits<double>::infinity()),
                Number({{"k", "nan"}}, std::numeric_limits<double>::quiet_NaN()),
                Number({{"k", "escape"}}, std::int64_t{1})};
  odd.points[2].attributes.Set("path", "C:\\dir\n\"x\"");

  HistogramPoint latency;
  latency.attributes = AttributeSet({{"gen_ai.request.model", "gpt-4o"}});
  latency.boundaries = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  latency.bucket_counts = {0, 1, 3, 10, 20, 5, 1, 0, 0};
  latency.count = 40;
  latency.sum = 31.5;
  HistogramPoint empty;
  empty.boundaries = {1, 2};
  empty.bucket_counts = {0, 0, 0};
  HistogramData latency_data;
  latency_data.points = {latency};
  HistogramData size_data;
  size_data.points = {empty};

  snapshot.scopes.push_back(ScopeMetrics{
      genai,
      {Metric("gen_ai.client.requests", "{request}", "LLM requests", requests),
       Metric("gen_ai.client.cost", "USD", "Money spent", cost),
       Metric("gen_ai.client.operation.duration", "s", "Operation latency", latency_data),
       Metric("gen_ai.client.request.size", "By", "Request body size", size_data)}});
  snapshot.scopes.push_back(
      ScopeMetrics{app,
                   {Metric("app.requests.in_flight", "{request}", "Requests in flight", in_flight),
                    Metric("cache.hit", "1", "Cache hit ratio", ratio),
                    Metric("odd.values", "", "Special values and \"escapes\"\nsecond line", odd),
                    Metric("gen_ai.client.requests", "{request}", "LLM requests", requests)}});
  return snapshot;
}

TEST(PrometheusPromtoolTest, PromtoolIsInstalled) {
  EXPECT_TRUE(HavePromtool())
      << "promtool is not installed; run scripts/setup.sh --tests (Debian package prometheus)";
}

TEST(PrometheusPromtoolTest, AcceptsTheRenderedTextWithoutLintProblems) {
  ASSERT_TRUE(HavePromtool())
      << "promtool is not installed; run scripts/setup.sh --tests (Debian package prometheus)";
  const std::string text = RenderPrometheusText(RichSnapshot());
  const CommandResult result = PromtoolCheck(text);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\n--- text ---\n" << text;
  EXPECT_EQ(result.output, "") << "--- text ---\n" << text;
}

TEST(PrometheusPromtoolTest, AcceptsWhatAMeterProviderRecordedThroughAPrometheusReader) {
  ASSERT_TRUE(HavePromtool())
      << "promtool is not installed; run scripts/setup.sh --tests (Debian package prometheus)";
  auto reader = std::make_shared<PrometheusReader>();
  MapEnvironment env;
  MeterProviderOptions options;
  options.readers.push_back(reader);
  options.environment = &env;
  options.resource_attributes = AttributeSet({{"service.name", "e2e"}});
  auto provider = MeterProvider::Create(std::move(options));
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  auto meter = (*provider)->GetMeter("llmtrace.genai", "0.1.0");
  auto tokens = meter->CreateInt64Counter("gen_ai.client.token.usage",
                                          {.description = "Tokens", .unit = "{token}"});
  auto duration = meter->CreateDoubleHistogram(
      "gen_ai.client.operation.duration",
      {.description = "Duration", .unit = "s", .bucket_boundaries = {0.5, 1, 2}});
  tokens.Add(350, {{"gen_ai.token.type", "output"}});
  tokens.Add(50, {{"gen_ai.token.type", "output"}});
  duration.Record(0.75, {{"gen_ai.request.model", "gpt-4o"}});
  duration.Record(1.5, {{"gen_ai.request.model", "gpt-4o"}});

  const std::string text = reader->Render();
  EXPECT_NE(text.find("gen_ai_client_token_usage_total{gen_ai_token_type=\"output\","
                      "otel_scope_name=\"llmtrace.genai\",otel_scope_version=\"0.1.0\"} 400\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("gen_ai_client_operation_duration_seconds_bucket{gen_ai_request_model="
                      "\"gpt-4o\",otel_scope_name=\"llmtrace.genai\",otel_scope_version="
                      "\"0.1.0\",le=\"1\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("gen_ai_client_operation_duration_seconds_count{"), std::string::npos)
      << text;
  EXPECT_NE(text.find("target_info{"), std::string::npos) << text;
  const CommandResult result = PromtoolCheck(text);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\n--- text ---\n" << text;
  EXPECT_EQ(result.output, "") << "--- text ---\n" << text;
}

TEST(PrometheusPromtoolTest, ReportsABrokenPageSoTheCheckCanFail) {
  ASSERT_TRUE(HavePromtool())
      << "promtool is not installed; run scripts/setup.sh --tests (Debian package prometheus)";
  const CommandResult result = PromtoolCheck("# TYPE x counter\nx{a=\"unterminated} 1\n");
  EXPECT_NE(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace llmtrace::metrics
