// Conformance of the OTLP metrics encoders against the official OpenTelemetry JS decoder
// (@opentelemetry/otlp-transformer@0.52.1, run by test/oracles/decode_otlp.js).
//
// A hand-built snapshot with every point kind (int and double sums, monotonic or not, in both
// temporalities; gauges; histograms with and without min/max, empty ones, a metric with no
// points) is encoded in both formats, decoded by the oracle, and every decoded field is compared
// with the snapshot. A missing node or node_modules fails these tests: run scripts/setup.sh.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llmtrace/otlp/metrics_encoder.h"
#include "src/otlp/utf8.h"
#include "test/otlp/otlp_test_util.h"

namespace llmtrace::otlp {
namespace {

using metrics::GaugeData;
using metrics::HistogramData;
using metrics::HistogramPoint;
using metrics::InstrumentKind;
using metrics::InstrumentValueType;
using metrics::MetricData;
using metrics::NumberPoint;
using metrics::PointValue;
using metrics::ResourceMetrics;
using metrics::ScopeMetrics;
using metrics::SumData;
using metrics::Temporality;
using simdjson::dom::element;
using testing::RunOracle;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

Timestamp At(std::int64_t unix_nanos) { return Timestamp{std::chrono::nanoseconds(unix_nanos)}; }

// ---------------------------------------------------------------------------------------------
// The snapshot under test.

NumberPoint Number(AttributeSet attributes, PointValue value, std::int64_t start,
                   std::int64_t time) {
  NumberPoint point;
  point.attributes = std::move(attributes);
  point.value = value;
  point.start_time = At(start);
  point.time = At(time);
  return point;
}

MetricData Metric(std::string name, std::string unit, std::string description, InstrumentKind kind,
                  InstrumentValueType type, std::variant<SumData, GaugeData, HistogramData> data) {
  MetricData metric;
  metric.descriptor = {std::move(name), std::move(description), std::move(unit), kind, type};
  metric.data = std::move(data);
  return metric;
}

ResourceMetrics Corpus() {
  constexpr std::int64_t kStart = 1'700'000'000'000'000'000;
  constexpr std::int64_t kNow = 1'700'000'060'123'456'789;
  ResourceMetrics snapshot;
  const std::array<std::string_view, 2> tags = {"rag", "eval"};
  auto resource = std::make_shared<Resource>(Resource::Create({{"service.name", "metrics-oracle"},
                                                               {"host.cores", 2},
                                                               {"sample.ratio", 0.25},
                                                               {"feature.enabled", true},
                                                               {"tags", tags}},
                                                              MapEnvironment{}));
  resource->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
  snapshot.resource = resource;

  InstrumentationScope genai;
  genai.name = "llmtrace.genai";
  genai.version = "0.1.0";
  genai.schema_url = "https://opentelemetry.io/schemas/1.26.0";
  genai.attributes = AttributeSet({{"scope.attr", "x"}});
  InstrumentationScope bare;  // no name, nothing: every field at its default

  SumData int_counter;  // monotonic cumulative int
  int_counter.points = {Number({{"gen_ai.system", "openai"}, {"gen_ai.request.model", "gpt-4o"}},
                               std::int64_t{1200}, kStart, kNow),
                        Number({{"gen_ai.system", "anthropic"}}, std::int64_t{0}, kStart, kNow),
                        Number({}, kMax, kStart, kNow)};
  SumData double_delta_counter;  // monotonic delta double
  double_delta_counter.temporality = Temporality::kDelta;
  double_delta_counter.points = {Number({{"currency", "USD"}}, 0.0375, kNow - 1'000, kNow)};
  SumData updown_int;  // non-monotonic cumulative int
  updown_int.monotonic = false;
  updown_int.points = {Number({}, std::int64_t{-3}, kStart, kNow),
                       Number({{"queue", "b"}}, kMin, kStart, kNow)};
  SumData updown_double_delta;  // non-monotonic delta double
  updown_double_delta.monotonic = false;
  updown_double_delta.temporality = Temporality::kDelta;
  updown_double_delta.points = {Number({}, -0.0, kNow - 5, kNow), Number({}, -2.5, 0, kNow)};
  SumData no_points;  // a metric with nothing recorded yet

  GaugeData int_gauge;
  int_gauge.points = {Number({{"k", 1}}, std::int64_t{7}, 0, kNow)};
  GaugeData double_gauge;
  double_gauge.points = {
      Number({{"k", "nan"}}, kNaN, 0, kNow), Number({{"k", "inf"}}, kInf, 0, kNow),
      Number({{"k", "-inf"}}, -kInf, 0, kNow), Number({{"k", "tiny"}}, 5e-324, 0, kNow),
      Number({{"k", "zero"}}, 0.0, 0, 0)};

  HistogramPoint latency;
  latency.attributes = AttributeSet({{"gen_ai.operation.name", "chat"}});
  latency.start_time = At(kStart);
  latency.time = At(kNow);
  latency.boundaries = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  latency.bucket_counts = {0, 1, 3, 10, 20, 5, 1, 0, 2};
  latency.count = 42;
  latency.sum = 61.25;
  latency.min = 0.07;
  latency.max = 12.5;
  HistogramPoint empty;  // count 0: no min/max, sum 0
  empty.start_time = At(kStart);
  empty.time = At(kNow);
  empty.boundaries = {1, 2};
  empty.bucket_counts = {0, 0, 0};
  HistogramPoint no_bounds;  // a single bucket, negative values
  no_bounds.time = At(kNow);
  no_bounds.bucket_counts = {3};
  no_bounds.count = 3;
  no_bounds.sum = -4.5;
  no_bounds.min = -3;
  no_bounds.max = -0.5;
  HistogramData cumulative_histogram;
  cumulative_histogram.points = {latency, empty};
  HistogramData delta_histogram;
  delta_histogram.temporality = Temporality::kDelta;
  delta_histogram.points = {no_bounds};

  using K = InstrumentKind;
  using V = InstrumentValueType;
  snapshot.scopes.push_back(ScopeMetrics{
      genai,
      {Metric("gen_ai.client.token.usage", "{token}", "Tokens used", K::kCounter, V::kInt64,
              int_counter),
       Metric("gen_ai.client.cost", "USD", "Money \"spent\"\n", K::kCounter, V::kDouble,
              double_delta_counter),
       Metric("gen_ai.client.operation.duration", "s", "Latency", K::kHistogram, V::kDouble,
              cumulative_histogram),
       Metric("queue.depth", "{request}", "", K::kUpDownCounter, V::kInt64, updown_int)}});
  snapshot.scopes.push_back(ScopeMetrics{
      bare,
      {Metric("balance", "", "", K::kUpDownCounter, V::kDouble, updown_double_delta),
       Metric("unused", "", "", K::kCounter, V::kInt64, no_points),
       Metric("temperature", "Cel", "Temperature", K::kGauge, V::kInt64, int_gauge),
       Metric("odd.values", "1", "Special doubles", K::kGauge, V::kDouble, double_gauge),
       Metric("payload.size", "By", "ünïcode ✓", K::kHistogram, V::kDouble, delta_histogram)}});
  return snapshot;
}

// ---------------------------------------------------------------------------------------------
// Comparing the oracle's decoded request with the snapshot.

std::optional<element> Member(const element& object, std::string_view key) {
  element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::string String(const element& value) {
  std::string_view s;
  EXPECT_EQ(value.get_string().get(s), simdjson::SUCCESS) << "not a string: " << value;
  return std::string(s);
}

std::size_t ArraySize(const std::optional<element>& value) {
  if (!value) return 0;
  simdjson::dom::array array;
  EXPECT_EQ(value->get_array().get(array), simdjson::SUCCESS) << "not an array: " << *value;
  return array.size();
}

element Item(const element& array, std::size_t i) {
  element value;
  EXPECT_EQ(array.at(i).get(value), simdjson::SUCCESS);
  return value;
}

// proto3: a default value may be absent; anything else must be present and equal.
void ExpectString(const element& object, std::string_view key, std::string_view expected) {
  SCOPED_TRACE(std::string(key));
  auto value = Member(object, key);
  if (expected.empty() && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  EXPECT_EQ(String(*value), expected);
}

void ExpectNumber(const element& object, std::string_view key, std::uint64_t expected) {
  auto value = Member(object, key);
  if (expected == 0 && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  std::uint64_t actual = 0;
  ASSERT_EQ(value->get_uint64().get(actual), simdjson::SUCCESS) << key << ": " << *value;
  EXPECT_EQ(actual, expected) << key;
}

void ExpectDecimal(const element& object, std::string_view key, std::uint64_t expected) {
  auto value = Member(object, key);
  if (expected == 0 && !value) return;
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  EXPECT_EQ(String(*value), std::to_string(expected)) << key;
}

void ExpectDouble(const element& value, double expected) {
  if (std::isnan(expected)) {
    EXPECT_EQ(String(value), "NaN");
  } else if (std::isinf(expected)) {
    EXPECT_EQ(String(value), expected > 0 ? "Infinity" : "-Infinity");
  } else {
    double actual = 0;
    ASSERT_EQ(value.get_double().get(actual), simdjson::SUCCESS) << value;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(actual), std::bit_cast<std::uint64_t>(expected))
        << "decoded " << actual << ", want " << expected;
  }
}

void ExpectOptionalDouble(const element& object, std::string_view key,
                          std::optional<double> expected) {
  SCOPED_TRACE(std::string(key));
  auto value = Member(object, key);
  if (!expected) {
    EXPECT_FALSE(value) << "unexpected '" << key << "' in " << object;
    return;
  }
  ASSERT_TRUE(value) << "missing '" << key << "' in " << object;
  ExpectDouble(*value, *expected);
}

// Scalar attribute values and string arrays: enough for metric attributes and the resource.
void ExpectAnyValue(const element& any, const AttributeValue& expected) {
  switch (expected.type()) {
    case AttributeValue::Type::kBool: {
      auto value = Member(any, "boolValue");
      ASSERT_TRUE(value) << any;
      bool actual = !expected.AsBool();
      ASSERT_EQ(value->get_bool().get(actual), simdjson::SUCCESS);
      EXPECT_EQ(actual, expected.AsBool());
      break;
    }
    case AttributeValue::Type::kInt: {
      auto value = Member(any, "intValue");
      ASSERT_TRUE(value) << any;
      EXPECT_EQ(String(*value), std::to_string(expected.AsInt()));
      break;
    }
    case AttributeValue::Type::kDouble: {
      auto value = Member(any, "doubleValue");
      ASSERT_TRUE(value) << any;
      ExpectDouble(*value, expected.AsDouble());
      break;
    }
    case AttributeValue::Type::kString: {
      auto value = Member(any, "stringValue");
      ASSERT_TRUE(value) << any;
      EXPECT_EQ(String(*value), expected.AsString());
      break;
    }
    case AttributeValue::Type::kStringArray: {
      auto array = Member(any, "arrayValue");
      ASSERT_TRUE(array) << any;
      auto values = Member(*array, "values");
      ASSERT_EQ(ArraySize(values), expected.AsStringArray().size());
      for (std::size_t i = 0; i < expected.AsStringArray().size(); ++i) {
        auto s = Member(Item(*values, i), "stringValue");
        ASSERT_TRUE(s);
        EXPECT_EQ(String(*s), expected.AsStringArray()[i]);
      }
      break;
    }
    default:
      ADD_FAILURE() << "attribute type not covered by this test";
  }
}

void ExpectAttributes(const element& object, std::span<const KeyValue> expected) {
  auto attributes = Member(object, "attributes");
  ASSERT_EQ(ArraySize(attributes), expected.size()) << object;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("attribute " + std::string(expected[i].key));
    element kv = Item(*attributes, i);
    ExpectString(kv, "key", expected[i].key);
    auto value = Member(kv, "value");
    ASSERT_TRUE(value) << kv;
    ExpectAnyValue(*value, expected[i].value);
  }
}

void ExpectNumberPoint(const element& decoded, const NumberPoint& point) {
  ExpectAttributes(decoded, point.attributes.entries());
  ExpectDecimal(decoded, "startTimeUnixNano", ToUnixNanos(point.start_time));
  ExpectDecimal(decoded, "timeUnixNano", ToUnixNanos(point.time));
  if (const auto* i = std::get_if<std::int64_t>(&point.value)) {
    auto value = Member(decoded, "asInt");
    ASSERT_TRUE(value) << "want asInt: " << decoded;
    EXPECT_EQ(String(*value), std::to_string(*i));
    EXPECT_FALSE(Member(decoded, "asDouble")) << decoded;
  } else {
    auto value = Member(decoded, "asDouble");
    ASSERT_TRUE(value) << "want asDouble: " << decoded;
    ExpectDouble(*value, std::get<double>(point.value));
    EXPECT_FALSE(Member(decoded, "asInt")) << decoded;
  }
}

void ExpectHistogramPoint(const element& decoded, const HistogramPoint& point) {
  ExpectAttributes(decoded, point.attributes.entries());
  ExpectDecimal(decoded, "startTimeUnixNano", ToUnixNanos(point.start_time));
  ExpectDecimal(decoded, "timeUnixNano", ToUnixNanos(point.time));
  ExpectDecimal(decoded, "count", point.count);
  ExpectOptionalDouble(decoded, "sum", point.sum);
  ExpectOptionalDouble(decoded, "min", point.min);
  ExpectOptionalDouble(decoded, "max", point.max);
  auto counts = Member(decoded, "bucketCounts");
  ASSERT_EQ(ArraySize(counts), point.bucket_counts.size()) << decoded;
  for (std::size_t i = 0; i < point.bucket_counts.size(); ++i) {
    EXPECT_EQ(String(Item(*counts, i)), std::to_string(point.bucket_counts[i]));
  }
  auto bounds = Member(decoded, "explicitBounds");
  ASSERT_EQ(ArraySize(bounds), point.boundaries.size()) << decoded;
  for (std::size_t i = 0; i < point.boundaries.size(); ++i) {
    ExpectDouble(Item(*bounds, i), point.boundaries[i]);
  }
}

template <typename Point, typename Check>
void ExpectPoints(const element& data, const std::vector<Point>& points, Check check) {
  auto decoded = Member(data, "dataPoints");
  ASSERT_EQ(ArraySize(decoded), points.size()) << data;
  for (std::size_t i = 0; i < points.size(); ++i) {
    SCOPED_TRACE("point " + std::to_string(i));
    check(Item(*decoded, i), points[i]);
  }
}

void ExpectMetric(const element& decoded, const MetricData& metric) {
  SCOPED_TRACE("metric '" + metric.descriptor.name + "'");
  ExpectString(decoded, "name", metric.descriptor.name);
  ExpectString(decoded, "description", metric.descriptor.description);
  ExpectString(decoded, "unit", metric.descriptor.unit);
  const char* kinds[] = {"sum", "gauge", "histogram"};
  const char* want = kinds[metric.data.index()];
  for (const char* kind : kinds) {
    if (kind != want) {
      EXPECT_FALSE(Member(decoded, kind)) << "unexpected " << kind;
    }
  }
  auto data = Member(decoded, want);
  ASSERT_TRUE(data) << "want " << want << ": " << decoded;
  if (const auto* sum = std::get_if<SumData>(&metric.data)) {
    ExpectNumber(*data, "aggregationTemporality", static_cast<std::uint64_t>(sum->temporality));
    auto monotonic = Member(*data, "isMonotonic");
    if (sum->monotonic) {
      ASSERT_TRUE(monotonic) << *data;
      bool value = false;
      ASSERT_EQ(monotonic->get_bool().get(value), simdjson::SUCCESS);
      EXPECT_TRUE(value);
    } else {
      EXPECT_FALSE(monotonic) << *data;
    }
    ExpectPoints(*data, sum->points, ExpectNumberPoint);
  } else if (const auto* gauge = std::get_if<GaugeData>(&metric.data)) {
    ExpectPoints(*data, gauge->points, ExpectNumberPoint);
  } else {
    const auto& histogram = std::get<HistogramData>(metric.data);
    ExpectNumber(*data, "aggregationTemporality",
                 static_cast<std::uint64_t>(histogram.temporality));
    ExpectPoints(*data, histogram.points, ExpectHistogramPoint);
  }
}

void ExpectRequest(std::string_view decoded_text, const ResourceMetrics& snapshot) {
  simdjson::dom::parser parser;
  element root;
  ASSERT_EQ(parser.parse(decoded_text).get(root), simdjson::SUCCESS) << decoded_text;
  auto resource_metrics = Member(root, "resourceMetrics");
  ASSERT_EQ(ArraySize(resource_metrics), 1u) << decoded_text;
  element rm = Item(*resource_metrics, 0);
  auto resource = Member(rm, "resource");
  ASSERT_TRUE(resource);
  ExpectAttributes(*resource, snapshot.resource->attributes().entries());
  ExpectNumber(*resource, "droppedAttributesCount", snapshot.resource->attributes().dropped());
  ExpectString(rm, "schemaUrl", snapshot.resource->schema_url());
  auto scopes = Member(rm, "scopeMetrics");
  ASSERT_EQ(ArraySize(scopes), snapshot.scopes.size());
  for (std::size_t s = 0; s < snapshot.scopes.size(); ++s) {
    const ScopeMetrics& expected = snapshot.scopes[s];
    SCOPED_TRACE("scope '" + expected.scope.name + "'");
    element sm = Item(*scopes, s);
    ExpectString(sm, "schemaUrl", expected.scope.schema_url);
    auto scope = Member(sm, "scope");
    ASSERT_TRUE(scope) << sm;
    ExpectString(*scope, "name", expected.scope.name);
    ExpectString(*scope, "version", expected.scope.version);
    ExpectAttributes(*scope, expected.scope.attributes.entries());
    auto metrics = Member(sm, "metrics");
    ASSERT_EQ(ArraySize(metrics), expected.metrics.size());
    for (std::size_t m = 0; m < expected.metrics.size(); ++m) {
      ExpectMetric(Item(*metrics, m), expected.metrics[m]);
    }
  }
}

// ---------------------------------------------------------------------------------------------

TEST(OtlpMetricsOracleTest, ProtobufDecodesToEveryFieldOfTheSnapshot) {
  const ResourceMetrics snapshot = Corpus();
  std::string body;
  EncodeMetricsRequestProto(snapshot, body);
  Result<std::string> decoded = RunOracle("metrics", "proto", body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectRequest(*decoded, snapshot);
}

TEST(OtlpMetricsOracleTest, JsonDecodesToEveryFieldOfTheSnapshot) {
  const ResourceMetrics snapshot = Corpus();
  std::string body;
  EncodeMetricsRequestJson(snapshot, body);
  Result<std::string> decoded = RunOracle("metrics", "json", body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString() << "\n" << body;
  ExpectRequest(*decoded, snapshot);
}

TEST(OtlpMetricsOracleTest, ProtobufAndJsonDecodeToTheSameRequest) {
  const ResourceMetrics snapshot = Corpus();
  std::string proto;
  std::string json;
  EncodeMetricsRequestProto(snapshot, proto);
  EncodeMetricsRequestJson(snapshot, json);
  Result<std::string> from_proto = RunOracle("metrics", "proto", proto);
  Result<std::string> from_json = RunOracle("metrics", "json", json);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status().ToString();
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(*from_proto, *from_json);
}

TEST(OtlpMetricsOracleTest, AnEmptySnapshotIsAnEmptyRequest) {
  std::string proto;
  EncodeMetricsRequestProto(ResourceMetrics{}, proto);
  EXPECT_TRUE(proto.empty());
  Result<std::string> decoded = RunOracle("metrics", "proto", proto);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, "{\"resourceMetrics\":[]}\n");
  std::string json;
  EncodeMetricsRequestJson(ResourceMetrics{}, json);
  EXPECT_EQ(json, "{}");
  decoded = RunOracle("metrics", "json", json);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
}

TEST(OtlpMetricsOracleTest, TheOracleRejectsAMisspelledField) {
  // Guards the oracle's strictness, which the JSON test relies on.
  Result<std::string> decoded = RunOracle(
      "metrics", "json",
      R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"x","sum":{"isMonotonik":true}}]}]}]})");
  EXPECT_FALSE(decoded.ok());
}

}  // namespace
}  // namespace llmtrace::otlp
