#include "llmtrace/otlp/otlp_http_span_exporter.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <deque>
#include <mutex>

#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::otlp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Answers from a script and records what it was asked.
class ScriptedHttpClient final : public http::HttpClient {
 public:
  void Push(Result<http::HttpResponse> response) { script_.push_back(std::move(response)); }
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

http::HttpResponse Status(int code, http::HeaderList headers = {}, std::string body = "") {
  return http::HttpResponse{.status = code, .headers = std::move(headers), .body = std::move(body)};
}

double HalfJitter() { return 0.5; }

struct Fixture {
  ManualClock clock;
  std::shared_ptr<ManualSleeper> sleeper = std::make_shared<ManualSleeper>(clock);
  std::shared_ptr<ScriptedHttpClient> client = std::make_shared<ScriptedHttpClient>();
  MapEnvironment env;
  std::shared_ptr<trace::TracerProvider> provider;
  std::vector<trace::SpanDataPtr> batch;

  Fixture() {
    trace::TracerProviderOptions options;
    options.environment = &env;
    provider = *trace::TracerProvider::Create(std::move(options));
  }

  std::unique_ptr<OtlpHttpSpanExporter> MakeExporter(OtlpHttpOptions options = {}) {
    options.endpoint = "http://collector.test:4318/v1/traces";
    return std::move(*OtlpHttpSpanExporter::Create(
        options,
        {.http_client = client, .clock = &clock, .sleeper = sleeper, .uniform01 = &HalfJitter}));
  }

  // Spans built by hand, since the provider exports nowhere.
  void AddSpans(int n) {
    auto tracer = provider->GetTracer("t");
    for (int i = 0; i < n; ++i) {
      trace::SpanDataPtr data = trace::AcquireSpanData();
      data->Begin(trace::SpanContext(RandomIdGenerator::Instance().NewTraceId(),
                                     RandomIdGenerator::Instance().NewSpanId(),
                                     trace::TraceFlags(1), false),
                  SpanId(), false, "span", trace::SpanKind::kClient, clock.Now(),
                  trace::SpanLimits{}, provider->resource(), tracer->scope());
      batch.push_back(std::move(data));
    }
  }

  ExportResult Export(OtlpHttpSpanExporter& exporter, milliseconds budget = seconds(30)) {
    return exporter.Export(batch, clock.MonotonicNow() + budget);
  }
};

TEST(OtlpHttpSpanExporterTest, PostsProtobufWithTheConfiguredHeaders) {
  Fixture f;
  OtlpHttpOptions options;
  options.headers = {{"api-key", "secret"}};
  auto exporter = f.MakeExporter(options);
  f.AddSpans(2);
  ASSERT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  auto requests = f.client->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].url, "http://collector.test:4318/v1/traces");
  http::HttpResponse as_response{.headers = requests[0].headers};
  EXPECT_EQ(as_response.Header("content-type"), "application/x-protobuf");
  EXPECT_EQ(as_response.Header("api-key"), "secret");
  EXPECT_FALSE(requests[0].body.empty());
  EXPECT_EQ(exporter->stats().items_exported, 2u);
}

TEST(OtlpHttpSpanExporterTest, RetriesRetryableStatusesWithGrowingJitteredBackoff) {
  Fixture f;
  OtlpHttpOptions options;
  options.retry = {.max_attempts = 5,
                   .initial_backoff = milliseconds(1000),
                   .max_backoff = milliseconds(5000),
                   .multiplier = 2.0};
  auto exporter = f.MakeExporter(options);
  f.client->Push(Status(503));
  f.client->Push(Status(429));
  f.client->Push(Status(502));
  f.client->Push(Status(504));
  f.client->Push(Status(200));
  f.AddSpans(3);
  ASSERT_EQ(f.Export(*exporter, seconds(60)), ExportResult::kSuccess);
  // Full jitter at 0.5 of the cap: caps 1 s, 2 s, 4 s, 5 s (max_backoff).
  std::vector<std::chrono::nanoseconds> expected = {milliseconds(500), milliseconds(1000),
                                                    milliseconds(2000), milliseconds(2500)};
  EXPECT_EQ(f.sleeper->sleeps(), expected);
  OtlpExporterStats stats = exporter->stats();
  EXPECT_EQ(stats.requests, 5u);
  EXPECT_EQ(stats.retries, 4u);
  EXPECT_EQ(stats.items_exported, 3u);
  EXPECT_EQ(stats.items_failed, 0u);
}

TEST(OtlpHttpSpanExporterTest, HonoursRetryAfterInSecondsAndAsAnHttpDate) {
  Fixture f;
  auto exporter = f.MakeExporter();
  f.client->Push(Status(429, {{"retry-after", "3"}}));
  // 7 s after the ManualClock's start (2023-11-14 22:13:20 UTC).
  f.client->Push(Status(503, {{"retry-after", "Tue, 14 Nov 2023 22:13:30 GMT"}}));
  f.AddSpans(1);
  ASSERT_EQ(f.Export(*exporter, seconds(60)), ExportResult::kSuccess);
  std::vector<std::chrono::nanoseconds> expected = {seconds(3), seconds(7)};
  EXPECT_EQ(f.sleeper->sleeps(), expected);
}

