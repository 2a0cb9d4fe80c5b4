// The OTLP metrics encoders byte for byte and character for character on small snapshots, and
// the metrics partial-success decoders. Conformance with the official decoder is checked in
// otlp_metrics_oracle_test.cc.
#include "llmtrace/otlp/metrics_encoder.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>

namespace llmtrace::otlp {
namespace {

using metrics::GaugeData;
using metrics::HistogramData;
using metrics::HistogramPoint;
using metrics::MetricData;
using metrics::NumberPoint;
using metrics::ResourceMetrics;
using metrics::ScopeMetrics;
using metrics::SumData;
using metrics::Temporality;

ResourceMetrics OneMetric(MetricData metric, std::string scope_name = "") {
  ResourceMetrics snapshot;
  ScopeMetrics scope;
  scope.scope.name = std::move(scope_name);
  scope.metrics.push_back(std::move(metric));
  snapshot.scopes.push_back(std::move(scope));
  return snapshot;
}

MetricData IntGauge(std::string name, std::int64_t value) {
  MetricData metric;
  metric.descriptor.name = std::move(name);
  GaugeData gauge;
  gauge.points.emplace_back();
  gauge.points.back().value = value;
  metric.data = gauge;
  return metric;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

TEST(MetricsEncoderTest, EncodesAnIntGaugePointAsSfixed64InProtobuf) {
  std::string body;
  EncodeMetricsRequestProto(OneMetric(IntGauge("g", -2)), body);
  // request.resource_metrics(1) { scope_metrics(2) { scope(1) {} metrics(2) { name(1) "g"
  // gauge(5) { data_points(1) { as_int(6, sfixed64) -2 } } } } }
  EXPECT_EQ(Hex(body),
            "0a16"                  // resource_metrics, 22 bytes
            "1214"                  // scope_metrics, 20 bytes
            "0a00"                  // scope: empty
            "1210"                  // metrics, 16 bytes
            "0a0167"                // name "g"
            "2a0b"                  // gauge, 11 bytes
            "0a09"                  // data_points, 9 bytes
            "31feffffffffffffff");  // as_int = -2, fixed 8 bytes little-endian
}

TEST(MetricsEncoderTest, EncodesHistogramBucketsAndBoundsPacked) {
  HistogramPoint point;
  point.count = 3;
  point.sum = 1.5;
  point.boundaries = {1.0};
  point.bucket_counts = {2, 1};
  point.max = 2.0;
  HistogramData histogram;
  histogram.points = {point};
  MetricData metric;
  metric.descriptor.name = "h";
  metric.data = histogram;
  std::string body;
  EncodeMetricsRequestProto(OneMetric(metric), body);
  const std::string hex = Hex(body);
  // count(4, fixed64) 3; sum(5, double) 1.5; bucket_counts(6) packed: 16 bytes; explicit_bounds
  // (7) packed: 8 bytes; max(12, double) 2.0 (min absent, checked by the oracle test);
  // aggregation_temporality(2) = 2 (cumulative).
  EXPECT_NE(hex.find("210300000000000000"), std::string::npos) << hex;
  EXPECT_NE(hex.find("29000000000000f83f"), std::string::npos) << hex;
  EXPECT_NE(hex.find("321002000000000000000100000000000000"), std::string::npos) << hex;
  EXPECT_NE(hex.find("3a08000000000000f03f"), std::string::npos) << hex;
  EXPECT_NE(hex.find("610000000000000040"), std::string::npos) << hex;
  EXPECT_TRUE(hex.ends_with("1002")) << hex;
}

TEST(MetricsEncoderTest, WritesOtlpJson) {
  SumData sum;
  sum.temporality = Temporality::kDelta;
  NumberPoint point;
  point.attributes = AttributeSet({{"k", "v"}});
  point.start_time = Timestamp{std::chrono::nanoseconds(1)};
  point.time = Timestamp{std::chrono::nanoseconds(2)};
  point.value = 0.5;
  sum.points = {point};
  MetricData metric;
  metric.descriptor = {"requests", "Requests", "{request}"};
  metric.data = sum;
  std::string body;
  EncodeMetricsRequestJson(OneMetric(metric, "scope"), body);
  EXPECT_EQ(body, R"({"resourceMetrics":[{"scopeMetrics":[{"scope":{"name":"scope"},"metrics":[)"
                  R"({"name":"requests","description":"Requests","unit":"{request}","sum":{)"
                  R"("dataPoints":[{"attributes":[{"key":"k","value":{"stringValue":"v"}}],)"
                  R"("startTimeUnixNano":"1","timeUnixNano":"2","asDouble":0.5}],)"
                  R"("aggregationTemporality":1,"isMonotonic":true}}]}]}]})");
}

TEST(MetricsEncoderTest, WritesHistogramJsonWithStringCountsAndSpecialDoubles) {
  HistogramPoint point;
  point.count = 2;
  point.sum = std::numeric_limits<double>::infinity();
  point.boundaries = {0.25};
  point.bucket_counts = {1, 1};
  point.min = -0.0;
  point.max = std::numeric_limits<double>::infinity();
  HistogramData histogram;
  histogram.temporality = Temporality::kDelta;
  histogram.points = {point};
  MetricData metric;
  metric.descriptor.name = "h";
  metric.data = histogram;
  std::string body;
  EncodeMetricsRequestJson(OneMetric(metric), body);
  EXPECT_NE(body.find(R"("histogram":{"dataPoints":[{"count":"2","sum":"Infinity",)"
                      R"("bucketCounts":["1","1"],"explicitBounds":[0.25],"min":-0.0,)"
                      R"("max":"Infinity"}],"aggregationTemporality":1})"),
            std::string::npos)
      << body;
}

TEST(MetricsEncoderTest, AppendsToWhatTheBufferHolds) {
  std::string body = "prefix";
  EncodeMetricsRequestJson(OneMetric(IntGauge("g", 1)), body);
  EXPECT_TRUE(body.starts_with("prefix{\"resourceMetrics\"")) << body;
}

TEST(MetricsEncoderTest, CountsDataPointsOfEveryKind) {
  ResourceMetrics snapshot = OneMetric(IntGauge("a", 1));
  SumData sum;
  sum.points.resize(3);
  HistogramData histogram;
  histogram.points.resize(2);
  MetricData s;
  s.data = sum;
  MetricData h;
  h.data = histogram;
  snapshot.scopes.push_back(ScopeMetrics{{}, {s, h}});
  EXPECT_EQ(CountDataPoints(snapshot), 6u);
  EXPECT_EQ(CountDataPoints(ResourceMetrics{}), 0u);
}

TEST(MetricsEncoderTest, DecodesRejectedDataPointsFromJsonAndProtobuf) {
  auto json = DecodeMetricsPartialSuccessJson(
      R"({"partialSuccess":{"rejectedDataPoints":"7","errorMessage":"too many"}})");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(json->rejected, 7);
  EXPECT_EQ(json->error_message, "too many");
  // The span count's name is not the data points' name.
  auto wrong_name = DecodeMetricsPartialSuccessJson(R"({"partialSuccess":{"rejectedSpans":3}})");
  ASSERT_TRUE(wrong_name.ok());
  EXPECT_EQ(wrong_name->rejected, 0);
  // partial_success(1) { rejected_data_points(1) = 5, error_message(2) = "x" }
  const std::string proto("\x0a\x05\x08\x05\x12\x01x", 7);
  auto decoded = DecodeMetricsPartialSuccessProto(proto);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 5);
  EXPECT_EQ(decoded->error_message, "x");
  auto malformed = DecodeMetricsPartialSuccessJson("{not json");
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(malformed.status().message().find("metrics"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::otlp
