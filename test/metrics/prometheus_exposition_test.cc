// The Prometheus text exposition of hand-built snapshots, compared as exact text.
#include "llmtrace/metrics/prometheus_exposition.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "llmtrace/metrics/prometheus_reader.h"

namespace llmtrace::metrics {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

InstrumentationScope Scope(std::string name, std::string version = "") {
  InstrumentationScope scope;
  scope.name = std::move(name);
  scope.version = std::move(version);
  return scope;
}

NumberPoint Number(AttributeSet attributes, PointValue value) {
  NumberPoint point;
  point.attributes = std::move(attributes);
  point.value = value;
  return point;
}

MetricData Metric(std::string name, std::string unit, std::string description,
                  std::variant<SumData, GaugeData, HistogramData> data) {
  MetricData metric;
  metric.descriptor.name = std::move(name);
  metric.descriptor.unit = std::move(unit);
  metric.descriptor.description = std::move(description);
  metric.data = std::move(data);
  return metric;
}

SumData Sum(bool monotonic, std::vector<NumberPoint> points,
            Temporality temporality = Temporality::kCumulative) {
  SumData sum;
  sum.monotonic = monotonic;
  sum.temporality = temporality;
  sum.points = std::move(points);
  return sum;
}

GaugeData Gauge(std::vector<NumberPoint> points) {
  GaugeData gauge;
  gauge.points = std::move(points);
  return gauge;
}

// A snapshot with no resource and one scope holding `metrics`.
ResourceMetrics OneScope(std::vector<MetricData> metrics, InstrumentationScope scope = Scope("")) {
  ResourceMetrics snapshot;
  snapshot.scopes.push_back(ScopeMetrics{std::move(scope), std::move(metrics)});
  return snapshot;
}

TEST(PrometheusExpositionTest, RendersAMonotonicSumAsACounterWithTotal) {
  const ResourceMetrics snapshot =
      OneScope({Metric("gen_ai.client.requests", "{request}", "LLM calls made",
                       Sum(true, {Number({{"gen_ai.system", "openai"}}, std::int64_t{42}),
                                  Number({{"gen_ai.system", "anthropic"}}, std::int64_t{7})}))},
               Scope("llmtrace.genai", "0.1.0"));
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# HELP gen_ai_client_requests_total LLM calls made\n"
            "# TYPE gen_ai_client_requests_total counter\n"
            "gen_ai_client_requests_total{gen_ai_system=\"openai\",otel_scope_name=\"llmtrace."
            "genai\",otel_scope_version=\"0.1.0\"} 42\n"
            "gen_ai_client_requests_total{gen_ai_system=\"anthropic\",otel_scope_name=\"llmtrace."
            "genai\",otel_scope_version=\"0.1.0\"} 7\n");
}

TEST(PrometheusExpositionTest, PutsTheUnitBeforeTotalAndDoesNotRepeatTotal) {
  const ResourceMetrics snapshot =
      OneScope({Metric("cpu.time", "s", "", Sum(true, {Number({}, 1.5)})),
                Metric("jobs_total", "", "", Sum(true, {Number({}, std::int64_t{3})}))});
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# TYPE cpu_time_seconds_total counter\n"
            "cpu_time_seconds_total 1.5\n"
            "# TYPE jobs_total counter\n"
            "jobs_total 3\n");
}

TEST(PrometheusExpositionTest, RendersNonMonotonicSumsAndGaugesAsGauges) {
  const ResourceMetrics snapshot = OneScope(
      {Metric("queue.depth", "{request}", "Requests waiting", Sum(false, {Number({}, -3.25)})),
       Metric("cache.hit_ratio", "1", "Hit ratio", Gauge({Number({}, 0.5)})),
       Metric("process.memory", "By", "Resident memory",
              Gauge({Number({}, std::int64_t{1048576})}))});
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# HELP queue_depth Requests waiting\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth -3.25\n"
            "# HELP cache_hit_ratio Hit ratio\n"
            "# TYPE cache_hit_ratio gauge\n"
            "cache_hit_ratio 0.5\n"
            "# HELP process_memory_bytes Resident memory\n"
            "# TYPE process_memory_bytes gauge\n"
            "process_memory_bytes 1048576\n");
}

