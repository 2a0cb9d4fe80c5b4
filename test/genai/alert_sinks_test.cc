#include "llmtrace/genai/alert_sinks.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/sleeper.h"
#include "src/genai/alert_payloads.h"
#include "test/genai/genai_test_util.h"
#include "test/support/loopback_http_server.h"

namespace llmtrace::genai {
namespace {

using llmtrace::testing::LoopbackHttpServer;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kGenerous{10'000};  // a bound for waits that end long before it

Alert LatencyAlert() {
  Alert alert;
  alert.name = "LLMLatencyP99Breach";
  alert.type = "latency_p99_breach";
  alert.severity = AlertSeverity::kCritical;
  alert.state = AlertState::kFiring;
  alert.summary = "LLM P99 latency exceeds the SLA (10000 ms)";
  alert.message = "gpt-4o: P99 latency over 5m is 12.4 s (SLA 10 s)";
  alert.value = 12.4;
  alert.threshold = 10;
  alert.labels = {{"alertname", "LLMLatencyP99Breach"},
                  {"gen_ai_request_model", "gpt-4o"},
                  {"severity", "critical"}};
  alert.starts_at = Timestamp{milliseconds(1'764'070'000'123)};  // 2025-11-25T11:26:40.123Z
  alert.fingerprint = AlertFingerprint(alert.name, alert.labels);
  return alert;
}

// Answers from a script (transport errors or statuses), then 200 for ever; records requests.
class ScriptedHttpClient final : public http::HttpClient {
 public:
  explicit ScriptedHttpClient(std::vector<Result<int>> script) : script_(std::move(script)) {}
  Result<http::HttpResponse> Send(const http::HttpRequest& request) noexcept override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    Result<int> next = 200;
    if (calls_ < script_.size()) next = script_[calls_];
    ++calls_;
    if (!next.ok()) return next.status();
    return http::HttpResponse{.status = *next, .headers = {}, .body = {}};
  }
  std::vector<http::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Result<int>> script_;
  std::size_t calls_ = 0;
  std::vector<http::HttpRequest> requests_;
};

// Holds every Send until Release() (or kGenerous passes), so a test controls what is in flight.
class BlockingHttpClient final : public http::HttpClient {
 public:
  Result<http::HttpResponse> Send(const http::HttpRequest&) noexcept override {
    std::unique_lock lock(mutex_);
    ++started_;
    changed_.notify_all();
    // Bounded, so a failing test that never releases cannot hang the sink's destructor.
    changed_.wait_for(lock, kGenerous, [&] { return released_; });
    return http::HttpResponse{.status = 200, .headers = {}, .body = {}};
  }
  bool WaitUntilStarted(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kGenerous, [&] { return started_ >= count; });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int started_ = 0;
  bool released_ = false;
};

std::string Str(simdjson::dom::element element) {
  std::string_view view;
  EXPECT_EQ(element.get(view), simdjson::SUCCESS);
  return std::string(view);
}

// --- payload helpers ---

TEST(AlertPayloadsTest, FormatsTimesAsRfc3339UtcWithTruncatedMilliseconds) {
  EXPECT_EQ(
      internal::FormatRfc3339Millis(Timestamp{std::chrono::nanoseconds(1'764'070'000'123'999'999)}),
      "2025-11-25T11:26:40.123Z");
  EXPECT_EQ(internal::FormatRfc3339Millis(Timestamp{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(internal::FormatRfc3339Millis(Timestamp{milliseconds(-1)}), "1969-12-31T23:59:59.999Z");
}

TEST(AlertPayloadsTest, FormatsNumbersShortestAndNamesNonFiniteValues) {
  EXPECT_EQ(internal::FormatAlertNumber(12.4), "12.4");
  EXPECT_EQ(internal::FormatAlertNumber(0.05), "0.05");
  EXPECT_EQ(internal::FormatAlertNumber(10), "10");
  EXPECT_EQ(internal::FormatAlertNumber(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(internal::FormatAlertNumber(-std::numeric_limits<double>::infinity()), "-Inf");
}

// --- callback and log sinks ---

TEST(CallbackAlertSinkTest, PassesTheAlertToTheCallback) {
  std::vector<std::string> seen;
  CallbackAlertSink sink(
      [&](const Alert& alert) { seen.push_back(alert.name + "/" + alert.type); });
  sink.Send(LatencyAlert());
  EXPECT_EQ(seen, std::vector<std::string>{"LLMLatencyP99Breach/latency_p99_breach"});
  EXPECT_EQ(sink.callback_errors(), 0u);
}

TEST(CallbackAlertSinkTest, CatchesAndCountsExceptionsFromTheCallback) {
  CallbackAlertSink sink([](const Alert&) { throw std::runtime_error("pager down"); });
  sink.Send(LatencyAlert());
  sink.Send(LatencyAlert());
  EXPECT_EQ(sink.callback_errors(), 2u);
  CallbackAlertSink empty(nullptr);
  empty.Send(LatencyAlert());  // a null callback is a no-op, not a crash
  EXPECT_EQ(empty.callback_errors(), 0u);
}

TEST(LogAlertSinkTest, EmitsOneErrorRecordWithTheAlertAttributesForACriticalAlert) {
  testing::GenAiPipeline pipeline;
  LogAlertSink sink(pipeline.logger_provider->GetLogger("llmtrace.alerts"));
  sink.Send(LatencyAlert());
  auto records = pipeline.records->Records();
  ASSERT_EQ(records.size(), 1u);
  const auto& record = *records[0];
  EXPECT_EQ(record.severity(), logs::Severity::kError);
  ASSERT_TRUE(record.has_body());
  EXPECT_EQ(record.body().AsString(), "gpt-4o: P99 latency over 5m is 12.4 s (SLA 10 s)");
  std::map<std::string, AttributeValue, std::less<>> attributes;
  for (const KeyValue& kv : record.attributes()) attributes[std::string(kv.key)] = kv.value;
  const auto text = [&](std::string_view key) -> std::string {
    auto it = attributes.find(key);
    return it == attributes.end() ? "<missing>" : std::string(it->second.AsString());
  };
  EXPECT_EQ(attributes.size(), 11u);  // 8 alert.* + 3 labels
  EXPECT_EQ(text("alert.name"), "LLMLatencyP99Breach");
  EXPECT_EQ(text("alert.level"), "critical");
  EXPECT_EQ(text("alert.type"), "latency_p99_breach");
  EXPECT_EQ(attributes["alert.value"].AsDouble(), 12.4);
  EXPECT_EQ(attributes["alert.threshold"].AsDouble(), 10.0);
  EXPECT_EQ(text("alert.state"), "firing");
  EXPECT_EQ(text("alert.fingerprint"), LatencyAlert().fingerprint);
  EXPECT_EQ(text("alert.label.gen_ai_request_model"), "gpt-4o");
  EXPECT_EQ(text("alert.label.alertname"), "LLMLatencyP99Breach");
  EXPECT_EQ(text("alert.label.severity"), "critical");
}

TEST(LogAlertSinkTest, LogsWarningsAtWarnAndResolutionsAtInfo) {
  testing::GenAiPipeline pipeline;
  LogAlertSink sink(pipeline.logger_provider->GetLogger("llmtrace.alerts"));
  Alert warning = LatencyAlert();
  warning.severity = AlertSeverity::kWarning;
  sink.Send(warning);
  Alert resolved = LatencyAlert();
  resolved.state = AlertState::kResolved;
  sink.Send(resolved);
  auto records = pipeline.records->Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]->severity(), logs::Severity::kWarn);
  EXPECT_EQ(records[1]->severity(), logs::Severity::kInfo);
}

// --- webhook sink ---

struct WebhookFixture {
  ManualClock clock;
  std::shared_ptr<ManualSleeper> sleeper = std::make_shared<ManualSleeper>(clock);

  WebhookAlertSinkOptions Options(std::string url) {
    WebhookAlertSinkOptions options;
    options.url = std::move(url);
    options.headers = {{"Authorization", "Bearer t0ken"}};
    options.delivery.sleeper = sleeper;
    return options;
  }
};

TEST(WebhookAlertSinkTest, PostsOneJsonObjectWithEveryAlertField) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  auto sink = WebhookAlertSink::Create(fixture.Options(server.base_url() + "/hooks/llm"));
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  Alert alert = LatencyAlert();
  alert.message = "quote \" backslash \\ newline \n tab \t bell \x07 dash \u2014 bad \xff end";
  (*sink)->Send(alert);
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hooks/llm");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer t0ken");
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(requests[0].body).get(body), simdjson::SUCCESS) << requests[0].body;
  EXPECT_EQ(Str(body["name"]), "LLMLatencyP99Breach");
  EXPECT_EQ(Str(body["type"]), "latency_p99_breach");
  EXPECT_EQ(Str(body["severity"]), "critical");
  EXPECT_EQ(Str(body["state"]), "firing");
  EXPECT_EQ(Str(body["summary"]), "LLM P99 latency exceeds the SLA (10000 ms)");
  EXPECT_EQ(Str(body["message"]),
            "quote \" backslash \\ newline \n tab \t bell \x07 dash \u2014 bad \uFFFD end");
  EXPECT_EQ(double(body["value"]), 12.4);
  EXPECT_EQ(double(body["threshold"]), 10.0);
  EXPECT_EQ(Str(body["labels"]["alertname"]), "LLMLatencyP99Breach");
  EXPECT_EQ(Str(body["labels"]["gen_ai_request_model"]), "gpt-4o");
  EXPECT_EQ(Str(body["labels"]["severity"]), "critical");
  EXPECT_EQ(simdjson::dom::object(body["labels"]).size(), 3u);
  EXPECT_EQ(Str(body["startsAt"]), "2025-11-25T11:26:40.123Z");
  EXPECT_TRUE(body["endsAt"].is_null());
  EXPECT_EQ(Str(body["fingerprint"]), alert.fingerprint);
  EXPECT_EQ(simdjson::dom::object(body).size(), 12u);
  EXPECT_EQ((*sink)->stats().sent, 1u);
}

TEST(WebhookAlertSinkTest, SendsEndsAtForAResolutionAndNullForNonFiniteValues) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  auto sink = WebhookAlertSink::Create(fixture.Options(server.base_url()));
  ASSERT_TRUE(sink.ok());
  Alert alert = LatencyAlert();
  alert.state = AlertState::kResolved;
  alert.ends_at = alert.starts_at + seconds(90);
  alert.value = std::numeric_limits<double>::infinity();
  (*sink)->Send(alert);
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  ASSERT_EQ(server.request_count(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(server.requests()[0].body).get(body), simdjson::SUCCESS);
  EXPECT_EQ(Str(body["state"]), "resolved");
  EXPECT_EQ(Str(body["endsAt"]), "2025-11-25T11:28:10.123Z");
  EXPECT_TRUE(body["value"].is_null());
}

TEST(WebhookAlertSinkTest, RetriesA503WithExponentialBackoffThenSucceeds) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{.status = ++calls <= 2 ? 503 : 200};
  });
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  auto sink = WebhookAlertSink::Create(fixture.Options(server.base_url()));
  ASSERT_TRUE(sink.ok());
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ(server.request_count(), 3u);
  const AlertDeliveryStats stats = (*sink)->stats();
  EXPECT_EQ(stats.sent, 1u);
  EXPECT_EQ(stats.retried, 2u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(fixture.sleeper->sleeps(),
            (std::vector<std::chrono::nanoseconds>{milliseconds(500), milliseconds(1000)}));
}

