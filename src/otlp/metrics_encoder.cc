#include "llmtrace/otlp/metrics_encoder.h"

#include <cstdint>

#include "src/otlp/common_encoding.h"
#include "src/otlp/json_writer.h"
#include "src/otlp/partial_success.h"
#include "src/otlp/proto_writer.h"

namespace llmtrace::otlp {
namespace {

using internal::JsonWriter;
using internal::ProtoWriter;
using internal::WireType;
using metrics::GaugeData;
using metrics::HistogramData;
using metrics::HistogramPoint;
using metrics::MetricData;
using metrics::NumberPoint;
using metrics::ResourceMetrics;
using metrics::ScopeMetrics;
using metrics::SumData;

// Field numbers from opentelemetry-proto v1.x (opentelemetry/proto/metrics/v1/metrics.proto and
// collector/metrics/v1/metrics_service.proto), checked against the generated root.js of
// @opentelemetry/otlp-transformer 0.52.1.
constexpr std::uint32_t kRequestResourceMetrics = 1;
constexpr std::uint32_t kResourceMetricsResource = 1;
constexpr std::uint32_t kResourceMetricsScopeMetrics = 2;
constexpr std::uint32_t kResourceMetricsSchemaUrl = 3;
constexpr std::uint32_t kScopeMetricsScope = 1;
constexpr std::uint32_t kScopeMetricsMetrics = 2;
constexpr std::uint32_t kScopeMetricsSchemaUrl = 3;
constexpr std::uint32_t kMetricName = 1;
constexpr std::uint32_t kMetricDescription = 2;
constexpr std::uint32_t kMetricUnit = 3;
constexpr std::uint32_t kMetricGauge = 5;
constexpr std::uint32_t kMetricSum = 7;
constexpr std::uint32_t kMetricHistogram = 9;
constexpr std::uint32_t kGaugeDataPoints = 1;
constexpr std::uint32_t kSumDataPoints = 1;
constexpr std::uint32_t kSumAggregationTemporality = 2;
constexpr std::uint32_t kSumIsMonotonic = 3;
constexpr std::uint32_t kHistogramDataPoints = 1;
constexpr std::uint32_t kHistogramAggregationTemporality = 2;
constexpr std::uint32_t kNumberStartTime = 2;  // fixed64
constexpr std::uint32_t kNumberTime = 3;       // fixed64
constexpr std::uint32_t kNumberAsDouble = 4;   // double, oneof value
constexpr std::uint32_t kNumberAsInt = 6;      // sfixed64, oneof value
constexpr std::uint32_t kNumberAttributes = 7;
constexpr std::uint32_t kHistogramPointStartTime = 2;       // fixed64
constexpr std::uint32_t kHistogramPointTime = 3;            // fixed64
constexpr std::uint32_t kHistogramPointCount = 4;           // fixed64
constexpr std::uint32_t kHistogramPointSum = 5;             // optional double
constexpr std::uint32_t kHistogramPointBucketCounts = 6;    // packed fixed64
constexpr std::uint32_t kHistogramPointExplicitBounds = 7;  // packed double
constexpr std::uint32_t kHistogramPointAttributes = 9;
constexpr std::uint32_t kHistogramPointMin = 11;  // optional double
constexpr std::uint32_t kHistogramPointMax = 12;  // optional double

// --- Protobuf. ---

void EncodeNumberPointProto(ProtoWriter& w, std::uint32_t field, const NumberPoint& point) {
  auto message = w.BeginMessage(field, 40 + 48 * point.attributes.size());
  w.OptionalFixed64Field(kNumberStartTime, ToUnixNanos(point.start_time));
  w.OptionalFixed64Field(kNumberTime, ToUnixNanos(point.time));
  if (const auto* i = std::get_if<std::int64_t>(&point.value)) {
    w.Fixed64Field(kNumberAsInt, static_cast<std::uint64_t>(*i));
  } else {
    w.DoubleField(kNumberAsDouble, std::get<double>(point.value));
  }
  internal::EncodeAttributesProto(w, kNumberAttributes, point.attributes.entries());
  w.EndMessage(message);
}

void EncodeHistogramPointProto(ProtoWriter& w, const HistogramPoint& point) {
  auto message = w.BeginMessage(
      kHistogramDataPoints, 64 + 48 * point.attributes.size() + 16 * point.bucket_counts.size());
  w.OptionalFixed64Field(kHistogramPointStartTime, ToUnixNanos(point.start_time));
  w.OptionalFixed64Field(kHistogramPointTime, ToUnixNanos(point.time));
  w.OptionalFixed64Field(kHistogramPointCount, point.count);
  w.DoubleField(kHistogramPointSum, point.sum);
  if (!point.bucket_counts.empty()) {
    w.WriteTag(kHistogramPointBucketCounts, WireType::kLengthDelimited);
    w.WriteVarint(8 * point.bucket_counts.size());
    for (std::uint64_t count : point.bucket_counts) w.WriteFixed64(count);
  }
  if (!point.boundaries.empty()) {
    w.WriteTag(kHistogramPointExplicitBounds, WireType::kLengthDelimited);
    w.WriteVarint(8 * point.boundaries.size());
    for (double bound : point.boundaries) w.WriteFixed64(std::bit_cast<std::uint64_t>(bound));
  }
  internal::EncodeAttributesProto(w, kHistogramPointAttributes, point.attributes.entries());
  if (point.min) w.DoubleField(kHistogramPointMin, *point.min);
  if (point.max) w.DoubleField(kHistogramPointMax, *point.max);
  w.EndMessage(message);
}

void EncodeMetricProto(ProtoWriter& w, const MetricData& metric) {
  auto message = w.BeginMessage(kScopeMetricsMetrics, 1000);
  w.OptionalStringField(kMetricName, metric.descriptor.name);
  w.OptionalStringField(kMetricDescription, metric.descriptor.description);
  w.OptionalStringField(kMetricUnit, metric.descriptor.unit);
  if (const auto* sum = std::get_if<SumData>(&metric.data)) {
    auto data = w.BeginMessage(kMetricSum, 1000);
    for (const NumberPoint& point : sum->points) EncodeNumberPointProto(w, kSumDataPoints, point);
    w.OptionalVarintField(kSumAggregationTemporality, static_cast<std::uint64_t>(sum->temporality));
    w.OptionalVarintField(kSumIsMonotonic, sum->monotonic ? 1 : 0);
    w.EndMessage(data);
  } else if (const auto* gauge = std::get_if<GaugeData>(&metric.data)) {
    auto data = w.BeginMessage(kMetricGauge, 1000);
    for (const NumberPoint& point : gauge->points) {
      EncodeNumberPointProto(w, kGaugeDataPoints, point);
    }
    w.EndMessage(data);
  } else {
    const auto& histogram = std::get<HistogramData>(metric.data);
    auto data = w.BeginMessage(kMetricHistogram, 1000);
    for (const HistogramPoint& point : histogram.points) EncodeHistogramPointProto(w, point);
    w.OptionalVarintField(kHistogramAggregationTemporality,
                          static_cast<std::uint64_t>(histogram.temporality));
    w.EndMessage(data);
  }
  w.EndMessage(message);
}

// --- OTLP/JSON. ---

void EncodeNumberPointJson(JsonWriter& w, const NumberPoint& point) {
  w.BeginObject();
  internal::EncodeAttributesJson(w, "attributes", point.attributes.entries());
  w.OptionalUint64String("startTimeUnixNano", ToUnixNanos(point.start_time));
  w.OptionalUint64String("timeUnixNano", ToUnixNanos(point.time));
  if (const auto* i = std::get_if<std::int64_t>(&point.value)) {
    w.Key("asInt");
    w.Int64String(*i);
  } else {
    w.Key("asDouble");
    w.Double(std::get<double>(point.value));
  }
  w.EndObject();
}

void EncodeHistogramPointJson(JsonWriter& w, const HistogramPoint& point) {
  w.BeginObject();
  internal::EncodeAttributesJson(w, "attributes", point.attributes.entries());
  w.OptionalUint64String("startTimeUnixNano", ToUnixNanos(point.start_time));
  w.OptionalUint64String("timeUnixNano", ToUnixNanos(point.time));
  w.OptionalUint64String("count", point.count);
  w.Key("sum");
  w.Double(point.sum);
  if (!point.bucket_counts.empty()) {
    w.Key("bucketCounts");
    w.BeginArray();
    for (std::uint64_t count : point.bucket_counts) w.Uint64String(count);
    w.EndArray();
  }
  if (!point.boundaries.empty()) {
    w.Key("explicitBounds");
    w.BeginArray();
    for (double bound : point.boundaries) w.Double(bound);
    w.EndArray();
  }
  if (point.min) {
    w.Key("min");
    w.Double(*point.min);
  }
  if (point.max) {
    w.Key("max");
    w.Double(*point.max);
  }
  w.EndObject();
}

template <typename Point, typename Encode>
void EncodePointsJson(JsonWriter& w, const std::vector<Point>& points, Encode encode) {
  if (points.empty()) return;
  w.Key("dataPoints");
  w.BeginArray();
  for (const Point& point : points) encode(w, point);
  w.EndArray();
}

void EncodeMetricJson(JsonWriter& w, const MetricData& metric) {
  w.BeginObject();
  w.OptionalString("name", metric.descriptor.name);
  w.OptionalString("description", metric.descriptor.description);
  w.OptionalString("unit", metric.descriptor.unit);
  if (const auto* sum = std::get_if<SumData>(&metric.data)) {
    w.Key("sum");
    w.BeginObject();
    EncodePointsJson(w, sum->points, EncodeNumberPointJson);
    w.OptionalUint("aggregationTemporality", static_cast<std::uint64_t>(sum->temporality));
    if (sum->monotonic) {
      w.Key("isMonotonic");
      w.Bool(true);
    }
    w.EndObject();
  } else if (const auto* gauge = std::get_if<GaugeData>(&metric.data)) {
    w.Key("gauge");
    w.BeginObject();
    EncodePointsJson(w, gauge->points, EncodeNumberPointJson);
    w.EndObject();
  } else {
    const auto& histogram = std::get<HistogramData>(metric.data);
    w.Key("histogram");
    w.BeginObject();
    EncodePointsJson(w, histogram.points, EncodeHistogramPointJson);
    w.OptionalUint("aggregationTemporality", static_cast<std::uint64_t>(histogram.temporality));
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

void EncodeMetricsRequestProto(const ResourceMetrics& metrics, std::string& out) {
  ProtoWriter w(out);
  if (metrics.scopes.empty()) return;
  auto resource_metrics = w.BeginMessage(kRequestResourceMetrics, 1 << 16);
  if (metrics.resource) {
    internal::EncodeResourceProto(w, kResourceMetricsResource, *metrics.resource);
  }
  for (const ScopeMetrics& scope : metrics.scopes) {
    auto scope_metrics = w.BeginMessage(kResourceMetricsScopeMetrics, 1 << 16);
    internal::EncodeScopeProto(w, kScopeMetricsScope, scope.scope.name, scope.scope.version,
                               scope.scope.attributes.entries(), scope.scope.attributes.dropped());
    for (const MetricData& metric : scope.metrics) EncodeMetricProto(w, metric);
    w.OptionalStringField(kScopeMetricsSchemaUrl, scope.scope.schema_url);
    w.EndMessage(scope_metrics);
  }
  if (metrics.resource) {
    w.OptionalStringField(kResourceMetricsSchemaUrl, metrics.resource->schema_url());
  }
  w.EndMessage(resource_metrics);
}

void EncodeMetricsRequestJson(const ResourceMetrics& metrics, std::string& out) {
  JsonWriter w(out);
  w.BeginObject();
  if (!metrics.scopes.empty()) {
    w.Key("resourceMetrics");
    w.BeginArray();
    w.BeginObject();
    if (metrics.resource) {
      w.Key("resource");
      internal::EncodeResourceJson(w, *metrics.resource);
    }
    w.Key("scopeMetrics");
    w.BeginArray();
    for (const ScopeMetrics& scope : metrics.scopes) {
      w.BeginObject();
      w.Key("scope");
      internal::EncodeScopeJson(w, scope.scope.name, scope.scope.version,
                                scope.scope.attributes.entries(), scope.scope.attributes.dropped());
      if (!scope.metrics.empty()) {
        w.Key("metrics");
        w.BeginArray();
        for (const MetricData& metric : scope.metrics) EncodeMetricJson(w, metric);
        w.EndArray();
      }
      w.OptionalString("schemaUrl", scope.scope.schema_url);
      w.EndObject();
    }
    w.EndArray();  // scopeMetrics
    if (metrics.resource) w.OptionalString("schemaUrl", metrics.resource->schema_url());
    w.EndObject();
    w.EndArray();  // resourceMetrics
  }
  w.EndObject();
}

std::size_t CountDataPoints(const ResourceMetrics& metrics) noexcept {
  std::size_t count = 0;
  for (const ScopeMetrics& scope : metrics.scopes) {
    for (const MetricData& metric : scope.metrics) {
      std::visit([&count](const auto& data) { count += data.points.size(); }, metric.data);
    }
  }
  return count;
}

Result<PartialSuccess> DecodeMetricsPartialSuccessProto(std::string_view body) {
  return internal::DecodePartialSuccessProto(body, "otlp metrics export response");
}

Result<PartialSuccess> DecodeMetricsPartialSuccessJson(std::string_view body) {
  return internal::DecodePartialSuccessJson(body, "rejectedDataPoints", "rejected_data_points",
                                            "otlp metrics export response");
}

}  // namespace llmtrace::otlp