TEST(PrometheusExpositionTest, RendersAHistogramWithCumulativeBucketsSumAndCount) {
  HistogramPoint point;
  point.attributes = AttributeSet({{"gen_ai.request.model", "gpt-4o"}});
  point.boundaries = {0.1, 0.5, 2.5};
  point.bucket_counts = {1, 4, 2, 3};
  point.count = 10;
  point.sum = 12.75;
  point.min = 0.05;
  point.max = 9;
  HistogramData histogram;
  histogram.points = {point};
  const ResourceMetrics snapshot = OneScope(
      {Metric("gen_ai.client.operation.duration", "s", "GenAI operation duration", histogram)},
      Scope("llmtrace.genai"));
  const std::string labels = "gen_ai_request_model=\"gpt-4o\",otel_scope_name=\"llmtrace.genai\"";
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# HELP gen_ai_client_operation_duration_seconds GenAI operation duration\n"
            "# TYPE gen_ai_client_operation_duration_seconds histogram\n"
            "gen_ai_client_operation_duration_seconds_bucket{" +
                labels +
                ",le=\"0.1\"} 1\n"
                "gen_ai_client_operation_duration_seconds_bucket{" +
                labels +
                ",le=\"0.5\"} 5\n"
                "gen_ai_client_operation_duration_seconds_bucket{" +
                labels +
                ",le=\"2.5\"} 7\n"
                "gen_ai_client_operation_duration_seconds_bucket{" +
                labels +
                ",le=\"+Inf\"} 10\n"
                "gen_ai_client_operation_duration_seconds_sum{" +
                labels +
                "} 12.75\n"
                "gen_ai_client_operation_duration_seconds_count{" +
                labels + "} 10\n");
}

TEST(PrometheusExpositionTest, RendersAnEmptyHistogramWithOnlyTheInfBucket) {
  HistogramPoint point;  // no boundaries, no measurements
  point.bucket_counts = {0};
  HistogramData histogram;
  histogram.points = {point};
  EXPECT_EQ(RenderPrometheusText(OneScope({Metric("wait", "ms", "", histogram)})),
            "# TYPE wait_milliseconds histogram\n"
            "wait_milliseconds_bucket{le=\"+Inf\"} 0\n"
            "wait_milliseconds_sum 0\n"
            "wait_milliseconds_count 0\n");
}

TEST(PrometheusExpositionTest, LeavesOutDeltaSumsAndDeltaHistograms) {
  HistogramData delta_histogram;
  delta_histogram.temporality = Temporality::kDelta;
  delta_histogram.points.emplace_back();
  const ResourceMetrics snapshot = OneScope(
      {Metric("delta.count", "", "", Sum(true, {Number({}, std::int64_t{1})}, Temporality::kDelta)),
       Metric("delta.latency", "s", "", delta_histogram),
       Metric("kept", "", "", Gauge({Number({}, std::int64_t{1})}))});
  EXPECT_EQ(RenderPrometheusText(snapshot), "# TYPE kept gauge\nkept 1\n");
}

