// OtlpHttpLogExporter against a scripted HTTP client (no sockets, a ManualClock, no sleeping),
// and end to end over real sockets: Logger -> BatchLogRecordProcessor -> OtlpHttpLogExporter
// -> curl -> a loopback receiver that answers 503 + Retry-After once.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "llmtrace/logs/batch_log_record_processor.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/otlp/logs_encoder.h"
#include "llmtrace/otlp/otlp_http_log_exporter.h"
#include "llmtrace/trace/tracer_provider.h"
#include "test/support/loopback_http_server.h"

namespace llmtrace::otlp {
namespace {

using ::llmtrace::testing::LoopbackHttpServer;
using logs::LogRecordDataPtr;
using logs::Severity;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Answers from a script and records what it was asked.
class ScriptedHttpClient final : public http::HttpClient {
 public:
  void Push(Result<http::HttpResponse> response) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(response));
  }
  Result<http::HttpResponse> Send(const http::HttpRequest& request) noexcept override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (script_.empty()) return http::HttpResponse{.status = 200};
    Result<http::HttpResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }
  std::vector<http::HttpRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  std::deque<Result<http::HttpResponse>> script_;
  std::vector<http::HttpRequest> requests_;
};

double HalfJitter() { return 0.5; }

struct Fixture {
  ManualClock clock;
  std::shared_ptr<ManualSleeper> sleeper = std::make_shared<ManualSleeper>(clock);
  std::shared_ptr<ScriptedHttpClient> client = std::make_shared<ScriptedHttpClient>();
  Resource resource = Resource::Create({{"service.name", "svc"}}, MapEnvironment{});
  InstrumentationScope scope{"scope", "", "", {}};
  std::vector<LogRecordDataPtr> batch;

  std::unique_ptr<OtlpHttpLogExporter> MakeExporter(OtlpHttpOptions options) {
    auto created = OtlpHttpLogExporter::Create(
        options,
        {.http_client = client, .clock = &clock, .sleeper = sleeper, .uniform01 = &HalfJitter});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return std::move(*created);
  }
  void AddRecords(int n) {
    for (int i = 0; i < n; ++i) {
      LogRecordDataPtr record = logs::AcquireLogRecordData();
      record->Begin(clock.Now(), clock.Now(), Severity::kInfo, logs::LogRecordLimits{}, resource,
                    scope);
      record->SetBody("record " + std::to_string(i));
      batch.push_back(std::move(record));
    }
  }
  ExportResult Export(OtlpHttpLogExporter& exporter, milliseconds budget = seconds(30)) {
    return exporter.Export(batch, clock.MonotonicNow() + budget);
  }
};

TEST(OtlpHttpLogExporterTest, ReadsTheLogsVariablesAndPostsToV1Logs) {
  MapEnvironment env{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.test:4318"},
                     {"OTEL_EXPORTER_OTLP_LOGS_HEADERS", "api-key=secret"},
                     {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "api-key=wrong-signal"}};
  EnvironmentReader reader(env);
  Fixture f;
  auto exporter = f.MakeExporter(OtlpHttpOptions::FromEnvironment(reader, OtlpSignal::kLogs));
  EXPECT_EQ(exporter->options().endpoint, "http://collector.test:4318/v1/logs");
  f.AddRecords(2);
  ASSERT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  auto requests = f.client->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "http://collector.test:4318/v1/logs");
  http::HttpResponse as_response{.headers = requests[0].headers};
  EXPECT_EQ(as_response.Header("content-type"), "application/x-protobuf");
  EXPECT_EQ(as_response.Header("api-key"), "secret");
  std::string expected;
  EncodeLogsRequestProto(f.batch, expected);
  EXPECT_EQ(requests[0].body, expected);
  EXPECT_EQ(exporter->stats().items_exported, 2u);
}