TEST(WebhookAlertSinkTest, WaitsAsLongAsRetryAfterAsksCappedAtMaxBackoff) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&](const LoopbackHttpServer::Request&) {
    const int call = ++calls;
    if (call == 1)
      return LoopbackHttpServer::Response{.status = 429, .headers = {{"Retry-After", "3"}}};
    if (call == 2)
      return LoopbackHttpServer::Response{.status = 503, .headers = {{"Retry-After", "3600"}}};
    return LoopbackHttpServer::Response{.status = 200};
  });
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  auto sink = WebhookAlertSink::Create(fixture.Options(server.base_url()));
  ASSERT_TRUE(sink.ok());
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ((*sink)->stats().sent, 1u);
  // 3 s as asked, then the hour asked for cut to max_backoff (30 s).
  EXPECT_EQ(fixture.sleeper->sleeps(), (std::vector<std::chrono::nanoseconds>{
                                           std::chrono::seconds(3), std::chrono::seconds(30)}));
}

TEST(WebhookAlertSinkTest, RetriesTransportErrorsAnd429ButGivesUpAfterMaxAttempts) {
  auto client = std::make_shared<ScriptedHttpClient>(
      std::vector<Result<int>>{UnavailableError("connection refused"), 429, 500, 502, 200});
  WebhookFixture fixture;
  auto options = fixture.Options("http://alerts.invalid/hook");
  options.delivery.max_attempts = 4;
  auto sink = WebhookAlertSink::Create(options, client);
  ASSERT_TRUE(sink.ok());
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ(client->requests().size(), 4u);
  const AlertDeliveryStats stats = (*sink)->stats();
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.retried, 3u);
  (*sink)->Send(LatencyAlert());  // the next alert gets the scripted 200
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ((*sink)->stats().sent, 1u);
}