TEST(OtlpHttpSpanExporterTest, NeverRetriesABadRequestAndCountsTheLoss) {
  Fixture f;
  auto exporter = f.MakeExporter();
  f.client->Push(Status(400, {}, "bad payload"));
  f.AddSpans(4);
  EXPECT_EQ(f.Export(*exporter), ExportResult::kFailure);
  EXPECT_EQ(f.client->requests().size(), 1u);
  EXPECT_EQ(exporter->stats().items_failed, 4u);
  EXPECT_EQ(exporter->stats().failed_exports, 1u);
}

TEST(OtlpHttpSpanExporterTest, RetriesTransportErrorsUntilAttemptsRunOut) {
  Fixture f;
  OtlpHttpOptions options;
  options.retry.max_attempts = 3;
  auto exporter = f.MakeExporter(options);
  for (int i = 0; i < 3; ++i) f.client->Push(UnavailableError("connection refused"));
  f.AddSpans(2);
  EXPECT_EQ(f.Export(*exporter), ExportResult::kFailure);
  EXPECT_EQ(f.client->requests().size(), 3u);
  EXPECT_EQ(exporter->stats().items_failed, 2u);
}

TEST(OtlpHttpSpanExporterTest, GivesUpWhenTheNextRetryWouldPassTheDeadline) {
  Fixture f;
  auto exporter = f.MakeExporter();
  f.client->Push(Status(503, {{"retry-after", "10"}}));
  f.AddSpans(1);
  EXPECT_EQ(f.Export(*exporter, seconds(5)), ExportResult::kFailure);
  EXPECT_EQ(f.client->requests().size(), 1u);
  EXPECT_TRUE(f.sleeper->sleeps().empty());
}

TEST(OtlpHttpSpanExporterTest, EachAttemptsTimeoutIsCutToTheTimeLeft) {
  Fixture f;
  auto exporter = f.MakeExporter();  // options.timeout is 10 s
  f.AddSpans(1);
  ASSERT_EQ(f.Export(*exporter, milliseconds(1500)), ExportResult::kSuccess);
  EXPECT_EQ(f.client->requests()[0].timeout, milliseconds(1500));
}

TEST(OtlpHttpSpanExporterTest, RecordsPartialSuccessWithoutRetrying) {
  Fixture f;
  OtlpHttpOptions options;
  options.protocol = OtlpProtocol::kHttpJson;
  auto exporter = f.MakeExporter(options);
  f.client->Push(
      Status(200, {}, R"({"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}})"));
  f.AddSpans(5);
  EXPECT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  EXPECT_EQ(f.client->requests().size(), 1u);
  EXPECT_EQ(exporter->stats().items_rejected, 2u);
  EXPECT_EQ(exporter->stats().items_exported, 3u);
  http::HttpResponse as_response{.headers = f.client->requests()[0].headers};
  EXPECT_EQ(as_response.Header("content-type"), "application/json");
}

TEST(OtlpHttpSpanExporterTest, GzipBodiesDecompressToTheUncompressedRequest) {
  Fixture plain_fixture;
  auto plain = plain_fixture.MakeExporter();
  plain_fixture.AddSpans(3);
  ASSERT_EQ(plain_fixture.Export(*plain), ExportResult::kSuccess);
  std::string uncompressed = plain_fixture.client->requests()[0].body;

  OtlpHttpOptions options;
  options.compression = OtlpCompression::kGzip;
  auto gzip = plain_fixture.MakeExporter(options);
  ASSERT_EQ(plain_fixture.Export(*gzip), ExportResult::kSuccess);
  http::HttpRequest sent = plain_fixture.client->requests()[1];
  http::HttpResponse as_response{.headers = sent.headers};
  EXPECT_EQ(as_response.Header("content-encoding"), "gzip");

  std::string inflated(uncompressed.size() + 64, '\0');
  z_stream stream{};
  ASSERT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(sent.body.data());
  stream.avail_in = static_cast<uInt>(sent.body.size());
  stream.next_out = reinterpret_cast<Bytef*>(inflated.data());
  stream.avail_out = static_cast<uInt>(inflated.size());
  ASSERT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  inflated.resize(stream.total_out);
  inflateEnd(&stream);
  EXPECT_EQ(inflated, uncompressed);
}

TEST(OtlpHttpSpanExporterTest, ShutdownInterruptsARetryWaitAndLaterExportsFailFast) {
  Fixture f;
  auto exporter = f.MakeExporter();
  f.AddSpans(1);
  ASSERT_TRUE(exporter->Shutdown(seconds(1)).ok());
  EXPECT_EQ(f.Export(*exporter), ExportResult::kFailure);
  EXPECT_TRUE(f.client->requests().empty());
  EXPECT_EQ(exporter->stats().items_failed, 1u);
}