TEST(OtlpHttpLogExporterTest, StatsReaderSeesExportsAndOutlivesTheExporter) {
  Fixture f;
  auto exporter = f.MakeExporter({});
  auto reader = exporter->StatsReader();
  f.AddRecords(2);
  ASSERT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  EXPECT_EQ(reader().items_exported, 2u);
  exporter.reset();
  EXPECT_EQ(reader().items_exported, 0u);
}

TEST(OtlpHttpLogExporterTest, TheLogsSpecificEndpointIsUsedAsIs) {
  MapEnvironment env{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318"},
                     {"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "http://logs.test:9999/custom"},
                     {"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json"}};
  EnvironmentReader reader(env);
  OtlpHttpOptions options = OtlpHttpOptions::FromEnvironment(reader, OtlpSignal::kLogs);
  EXPECT_EQ(options.endpoint, "http://logs.test:9999/custom");
  EXPECT_EQ(options.protocol, OtlpProtocol::kHttpJson);
}

TEST(OtlpHttpLogExporterTest, RecordsAPartialSuccessOfLogRecordsWithoutRetrying) {
  Fixture f;
  OtlpHttpOptions options;
  options.endpoint = "http://collector.test:4318/v1/logs";
  options.protocol = OtlpProtocol::kHttpJson;
  auto exporter = f.MakeExporter(options);
  f.client->Push(http::HttpResponse{
      .status = 200,
      .body = R"({"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"too old"}})"});
  f.AddRecords(5);
  EXPECT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  auto requests = f.client->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(exporter->stats().items_rejected, 2u);
  EXPECT_EQ(exporter->stats().items_exported, 3u);
  http::HttpResponse as_response{.headers = requests[0].headers};
  EXPECT_EQ(as_response.Header("content-type"), "application/json");
  std::string expected;
  EncodeLogsRequestJson(f.batch, expected);
  EXPECT_EQ(requests[0].body, expected);
}

TEST(OtlpHttpLogExporterTest, RetriesA503HonouringRetryAfterAndNeverRetriesA400) {
  Fixture f;
  OtlpHttpOptions options;
  options.endpoint = "http://collector.test:4318/v1/logs";
  auto exporter = f.MakeExporter(options);
  f.client->Push(http::HttpResponse{.status = 503, .headers = {{"Retry-After", "2"}}});
  f.AddRecords(3);
  EXPECT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  ASSERT_EQ(f.sleeper->sleeps().size(), 1u);
  EXPECT_EQ(f.sleeper->sleeps()[0], seconds(2));
  EXPECT_EQ(exporter->stats().retries, 1u);

  f.client->Push(http::HttpResponse{.status = 400});
  EXPECT_EQ(f.Export(*exporter), ExportResult::kFailure);
  EXPECT_EQ(f.client->requests().size(), 3u);  // 503, 200, then the 400 once
  EXPECT_EQ(exporter->stats().items_failed, 3u);
}

TEST(OtlpHttpLogExporterTest, AfterShutdownExportsFailFastAndAreCounted) {
  Fixture f;
  OtlpHttpOptions options;
  options.endpoint = "http://collector.test:4318/v1/logs";
  auto exporter = f.MakeExporter(options);
  ASSERT_TRUE(exporter->Shutdown(seconds(1)).ok());
  f.AddRecords(4);
  EXPECT_EQ(f.Export(*exporter), ExportResult::kFailure);
  EXPECT_TRUE(f.client->requests().empty());
  EXPECT_EQ(exporter->stats().items_failed, 4u);
}

TEST(OtlpHttpLogExporterTest, RejectsANonHttpEndpoint) {
  OtlpHttpOptions options;
  options.endpoint = "grpc://collector:4317";
  auto created =
      OtlpHttpLogExporter::Create(options, {.http_client = std::make_shared<ScriptedHttpClient>()});
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("otlp logs exporter"), std::string::npos);
  EXPECT_NE(created.status().message().find("grpc://collector:4317"), std::string::npos);
}