TEST(WebhookAlertSinkTest, DoesNotRetryA400) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{.status = 400};
  });
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  auto sink = WebhookAlertSink::Create(fixture.Options(server.base_url()));
  ASSERT_TRUE(sink.ok());
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ((*sink)->stats().failed, 1u);
  EXPECT_EQ((*sink)->stats().retried, 0u);
  EXPECT_TRUE(fixture.sleeper->sleeps().empty());
}

TEST(WebhookAlertSinkTest, DropsAndCountsAlertsWhenTheQueueIsFull) {
  auto client = std::make_shared<BlockingHttpClient>();
  WebhookFixture fixture;
  auto options = fixture.Options("http://alerts.invalid/hook");
  options.delivery.max_queue = 2;
  auto sink = WebhookAlertSink::Create(options, client);
  ASSERT_TRUE(sink.ok());
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE(client->WaitUntilStarted(1));  // the first is in flight, out of the queue
  for (int i = 0; i < 5; ++i) (*sink)->Send(LatencyAlert());  // 2 fit, 3 do not
  EXPECT_EQ((*sink)->stats().dropped, 3u);
  client->Release();
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ((*sink)->stats().sent, 3u);
}

TEST(WebhookAlertSinkTest, FlushReportsDeadlineExceededWhileDeliveryIsStuck) {
  auto client = std::make_shared<BlockingHttpClient>();
  WebhookFixture fixture;
  auto sink = WebhookAlertSink::Create(fixture.Options("http://alerts.invalid/hook"), client);
  ASSERT_TRUE(sink.ok());
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE(client->WaitUntilStarted(1));
  const Status stuck = (*sink)->Flush(milliseconds(1));
  EXPECT_EQ(stuck.code(), StatusCode::kDeadlineExceeded) << stuck.ToString();
  client->Release();
  EXPECT_TRUE((*sink)->Flush(kGenerous).ok());
  EXPECT_EQ((*sink)->stats().sent, 1u);
}

