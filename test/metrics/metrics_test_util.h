// Helpers shared by the metrics tests: a reader that collects on demand, a provider on a
// ManualClock, and lookups into a snapshot.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/metrics/metric_reader.h"

namespace llmtrace::metrics::testing {

// Collects when the test says so; Collect() comes from the base.
class TestReader : public MetricReader {
 public:
  explicit TestReader(TemporalitySelector selector = &CumulativeTemporality)
      : MetricReader(selector) {}
};

struct TestPipeline {
  ManualClock clock;
  MapEnvironment env;
  std::shared_ptr<TestReader> reader;
  std::shared_ptr<MeterProvider> provider;
  std::shared_ptr<Meter> meter;

  explicit TestPipeline(MeterProviderOptions options = {},
                        TemporalitySelector selector = &CumulativeTemporality)
      : reader(std::make_shared<TestReader>(selector)) {
    options.clock = &clock;
    if (options.environment == nullptr) options.environment = &env;
    options.readers.insert(options.readers.begin(), reader);
    auto created = MeterProvider::Create(std::move(options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    provider = *created;
    meter = provider->GetMeter("test-scope", "1.0.0");
  }
};

// The metric named `name` in `snapshot`, or null.
inline const MetricData* FindMetric(const ResourceMetrics& snapshot, std::string_view name) {
  for (const ScopeMetrics& scope : snapshot.scopes) {
    for (const MetricData& metric : scope.metrics) {
      if (metric.descriptor.name == name) return &metric;
    }
  }
  return nullptr;
}

// Attributes as "k=v,k=v" in the snapshot's (sorted) order, for compact assertions.
inline std::string AttributesString(const AttributeSet& attributes) {
  std::string out;
  for (const KeyValue& kv : attributes.entries()) {
    if (!out.empty()) out += ',';
    out += std::string(kv.key) + "=" + kv.value.ToString();
  }
  return out;
}

template <typename Point>
const Point* FindPoint(const std::vector<Point>& points, std::string_view attributes) {
  for (const Point& p : points) {
    if (AttributesString(p.attributes) == attributes) return &p;
  }
  return nullptr;
}

inline const SumData& Sum(const MetricData* metric) {
  static const SumData empty;
  if (metric == nullptr || !std::holds_alternative<SumData>(metric->data)) {
    ADD_FAILURE() << "not a sum";
    return empty;
  }
  return std::get<SumData>(metric->data);
}
inline const HistogramData& Hist(const MetricData* metric) {
  static const HistogramData empty;
  if (metric == nullptr || !std::holds_alternative<HistogramData>(metric->data)) {
    ADD_FAILURE() << "not a histogram";
    return empty;
  }
  return std::get<HistogramData>(metric->data);
}
inline const GaugeData& Gauges(const MetricData* metric) {
  static const GaugeData empty;
  if (metric == nullptr || !std::holds_alternative<GaugeData>(metric->data)) {
    ADD_FAILURE() << "not a gauge";
    return empty;
  }
  return std::get<GaugeData>(metric->data);
}

// The int64 value of the sum point with `attributes`, or -999 when absent.
inline std::int64_t IntValue(const MetricData* metric, std::string_view attributes) {
  const NumberPoint* p = FindPoint(Sum(metric).points, attributes);
  return p ? std::get<std::int64_t>(p->value) : -999;
}

}  // namespace llmtrace::metrics::testing
