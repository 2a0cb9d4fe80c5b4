// Integration: a real Prometheus Alertmanager (Debian package prometheus-alertmanager) on a
// loopback port receives a firing alert through AlertmanagerAlertSink, lists it as active with
// our labels and annotations, and drops it from its active alerts once the resolution arrives.
// Alertmanager is a required part of the suite: without it the test fails, naming
// scripts/setup.sh --tests.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/genai/alert_sinks.h"
#include "llmtrace/http/curl_http_client.h"
#include "test/support/child_process.h"

namespace llmtrace::genai {
namespace {

using llmtrace::testing::ChildProcess;
using llmtrace::testing::FreeLoopbackPort;
using llmtrace::testing::ReadFileText;
using llmtrace::testing::TempDir;

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kMissing[] =
    "prometheus-alertmanager is not installed; run scripts/setup.sh --tests (Debian package "
    "prometheus-alertmanager)";
constexpr char kAlertName[] = "LLMLatencyP99Breach";

// Polls `done` every 100 ms until it holds or `limit` passes.
bool PollUntil(std::chrono::milliseconds limit, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return true;
}

Alert LatencyAlert() {
  Alert alert;
  alert.name = kAlertName;
  alert.type = "latency_p99_breach";
  alert.severity = AlertSeverity::kCritical;
  alert.summary = "LLM P99 latency exceeds the SLA (10000 ms)";
  alert.message = "gpt-4o: P99 latency over 5m is 12.4 s (SLA 10 s) \xe2\x80\x94 \"quoted\"";
  alert.value = 12.4;
  alert.threshold = 10;
  alert.labels = {
      {"alertname", kAlertName}, {"gen_ai_request_model", "gpt-4o"}, {"severity", "critical"}};
  alert.starts_at = SystemClock::Instance().Now() - seconds(60);
  alert.fingerprint = AlertFingerprint(alert.name, alert.labels);
  return alert;
}

class AlertmanagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("command -v prometheus-alertmanager >/dev/null 2>&1"), 0) << kMissing;
    ASSERT_FALSE(dir_.path().empty());
    const std::filesystem::path config = dir_.path() / "am.yml";
    // One route to a receiver with no integrations: Alertmanager keeps and lists the alerts but
    // notifies nobody.
    std::ofstream(config) << "route:\n"
                             "  receiver: blackhole\n"
                             "receivers:\n"
                             "  - name: blackhole\n";
    port_ = FreeLoopbackPort();
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
    log_ = dir_.path() / "alertmanager.log";
    ASSERT_TRUE(
        alertmanager_.Spawn({"prometheus-alertmanager", "--config.file=" + config.string(),
                             "--storage.path=" + (dir_.path() / "data").string(),
                             "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                             "--cluster.listen-address="},  // no gossip: it would bind 0.0.0.0:9094
                            log_));
    auto client = http::CurlHttpClient::Create();
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(*client);
    const bool ready = PollUntil(seconds(20), [&] {
      if (!alertmanager_.Running()) return true;  // reported below
      auto response = Get("/-/ready");
      return response.ok() && response->status == 200;
    });
    ASSERT_TRUE(alertmanager_.Running()) << "alertmanager exited:\n" << ReadFileText(log_);
    ASSERT_TRUE(ready) << "alertmanager not ready within 20 s:\n" << ReadFileText(log_);
  }

  Result<http::HttpResponse> Get(const std::string& path) {
    return client_->Send({.method = "GET",
                          .url = base_url_ + path,
                          .headers = {},
                          .body = {},
                          .timeout = seconds(5)});
  }

  // Whether GET `path` answers a list holding our alert (then in `found`).
  bool FindOurAlert(const std::string& path, simdjson::dom::element& found) {
    body_.clear();
    auto response = Get(path);
    if (!response.ok() || response->status != 200) return false;
    body_ = response->body;
    simdjson::dom::array alerts;
    if (parser_.parse(body_).get(alerts) != simdjson::SUCCESS) return false;
    for (simdjson::dom::element alert : alerts) {
      std::string_view name;
      if (alert["labels"]["alertname"].get(name) == simdjson::SUCCESS && name == kAlertName) {
        found = alert;
        return true;
      }
    }
    return false;
  }