TEST(WebhookAlertSinkTest, RejectsInvalidOptionsNamingTheField) {
  WebhookFixture fixture;
  auto no_scheme = WebhookAlertSink::Create(fixture.Options("alerts.example.com/hook"));
  ASSERT_FALSE(no_scheme.ok());
  EXPECT_NE(no_scheme.status().message().find("http://"), std::string::npos);
  auto options = fixture.Options("http://alerts.example.com/hook");
  options.delivery.max_queue = 0;
  auto no_queue = WebhookAlertSink::Create(options);
  ASSERT_FALSE(no_queue.ok());
  EXPECT_NE(no_queue.status().message().find("max_queue"), std::string::npos);
}

// --- Alertmanager sink (request shape; the real Alertmanager is in
// alertmanager_integration_test.cc) ---

TEST(AlertmanagerAlertSinkTest, PostsAnArrayWithLabelsAnnotationsAndAnEndsAtFourRepeatsAhead) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  AlertmanagerAlertSinkOptions options;
  options.base_url = server.base_url() + "/";
  options.repeat_interval = seconds(30);
  options.generator_url = "http://grafana.local/d/llm-sla";
  options.clock = &fixture.clock;  // 2023-11-14T22:13:20Z
  options.delivery.sleeper = fixture.sleeper;
  auto sink = AlertmanagerAlertSink::Create(options);
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  EXPECT_EQ((*sink)->repeat_interval(), seconds(30));
  (*sink)->Send(LatencyAlert());
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/api/v2/alerts");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(requests[0].body).get(body), simdjson::SUCCESS) << requests[0].body;
  ASSERT_EQ(simdjson::dom::array(body).size(), 1u);
  simdjson::dom::element alert = body.at(0);
  EXPECT_EQ(Str(alert["labels"]["alertname"]), "LLMLatencyP99Breach");
  EXPECT_EQ(Str(alert["labels"]["severity"]), "critical");
  EXPECT_EQ(Str(alert["labels"]["gen_ai_request_model"]), "gpt-4o");
  EXPECT_EQ(Str(alert["annotations"]["summary"]), "LLM P99 latency exceeds the SLA (10000 ms)");
  EXPECT_EQ(Str(alert["annotations"]["description"]),
            "gpt-4o: P99 latency over 5m is 12.4 s (SLA 10 s)");
  EXPECT_EQ(Str(alert["annotations"]["value"]), "12.4");
  EXPECT_EQ(Str(alert["annotations"]["threshold"]), "10");
  EXPECT_EQ(Str(alert["annotations"]["type"]), "latency_p99_breach");
  EXPECT_EQ(Str(alert["startsAt"]), "2025-11-25T11:26:40.123Z");
  EXPECT_EQ(Str(alert["endsAt"]), "2023-11-14T22:15:20.000Z");  // now + 4 x 30 s
  EXPECT_EQ(Str(alert["generatorURL"]), "http://grafana.local/d/llm-sla");
}

