// Integration: a real Prometheus server (Debian package prometheus) scrapes PrometheusHttpServer
// and answers a histogram_quantile query over the exposed buckets with the value the bucket
// counts imply. Prometheus is a required part of the suite: without it the test fails, naming
// scripts/setup.sh --tests.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/http/curl_http_client.h"
#include "llmtrace/metrics/prometheus_http_server.h"
#include "test/support/child_process.h"

namespace llmtrace::metrics {
namespace {

using llmtrace::testing::ChildProcess;
using llmtrace::testing::FreeLoopbackPort;
using llmtrace::testing::ReadFileText;
using llmtrace::testing::TempDir;

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kMissing[] =
    "prometheus is not installed; run scripts/setup.sh --tests (Debian package prometheus)";

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A latency histogram of 100 requests: cumulative counts 10, 40, 80, 95, 100 at
// le = 0.1, 0.5, 1, 2.5, 5. The 90th percentile falls in (1, 2.5], 10 of its 15 requests in:
// 1 + 1.5 * 10 / 15 = 2 seconds.
ResourceMetrics LatencySnapshot() {
  HistogramPoint point;
  point.attributes = AttributeSet({{"gen_ai.request.model", "gpt-4o"}});
  point.boundaries = {0.1, 0.5, 1, 2.5, 5};
  point.bucket_counts = {10, 30, 40, 15, 5, 0};
  point.count = 100;
  point.sum = 123.5;
  HistogramData histogram;
  histogram.points = {point};
  MetricData metric;
  metric.descriptor.name = "llm.request.latency";
  metric.descriptor.unit = "s";
  metric.descriptor.description = "LLM request latency";
  metric.data = histogram;
  InstrumentationScope scope;
  scope.name = "llmtrace.test";
  ResourceMetrics snapshot;
  snapshot.resource = std::make_shared<Resource>(
      Resource::Create({{"service.name", "prometheus-it"}}, MapEnvironment{}));
  snapshot.scopes.push_back(ScopeMetrics{scope, {metric}});
  return snapshot;
}

TEST(PrometheusServerTest, ScrapesTheEndpointAndComputesTheExpectedQuantile) {
  ASSERT_EQ(std::system("command -v prometheus >/dev/null 2>&1"), 0) << kMissing;

  auto reader = std::make_shared<PrometheusReader>();
  ASSERT_TRUE(reader->SetCollector([](const MetricReader&) { return LatencySnapshot(); }).ok());
  auto server = PrometheusHttpServer::Start(reader);
  ASSERT_TRUE(server.ok()) << server.status().ToString();

  TempDir dir("llmtrace-prometheus");
  ASSERT_FALSE(dir.path().empty());
  const std::filesystem::path config = dir.path() / "prometheus.yml";
  std::ofstream(config) << "global:\n"
                           "  scrape_interval: 1s\n"
                           "  evaluation_interval: 1s\n"
                           "scrape_configs:\n"
                           "  - job_name: llmtrace\n"
                           "    static_configs:\n"
                           "      - targets: ['127.0.0.1:"
                        << (*server)->port() << "']\n";
  const std::uint16_t prometheus_port = FreeLoopbackPort();
  const std::filesystem::path log = dir.path() / "prometheus.log";
  ChildProcess prometheus;
  ASSERT_TRUE(
      prometheus.Spawn({"prometheus", "--config.file=" + config.string(),
                        "--storage.tsdb.path=" + (dir.path() / "data").string(),
                        "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)},
                       log));

  auto client = http::CurlHttpClient::Create();
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  const std::string url = "http://127.0.0.1:" + std::to_string(prometheus_port) +
                          "/api/v1/query?query=" +
                          UrlEncode("histogram_quantile(0.9, llm_request_latency_seconds_bucket)");

  // Up to 30 s for Prometheus to start, scrape and answer.
  simdjson::dom::parser parser;
  std::string last_answer;
  bool answered = false;
  double quantile = 0;
  std::string series_labels;
  const auto deadline = std::chrono::steady_clock::now() + seconds(30);
  while (!answered && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(prometheus.Running()) << "prometheus exited:\n" << ReadFileText(log);
    std::this_thread::sleep_for(milliseconds(250));
    auto response = (*client)->Send({.method = "GET", .url = url, .timeout = seconds(5)});
    if (!response.ok() || response->status != 200) continue;
    last_answer = response->body;
    simdjson::dom::element root;
    if (parser.parse(last_answer).get(root) != simdjson::SUCCESS) continue;
    simdjson::dom::array result;
    if (root["data"]["result"].get_array().get(result) != simdjson::SUCCESS || result.size() == 0) {
      continue;
    }
    std::string_view value;
    ASSERT_EQ(result.at(0)["value"].at(1).get_string().get(value), simdjson::SUCCESS)
        << last_answer;
    quantile = std::strtod(std::string(value).c_str(), nullptr);
    series_labels = simdjson::minify(result.at(0)["metric"]);
    answered = true;
  }
  ASSERT_TRUE(answered) << "no answer within 30 s; last: " << last_answer << "\nlog:\n"
                        << ReadFileText(log);
  EXPECT_NEAR(quantile, 2.0, 1e-9) << last_answer;
  EXPECT_NE(series_labels.find("\"gen_ai_request_model\":\"gpt-4o\""), std::string::npos)
      << series_labels;
  EXPECT_NE(series_labels.find("\"otel_scope_name\":\"llmtrace.test\""), std::string::npos)
      << series_labels;
  EXPECT_GE((*server)->scrapes(), 1u);

  // target_info carries the resource.
  auto target = (*client)->Send(
      {.method = "GET",
       .url = "http://127.0.0.1:" + std::to_string(prometheus_port) +
              "/api/v1/query?query=" + UrlEncode("target_info{service_name=\"prometheus-it\"}"),
       .timeout = seconds(5)});
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  EXPECT_NE(target->body.find("\"service_name\":\"prometheus-it\""), std::string::npos)
      << target->body;
}

}  // namespace
}  // namespace llmtrace::metrics