std::size_t CountOccurrences(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

TEST(OtlpLogExportIntegrationTest, RetryAfter503DeliversEveryCorrelatedRecord) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&calls](const LoopbackHttpServer::Request&) {
    if (calls.fetch_add(1) == 0) {
      return LoopbackHttpServer::Response{.status = 503, .headers = {{"Retry-After", "1"}}};
    }
    return LoopbackHttpServer::Response{.status = 200};
  });
  ASSERT_TRUE(server.Start().ok());

  OtlpHttpOptions options;
  options.endpoint = server.base_url() + "/v1/logs";
  options.protocol = OtlpProtocol::kHttpJson;  // countable without a decoder
  options.timeout = milliseconds(2000);
  options.retry = {.max_attempts = 5,
                   .initial_backoff = milliseconds(10),
                   .max_backoff = milliseconds(100),
                   .multiplier = 2.0};
  auto exporter_result = OtlpHttpLogExporter::Create(options);
  ASSERT_TRUE(exporter_result.ok()) << exporter_result.status().ToString();
  OtlpHttpLogExporter* exporter = exporter_result->get();
  auto processor_result = logs::BatchLogRecordProcessor::Create(
      std::move(*exporter_result), {.max_queue_size = 4096,
                                    .schedule_delay = milliseconds(50),
                                    .max_export_batch_size = 100,
                                    .export_timeout = milliseconds(5000)});
  ASSERT_TRUE(processor_result.ok());
  logs::BatchLogRecordProcessor* processor = processor_result->get();
  MapEnvironment env;
  logs::LoggerProviderOptions provider_options;
  provider_options.environment = &env;
  provider_options.processors.push_back(std::move(*processor_result));
  auto provider = *logs::LoggerProvider::Create(std::move(provider_options));
  trace::TracerProviderOptions trace_options;
  trace_options.environment = &env;
  auto tracer_provider = *trace::TracerProvider::Create(std::move(trace_options));

  auto logger = provider->GetLogger("integration");
  trace::Span span = tracer_provider->GetTracer("t")->StartSpan("chat gpt-4o");
  constexpr int kRecords = 250;
  {
    trace::ContextScope scope = span.Activate();
    for (int i = 0; i < kRecords; ++i) {
      logger->Emit(Severity::kInfo, "LLM call completed",
                   {{"gen_ai.request.model", "gpt-4o"}, {"i", i}});
    }
  }
  span.End();
  ASSERT_TRUE(provider->ForceFlush(seconds(20)).ok());

  std::size_t delivered = 0;
  std::size_t correlated = 0;
  bool first_was_refused_with_records = false;
  const std::string trace_id = "\"traceId\":\"" + span.context().trace_id().ToHex() + "\"";
  auto requests = server.requests();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].target, "/v1/logs");
    EXPECT_EQ(requests[i].Header("content-type"), "application/json");
    std::size_t records = CountOccurrences(requests[i].body, "\"observedTimeUnixNano\":");
    if (i == 0) {
      first_was_refused_with_records = records > 0;
    } else {
      delivered += records;
      correlated += CountOccurrences(requests[i].body, trace_id);
    }
  }
  EXPECT_TRUE(first_was_refused_with_records);
  EXPECT_EQ(delivered, std::size_t{kRecords});
  EXPECT_EQ(correlated, std::size_t{kRecords});
  OtlpExporterStats stats = exporter->stats();
  EXPECT_EQ(stats.retries, 1u);
  EXPECT_EQ(stats.items_exported, std::uint64_t{kRecords});
  EXPECT_EQ(stats.items_failed, 0u);
  EXPECT_EQ(processor->stats().records_exported, std::uint64_t{kRecords});
  EXPECT_EQ(processor->stats().records_dropped_queue_full, 0u);
  ASSERT_TRUE(provider->Shutdown(seconds(5)).ok());
}

}  // namespace
}  // namespace llmtrace::otlp