TEST(AlertmanagerAlertSinkTest, SendsAResolutionWithItsEndsAtOrNow) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  WebhookFixture fixture;
  AlertmanagerAlertSinkOptions options;
  options.base_url = server.base_url();
  options.clock = &fixture.clock;
  options.delivery.sleeper = fixture.sleeper;
  auto sink = AlertmanagerAlertSink::Create(options);
  ASSERT_TRUE(sink.ok());
  Alert resolved = LatencyAlert();
  resolved.state = AlertState::kResolved;
  resolved.ends_at = resolved.starts_at + seconds(5);
  (*sink)->Send(resolved);
  resolved.ends_at = Timestamp{};
  (*sink)->Send(resolved);
  ASSERT_TRUE((*sink)->Flush(kGenerous).ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(requests[0].body).get(body), simdjson::SUCCESS);
  EXPECT_EQ(Str(body.at(0)["endsAt"]), "2025-11-25T11:26:45.123Z");
  EXPECT_FALSE(body.at(0)["generatorURL"].error() == simdjson::SUCCESS);  // omitted when empty
  ASSERT_EQ(parser.parse(requests[1].body).get(body), simdjson::SUCCESS);
  EXPECT_EQ(Str(body.at(0)["endsAt"]), "2023-11-14T22:13:20.000Z");  // the clock's now
}

TEST(AlertmanagerAlertSinkTest, RejectsAZeroRepeatInterval) {
  AlertmanagerAlertSinkOptions options;
  options.repeat_interval = milliseconds(0);
  auto sink = AlertmanagerAlertSink::Create(options);
  ASSERT_FALSE(sink.ok());
  EXPECT_NE(sink.status().message().find("repeat_interval"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::genai