TEST(PrometheusExpositionTest, SpellsOutUcumUnits) {
  EXPECT_EQ(PrometheusUnitSuffix("s", false), "seconds");
  EXPECT_EQ(PrometheusUnitSuffix("ms", false), "milliseconds");
  EXPECT_EQ(PrometheusUnitSuffix("us", false), "microseconds");
  EXPECT_EQ(PrometheusUnitSuffix("ns", false), "nanoseconds");
  EXPECT_EQ(PrometheusUnitSuffix("min", false), "minutes");
  EXPECT_EQ(PrometheusUnitSuffix("By", false), "bytes");
  EXPECT_EQ(PrometheusUnitSuffix("KiBy", false), "kibibytes");
  EXPECT_EQ(PrometheusUnitSuffix("MBy", false), "megabytes");
  EXPECT_EQ(PrometheusUnitSuffix("Cel", false), "celsius");
  EXPECT_EQ(PrometheusUnitSuffix("%", false), "percent");
  EXPECT_EQ(PrometheusUnitSuffix("1", true), "ratio");
  EXPECT_EQ(PrometheusUnitSuffix("1", false), "");
  EXPECT_EQ(PrometheusUnitSuffix("{token}", false), "");
  EXPECT_EQ(PrometheusUnitSuffix("By/s", false), "bytes_per_second");
  EXPECT_EQ(PrometheusUnitSuffix("{request}/s", false), "per_second");
  EXPECT_EQ(PrometheusUnitSuffix("m/s", false), "meters_per_second");
  EXPECT_EQ(PrometheusUnitSuffix("", false), "");
  EXPECT_EQ(PrometheusUnitSuffix("tokens", false), "tokens");
  EXPECT_EQ(PrometheusUnitSuffix("USD", false), "USD");
}

TEST(PrometheusExpositionTest, AddsTheUnitOnlyWhenTheNameLacksIt) {
  auto name = [](std::string metric_name, std::string unit, bool gauge) {
    return PrometheusMetricName(
        Metric(std::move(metric_name), std::move(unit), "",
               gauge ? std::variant<SumData, GaugeData, HistogramData>(Gauge({})) : Sum(true, {})));
  };
  EXPECT_EQ(name("request.duration.seconds", "s", true), "request_duration_seconds");
  EXPECT_EQ(name("disk.bytes.read", "By", false), "disk_bytes_read_total");
  EXPECT_EQ(name("memory.utilization", "1", true), "memory_utilization_ratio");
  EXPECT_EQ(name("gen_ai.client.token.usage", "{token}", false), "gen_ai_client_token_usage_total");
}

TEST(PrometheusExpositionTest, SanitizesMetricAndLabelNames) {
  EXPECT_EQ(SanitizePrometheusMetricName("gen_ai.client.token.usage"), "gen_ai_client_token_usage");
  EXPECT_EQ(SanitizePrometheusMetricName("http..server--duration"), "http_server_duration");
  EXPECT_EQ(SanitizePrometheusMetricName("9lives"), "_9lives");
  EXPECT_EQ(SanitizePrometheusMetricName("a:b/c d"), "a_b_c_d");
  EXPECT_EQ(SanitizePrometheusMetricName("ünïcode"), "_n_code");
  EXPECT_EQ(SanitizePrometheusLabelName("http.route"), "http_route");
  EXPECT_EQ(SanitizePrometheusLabelName("2xx"), "key_2xx");
  EXPECT_EQ(SanitizePrometheusLabelName("__reserved"), "key__reserved");
  EXPECT_EQ(SanitizePrometheusLabelName("a-b c"), "a_b_c");
}

TEST(PrometheusExpositionTest, EscapesLabelValuesAndHelpText) {
  const ResourceMetrics snapshot =
      OneScope({Metric("escapes", "", "line one\nback\\slash \"quoted\"",
                       Gauge({Number({{"path", "C:\\dir\n\"x\""}}, std::int64_t{1})}))});
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# HELP escapes line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE escapes gauge\n"
            "escapes{path=\"C:\\\\dir\\n\\\"x\\\"\"} 1\n");
}

TEST(PrometheusExpositionTest, JoinsAttributesThatMapToTheSameLabelInKeyOrder) {
  const ResourceMetrics snapshot = OneScope({Metric(
      "collide", "", "",
      Gauge({Number({{"a.b", "dot"}, {"a-b", "dash"}, {"count", 3}, {"ok", true}}, 1.0)}))});
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# TYPE collide gauge\n"
            "collide{a_b=\"dash;dot\",count=\"3\",ok=\"true\"} 1\n");
}

