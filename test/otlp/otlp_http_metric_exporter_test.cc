// OtlpHttpMetricExporter: what it sends, how it reads the environment, and how it counts.
#include "llmtrace/otlp/otlp_http_metric_exporter.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "llmtrace/otlp/metrics_encoder.h"

namespace llmtrace::otlp {
namespace {

using std::chrono::seconds;

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

metrics::ResourceMetrics Snapshot(int points) {
  metrics::ResourceMetrics snapshot;
  metrics::MetricData metric;
  metric.descriptor.name = "requests";
  metrics::SumData sum;
  for (int i = 0; i < points; ++i) {
    sum.points.emplace_back();
    sum.points.back().attributes.Set("i", i);
    sum.points.back().value = std::int64_t{i};
  }
  metric.data = sum;
  snapshot.scopes.push_back(metrics::ScopeMetrics{{}, {metric}});
  return snapshot;
}

struct Fixture {
  ManualClock clock;
  std::shared_ptr<ManualSleeper> sleeper = std::make_shared<ManualSleeper>(clock);
  std::shared_ptr<ScriptedHttpClient> client = std::make_shared<ScriptedHttpClient>();

  std::unique_ptr<OtlpHttpMetricExporter> Make(OtlpHttpMetricExporterOptions options = {}) {
    auto exporter = OtlpHttpMetricExporter::Create(
        std::move(options), {.http_client = client, .clock = &clock, .sleeper = sleeper});
    EXPECT_TRUE(exporter.ok()) << exporter.status().ToString();
    return std::move(*exporter);
  }
  MonotonicTime Deadline() { return clock.MonotonicNow() + seconds(10); }
};

TEST(OtlpHttpMetricExporterTest, PostsTheProtobufRequestToV1Metrics) {
  Fixture f;
  auto exporter = f.Make();
  const metrics::ResourceMetrics snapshot = Snapshot(3);
  EXPECT_EQ(exporter->Export(snapshot, f.Deadline()), ExportResult::kSuccess);
  auto requests = f.client->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "http://localhost:4318/v1/metrics");
  std::string expected;
  EncodeMetricsRequestProto(snapshot, expected);
  EXPECT_EQ(requests[0].body, expected);
  bool protobuf = false;
  for (const auto& [name, value] : requests[0].headers) {
    if (name == "Content-Type") protobuf = value == "application/x-protobuf";
  }
  EXPECT_TRUE(protobuf);
  EXPECT_EQ(exporter->stats().items_exported, 3u);
}

TEST(OtlpHttpMetricExporterTest, SendsJsonWhenConfiguredAndCountsRejectedDataPoints) {
  Fixture f;
  OtlpHttpMetricExporterOptions options;
  options.http.protocol = OtlpProtocol::kHttpJson;
  auto exporter = f.Make(options);
  f.client->Push(http::HttpResponse{
      .status = 200,
      .body = R"({"partialSuccess":{"rejectedDataPoints":"2","errorMessage":"x"}})"});
  EXPECT_EQ(exporter->Export(Snapshot(5), f.Deadline()), ExportResult::kSuccess);
  ASSERT_EQ(f.client->requests().size(), 1u);
  EXPECT_TRUE(f.client->requests()[0].body.starts_with("{\"resourceMetrics\""));
  EXPECT_EQ(exporter->stats().items_rejected, 2u);
  EXPECT_EQ(exporter->stats().items_exported, 3u);
}

TEST(OtlpHttpMetricExporterTest, RetriesA503AndCountsALostSnapshot) {
  Fixture f;
  auto exporter = f.Make();
  for (int i = 0; i < 100; ++i) f.client->Push(http::HttpResponse{.status = 503});
  EXPECT_EQ(exporter->Export(Snapshot(2), f.Deadline()), ExportResult::kFailure);
  EXPECT_GT(f.client->requests().size(), 1u);
  EXPECT_EQ(exporter->stats().items_failed, 2u);
  EXPECT_EQ(exporter->stats().failed_exports, 1u);
}

TEST(OtlpHttpMetricExporterTest, StatsReaderSeesExportsAndOutlivesTheExporter) {
  Fixture f;
  auto exporter = f.Make();
  auto reader = exporter->StatsReader();
  ASSERT_EQ(exporter->Export(Snapshot(3), f.Deadline()), ExportResult::kSuccess);
  EXPECT_EQ(reader().items_exported, 3u);
  exporter.reset();
  EXPECT_EQ(reader().items_exported, 0u);
}

TEST(OtlpHttpMetricExporterTest, SendsNothingForAnEmptySnapshot) {
  Fixture f;
  auto exporter = f.Make();
  EXPECT_EQ(exporter->Export(metrics::ResourceMetrics{}, f.Deadline()), ExportResult::kSuccess);
  EXPECT_TRUE(f.client->requests().empty());
}

TEST(OtlpHttpMetricExporterTest, ReadsTheMetricsEndpointAndTemporalityFromTheEnvironment) {
  MapEnvironment env{{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"},
                     {"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "Delta"}};
  EnvironmentReader reader(env);
  OtlpHttpMetricExporterOptions options = OtlpHttpMetricExporterOptions::FromEnvironment(reader);
  EXPECT_EQ(options.http.endpoint, "http://collector:4318/v1/metrics");
  EXPECT_EQ(options.temporality, &metrics::DeltaTemporality);
  EXPECT_TRUE(reader.warnings().empty());

  Fixture f;
  auto exporter = f.Make(options);
  EXPECT_EQ(exporter->PreferredTemporality()(metrics::InstrumentKind::kCounter),
            metrics::Temporality::kDelta);
  EXPECT_EQ(exporter->PreferredTemporality()(metrics::InstrumentKind::kUpDownCounter),
            metrics::Temporality::kCumulative);
}

TEST(OtlpHttpMetricExporterTest, DefaultsToCumulativeAndWarnsOnAnUnknownPreference) {
  {
    MapEnvironment env;
    EnvironmentReader reader(env);
    EXPECT_EQ(OtlpHttpMetricExporterOptions::FromEnvironment(reader).temporality,
              &metrics::CumulativeTemporality);
  }
  {
    MapEnvironment env{{"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "lowmemory"}};
    EnvironmentReader reader(env);
    EXPECT_EQ(OtlpHttpMetricExporterOptions::FromEnvironment(reader).temporality,
              &metrics::LowMemoryTemporality);
  }
  MapEnvironment env{{"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "sometimes"},
                     {"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:1/custom"}};
  EnvironmentReader reader(env);
  OtlpHttpMetricExporterOptions options = OtlpHttpMetricExporterOptions::FromEnvironment(reader);
  EXPECT_EQ(options.temporality, &metrics::CumulativeTemporality);
  EXPECT_EQ(options.http.endpoint, "http://m:1/custom");
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"),
            std::string::npos);
}

TEST(OtlpHttpMetricExporterTest, RejectsANullTemporalitySelectorAndABadEndpoint) {
  OtlpHttpMetricExporterOptions options;
  options.temporality = nullptr;
  EXPECT_FALSE(OtlpHttpMetricExporter::Create(options).ok());
  OtlpHttpMetricExporterOptions bad_endpoint;
  bad_endpoint.http.endpoint = "ftp://x";
  EXPECT_FALSE(OtlpHttpMetricExporter::Create(bad_endpoint).ok());
}

}  // namespace
}  // namespace llmtrace::otlp