TEST(OtlpHttpSpanExporterTest, StatsReaderSeesExportsAndOutlivesTheExporter) {
  Fixture f;
  auto exporter = f.MakeExporter();
  auto reader = exporter->StatsReader();
  f.AddSpans(2);
  ASSERT_EQ(f.Export(*exporter), ExportResult::kSuccess);
  EXPECT_EQ(reader().items_exported, 2u);
  exporter.reset();
  EXPECT_EQ(reader().items_exported, 0u);
}

TEST(OtlpHttpSpanExporterTest, RejectsNonHttpEndpointsAndBadRetryPolicies) {
  OtlpHttpOptions options;
  options.endpoint = "localhost:4318";
  auto bad = OtlpHttpSpanExporter::Create(options,
                                          {.http_client = std::make_shared<ScriptedHttpClient>()});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("localhost:4318"), std::string::npos);
  OtlpHttpOptions retry;
  retry.retry.max_attempts = 0;
  EXPECT_FALSE(
      OtlpHttpSpanExporter::Create(retry, {.http_client = std::make_shared<ScriptedHttpClient>()})
          .ok());
}

TEST(OtlpHttpOptionsTest, AppliesTheSpecDefaultsAndEndpointRules) {
  MapEnvironment none;
  EnvironmentReader r0(none);
  OtlpHttpOptions d = OtlpHttpOptions::FromEnvironment(r0, OtlpSignal::kTraces);
  EXPECT_EQ(d.endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(d.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_EQ(d.timeout, seconds(10));
  EXPECT_EQ(d.compression, OtlpCompression::kNone);

  MapEnvironment generic{{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.example:4318/base/"},
                         {"OTEL_EXPORTER_OTLP_HEADERS", "a=1, b = x%20y"},
                         {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
                         {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
                         {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"}};
  EnvironmentReader r1(generic);
  OtlpHttpOptions g = OtlpHttpOptions::FromEnvironment(r1, OtlpSignal::kMetrics);
  EXPECT_EQ(g.endpoint, "https://otel.example:4318/base/v1/metrics");
  EXPECT_EQ(g.protocol, OtlpProtocol::kHttpJson);
  EXPECT_EQ(g.timeout, milliseconds(2500));
  EXPECT_EQ(g.compression, OtlpCompression::kGzip);
  ASSERT_EQ(g.headers.size(), 2u);
  EXPECT_EQ(g.headers[1], (std::pair<std::string, std::string>{"b", "x y"}));
  EXPECT_TRUE(r1.warnings().empty());

  MapEnvironment specific{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318"},
                          {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://specific:9999/custom"},
                          {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
                          {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "700"}};
  EnvironmentReader r2(specific);
  OtlpHttpOptions s = OtlpHttpOptions::FromEnvironment(r2, OtlpSignal::kTraces);
  EXPECT_EQ(s.endpoint, "http://specific:9999/custom");  // used as is
  EXPECT_EQ(s.timeout, milliseconds(700));
}

TEST(OtlpHttpOptionsTest, UnsupportedOrMalformedValuesWarnAndKeepDefaults) {
  MapEnvironment env{{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"},
                     {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "novalue"},
                     {"OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"}};
  EnvironmentReader reader(env);
  OtlpHttpOptions o = OtlpHttpOptions::FromEnvironment(reader, OtlpSignal::kTraces);
  EXPECT_EQ(o.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_TRUE(o.headers.empty());
  EXPECT_EQ(o.compression, OtlpCompression::kNone);
  ASSERT_EQ(reader.warnings().size(), 3u);
  EXPECT_NE(reader.warnings()[0].find("OTEL_EXPORTER_OTLP_PROTOCOL"), std::string::npos);
  EXPECT_NE(reader.warnings()[1].find("OTEL_EXPORTER_OTLP_TRACES_HEADERS"), std::string::npos);
}

TEST(RetryPolicyTest, ParsesRetryAfterFormsAndRejectsGarbage) {
  Timestamp now = ManualClock().Now();
  EXPECT_EQ(ParseRetryAfter("120", now), seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), seconds(0));
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:13:20 GMT", now), seconds(0));
  EXPECT_EQ(ParseRetryAfter("Mon, 13 Nov 2023 22:13:20 GMT", now), seconds(0));  // past: now
  EXPECT_FALSE(ParseRetryAfter("soon", now));
  EXPECT_FALSE(ParseRetryAfter("-5", now));
  EXPECT_FALSE(ParseRetryAfter("", now));
  EXPECT_TRUE(IsRetryableHttpStatus(429));
  EXPECT_FALSE(IsRetryableHttpStatus(500));
  EXPECT_FALSE(IsRetryableHttpStatus(400));
}

}  // namespace
}  // namespace llmtrace::otlp