  TempDir dir_{"llmtrace-alertmanager"};
  std::uint16_t port_ = 0;
  std::string base_url_;
  std::filesystem::path log_;
  ChildProcess alertmanager_;
  std::unique_ptr<http::CurlHttpClient> client_;
  simdjson::dom::parser parser_;
  std::string body_;
};

std::string Str(simdjson::dom::element element) {
  std::string_view view;
  return element.get(view) == simdjson::SUCCESS ? std::string(view) : "<not a string>";
}

TEST_F(AlertmanagerTest, ListsAFiringAlertAsActiveAndDropsItOnceResolved) {
  auto sink = AlertmanagerAlertSink::Create(
      {.base_url = base_url_, .generator_url = "http://grafana.local/d/llm-sla"});
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();

  Alert alert = LatencyAlert();
  (*sink)->Send(alert);
  ASSERT_TRUE((*sink)->Flush(seconds(10)).ok());
  ASSERT_EQ((*sink)->stats().sent, 1u) << ReadFileText(log_);

  simdjson::dom::element listed;
  ASSERT_TRUE(PollUntil(seconds(10), [&] { return FindOurAlert("/api/v2/alerts", listed); }))
      << "alert not listed; last answer: " << body_;
  EXPECT_EQ(Str(listed["labels"]["gen_ai_request_model"]), "gpt-4o");
  EXPECT_EQ(Str(listed["labels"]["severity"]), "critical");
  EXPECT_EQ(Str(listed["annotations"]["summary"]), alert.summary);
  EXPECT_EQ(Str(listed["annotations"]["description"]), alert.message);
  EXPECT_EQ(Str(listed["annotations"]["value"]), "12.4");
  EXPECT_EQ(Str(listed["annotations"]["threshold"]), "10");
  EXPECT_EQ(Str(listed["annotations"]["type"]), "latency_p99_breach");
  EXPECT_EQ(Str(listed["status"]["state"]), "active");
  EXPECT_EQ(Str(listed["generatorURL"]), "http://grafana.local/d/llm-sla");
  // RFC 3339 strings of the same shape compare in time order: endsAt is ahead of startsAt.
  EXPECT_LT(Str(listed["startsAt"]), Str(listed["endsAt"]));

  alert.state = AlertState::kResolved;
  alert.ends_at = SystemClock::Instance().Now();
  (*sink)->Send(alert);
  ASSERT_TRUE((*sink)->Flush(seconds(10)).ok());
  EXPECT_EQ((*sink)->stats().sent, 2u);
  EXPECT_EQ((*sink)->stats().failed, 0u);

  // Alertmanager 0.25 leaves a resolved alert out of GET /api/v2/alerts, filtered or not.
  EXPECT_TRUE(PollUntil(seconds(10),
                        [&] {
                          return !FindOurAlert("/api/v2/alerts?active=true", listed) &&
                                 body_.starts_with("[");
                        }))
      << "still active after the resolution: " << body_;
  EXPECT_TRUE(
      PollUntil(seconds(10),
                [&] { return !FindOurAlert("/api/v2/alerts", listed) && body_.starts_with("["); }))
      << "still listed after the resolution: " << body_;
}

TEST_F(AlertmanagerTest, RejectsAnInvalidLabelNameWithA400ThatIsNotRetried) {
  auto sink = AlertmanagerAlertSink::Create({.base_url = base_url_});
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  Alert alert = LatencyAlert();
  alert.labels.emplace_back("not a label name", "x");
  (*sink)->Send(alert);
  ASSERT_TRUE((*sink)->Flush(seconds(10)).ok());
  EXPECT_EQ((*sink)->stats().failed, 1u);
  EXPECT_EQ((*sink)->stats().retried, 0u);
}

}  // namespace
}  // namespace llmtrace::genai
