// MetricData: a snapshot of collected metric points, the shape every metric consumer reads.
//
// A MeterProvider's collection produces ResourceMetrics (one resource, points grouped by
// instrumentation scope and instrument), mirroring OTLP's metrics data model, so the OTLP
// encoders, the Prometheus text renderer and tests all read the same structure. A snapshot owns
// its data (attribute sets, strings); it stays valid after the provider moves on.
// Thread-safety: a value type; build it on one thread, then share it read-only.
//
//   ResourceMetrics snapshot = reader.Collect();
//   for (const ScopeMetrics& scope : snapshot.scopes)
//     for (const MetricData& metric : scope.metrics) ...
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/resource.h"

namespace llmtrace::metrics {

enum class InstrumentKind : std::uint8_t {
  kCounter,
  kUpDownCounter,
  kHistogram,
  kGauge,
  kObservableCounter,
  kObservableUpDownCounter,
  kObservableGauge,
};

enum class InstrumentValueType : std::uint8_t { kInt64, kDouble };

// Values match OTLP's AggregationTemporality.
enum class Temporality : std::uint8_t { kDelta = 1, kCumulative = 2 };

struct InstrumentDescriptor {
  std::string name;  // "gen_ai.client.token.usage"
  std::string description;
  std::string unit;  // UCUM: "s", "{token}", "By"
  InstrumentKind kind = InstrumentKind::kCounter;
  InstrumentValueType value_type = InstrumentValueType::kInt64;
};

using PointValue = std::variant<std::int64_t, double>;

// A Sum (counters, up-down counters) or Gauge point.
struct NumberPoint {
  AttributeSet attributes;
  Timestamp start_time{};  // unused for gauges
  Timestamp time{};
  PointValue value = std::int64_t{0};
};

struct HistogramPoint {
  AttributeSet attributes;
  Timestamp start_time{};
  Timestamp time{};
  std::uint64_t count = 0;
  double sum = 0;
  std::optional<double> min;  // absent when count == 0
  std::optional<double> max;
  std::vector<double> boundaries;            // explicit bucket upper bounds, ascending
  std::vector<std::uint64_t> bucket_counts;  // boundaries.size() + 1 entries
};

struct SumData {
  Temporality temporality = Temporality::kCumulative;
  bool monotonic = true;
  std::vector<NumberPoint> points;
};
struct GaugeData {
  std::vector<NumberPoint> points;
};
struct HistogramData {
  Temporality temporality = Temporality::kCumulative;
  std::vector<HistogramPoint> points;
};

struct MetricData {
  InstrumentDescriptor descriptor;
  std::variant<SumData, GaugeData, HistogramData> data;
};

struct ScopeMetrics {
  InstrumentationScope scope;
  std::vector<MetricData> metrics;
};

struct ResourceMetrics {
  std::shared_ptr<const Resource> resource;
  std::vector<ScopeMetrics> scopes;
};

}  // namespace llmtrace::metrics