TEST(PrometheusExpositionTest, WritesSpecialFloatsAsPrometheusParsesThem) {
  const ResourceMetrics snapshot = OneScope(
      {Metric("values", "", "",
              Gauge({Number({{"k", "inf"}}, kInf), Number({{"k", "ninf"}}, -kInf),
                     Number({{"k", "nan"}}, std::numeric_limits<double>::quiet_NaN()),
                     Number({{"k", "tiny"}}, 5e-324), Number({{"k", "big"}}, 1e300),
                     Number({{"k", "tenth"}}, 0.1), Number({{"k", "imin"}}, INT64_MIN)}))});
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# TYPE values gauge\n"
            "values{k=\"inf\"} +Inf\n"
            "values{k=\"ninf\"} -Inf\n"
            "values{k=\"nan\"} NaN\n"
            "values{k=\"tiny\"} 5e-324\n"
            "values{k=\"big\"} 1e+300\n"
            "values{k=\"tenth\"} 0.1\n"
            "values{k=\"imin\"} -9223372036854775808\n");
}

TEST(PrometheusExpositionTest, RendersTheResourceAsTargetInfo) {
  ResourceMetrics snapshot = OneScope({Metric("up", "", "", Gauge({Number({}, std::int64_t{1})}))});
  snapshot.resource = std::make_shared<Resource>(Resource::Create(
      {{"service.name", "rag-api"}, {"deployment.environment.name", "prod"}}, MapEnvironment{}));
  const std::string text = RenderPrometheusText(snapshot);
  ASSERT_TRUE(
      text.starts_with("# HELP target_info Target metadata\n# TYPE target_info gauge\n"
                       "target_info{"))
      << text;
  const std::string first_line = text.substr(text.find("target_info{"));
  const std::string line = first_line.substr(0, first_line.find('\n'));
  EXPECT_NE(line.find("service_name=\"rag-api\""), std::string::npos) << line;
  EXPECT_NE(line.find("deployment_environment_name=\"prod\""), std::string::npos) << line;
  EXPECT_NE(line.find("telemetry_sdk_name=\"llmtrace\""), std::string::npos) << line;
  EXPECT_TRUE(line.ends_with("} 1")) << line;
  EXPECT_TRUE(text.ends_with("# TYPE up gauge\nup 1\n")) << text;
}

TEST(PrometheusExpositionTest, MergesSameNamedMetricsOfTwoScopesIntoOneFamily) {
  ResourceMetrics snapshot;
  snapshot.scopes.push_back(ScopeMetrics{
      Scope("first"), {Metric("calls", "", "Calls", Sum(true, {Number({}, std::int64_t{1})}))}});
  snapshot.scopes.push_back(
      ScopeMetrics{Scope("second", "2"),
                   {Metric("calls", "", "", Sum(true, {Number({}, std::int64_t{2})})),
                    // The same Prometheus name with another type: left out.
                    Metric("calls_total", "", "", Gauge({Number({}, std::int64_t{9})}))}});
  EXPECT_EQ(RenderPrometheusText(snapshot),
            "# HELP calls_total Calls\n"
            "# TYPE calls_total counter\n"
            "calls_total{otel_scope_name=\"first\"} 1\n"
            "calls_total{otel_scope_name=\"second\",otel_scope_version=\"2\"} 2\n");
}

TEST(PrometheusExpositionTest, RendersAnEmptySnapshotAsAnEmptyPage) {
  EXPECT_EQ(RenderPrometheusText(ResourceMetrics{}), "");
}

TEST(PrometheusReaderTest, RendersWhatItsCollectorProducesAndNothingAfterShutdown) {
  PrometheusReader reader;
  EXPECT_EQ(reader.Render(), "");
  EXPECT_EQ(reader.TemporalityFor(InstrumentKind::kCounter), Temporality::kCumulative);
  ASSERT_TRUE(reader
                  .SetCollector([](const MetricReader&) {
                    return OneScope(
                        {Metric("hits", "", "", Sum(true, {Number({}, std::int64_t{5})}))});
                  })
                  .ok());
  EXPECT_EQ(reader.Render(), "# TYPE hits_total counter\nhits_total 5\n");
  ASSERT_TRUE(reader.Shutdown(std::chrono::milliseconds(100)).ok());
  EXPECT_EQ(reader.Render(), "");
}

}  // namespace
}  // namespace llmtrace::metrics
