#include "llmtrace/metrics/observable_instruments.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics {
namespace {

using testing::FindMetric;
using testing::FindPoint;
using testing::Gauges;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;
using testing::TestReader;

TEST(ObservableTest, CounterCallbackRunsAtEachCollection) {
  TestPipeline p;
  std::int64_t total = 10;
  int calls = 0;
  auto handle = p.meter->CreateInt64ObservableCounter(
      "bytes.sent",
      [&](ObserverResult<std::int64_t>& result) {
        ++calls;
        result.Observe(total, {{"peer", "a"}});
        result.Observe(1, {{"peer", "b"}});
        result.Observe(2, {{"peer", "b"}});  // the last observation wins
      },
      {.unit = "By"});
  EXPECT_TRUE(handle.enabled());
  EXPECT_EQ(calls, 0);
  ResourceMetrics first = p.reader->Collect();
  const MetricData* metric = FindMetric(first, "bytes.sent");
  EXPECT_EQ(metric->descriptor.kind, InstrumentKind::kObservableCounter);
  EXPECT_TRUE(Sum(metric).monotonic);
  EXPECT_EQ(IntValue(metric, "peer=\"a\""), 10);
  EXPECT_EQ(IntValue(metric, "peer=\"b\""), 2);
  total = 25;
  EXPECT_EQ(IntValue(FindMetric(p.reader->Collect(), "bytes.sent"), "peer=\"a\""), 25);
  EXPECT_EQ(calls, 2);
}

TEST(ObservableTest, DeltaReaderGetsTheDifferenceBetweenTotals) {
  auto delta = std::make_shared<TestReader>(&DeltaTemporality);
  MeterProviderOptions options;
  options.readers.push_back(delta);
  TestPipeline p(std::move(options));
  double total = 1.5;
  p.meter->CreateDoubleObservableCounter("cost",
                                         [&](ObserverResult<double>& r) { r.Observe(total); });
  auto value = [](const ResourceMetrics& s) {
    return std::get<double>(FindPoint(Sum(FindMetric(s, "cost")).points, "")->value);
  };
  EXPECT_EQ(value(delta->Collect()), 1.5);
  total = 4.0;
  EXPECT_EQ(value(delta->Collect()), 2.5);
  EXPECT_EQ(value(p.reader->Collect()), 4.0);  // the cumulative reader is unaffected
  total = 4.5;
  EXPECT_EQ(value(delta->Collect()), 0.5);
  EXPECT_EQ(Sum(FindMetric(delta->Collect(), "cost")).temporality, Temporality::kDelta);
}

TEST(ObservableTest, UpDownCounterAndGaugeReportCurrentValues) {
  TestPipeline p;
  p.meter->CreateInt64ObservableUpDownCounter("pool.in_use", [](ObserverResult<std::int64_t>& r) {
    r.Observe(-3, {{"pool", "x"}});
  });
  p.meter->CreateDoubleObservableGauge("budget.left", [](ObserverResult<double>& r) {
    r.Observe(0.75, {{"team", "ml"}});
  });
  p.meter->CreateInt64ObservableGauge("queue.size",
                                      [](ObserverResult<std::int64_t>& r) { r.Observe(42); });
  ResourceMetrics snapshot = p.reader->Collect();
  const MetricData* in_use = FindMetric(snapshot, "pool.in_use");
  EXPECT_FALSE(Sum(in_use).monotonic);
  EXPECT_EQ(IntValue(in_use, "pool=\"x\""), -3);
  const GaugeData& budget = Gauges(FindMetric(snapshot, "budget.left"));
  EXPECT_EQ(std::get<double>(FindPoint(budget.points, "team=\"ml\"")->value), 0.75);
  EXPECT_EQ(std::get<std::int64_t>(Gauges(FindMetric(snapshot, "queue.size")).points.at(0).value),
            42);
}

TEST(ObservableTest, UnregisterStopsTheCallback) {
  TestPipeline p;
  std::atomic<int> calls{0};
  auto handle = p.meter->CreateInt64ObservableGauge(
      "g", [&](ObserverResult<std::int64_t>& r) { ++calls, r.Observe(1); });
  (void)p.reader->Collect();
  handle.Unregister();
  EXPECT_TRUE(p.reader->Collect().scopes.empty());
  EXPECT_EQ(calls.load(), 1);
}

TEST(ObservableTest, AThrowingCallbackIsContained) {
  TestPipeline p;
  p.meter->CreateInt64ObservableGauge(
      "bad", [](ObserverResult<std::int64_t>&) { throw std::runtime_error("boom"); });
  p.meter->CreateInt64ObservableGauge("good",
                                      [](ObserverResult<std::int64_t>& r) { r.Observe(1); });
  ResourceMetrics snapshot = p.reader->Collect();
  EXPECT_EQ(FindMetric(snapshot, "bad"), nullptr);
  EXPECT_NE(FindMetric(snapshot, "good"), nullptr);
}

TEST(ObservableTest, DuplicateRegistrationAddsItsCallback) {
  TestPipeline p;
  auto first = p.meter->CreateInt64ObservableCounter("c", [](ObserverResult<std::int64_t>& r) {
    r.Observe(1, {{"src", "first"}});
  });
  auto second = p.meter->CreateInt64ObservableCounter("c", [](ObserverResult<std::int64_t>& r) {
    r.Observe(2, {{"src", "second"}});
  });
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  EXPECT_EQ(IntValue(metric, "src=\"first\""), 1);
  EXPECT_EQ(IntValue(metric, "src=\"second\""), 2);
}

TEST(ObservableTest, UnregisterRemovesOnlyThatHandlesCallback) {
  TestPipeline p;
  auto first = p.meter->CreateInt64ObservableCounter("c", [](ObserverResult<std::int64_t>& r) {
    r.Observe(1, {{"src", "first"}});
  });
  auto second = p.meter->CreateInt64ObservableCounter("c", [](ObserverResult<std::int64_t>& r) {
    r.Observe(2, {{"src", "second"}});
  });
  first.Unregister();
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  EXPECT_EQ(IntValue(metric, "src=\"first\""), -999);  // absent
  EXPECT_EQ(IntValue(metric, "src=\"second\""), 2);
}

TEST(ObservableTest, ObservationsPastTheCardinalityLimitMergeIntoOverflow) {
  MeterProviderOptions options;
  options.cardinality_limit = 3;
  TestPipeline p(std::move(options));
  p.meter->CreateInt64ObservableCounter("c", [](ObserverResult<std::int64_t>& r) {
    for (int i = 0; i < 5; ++i) r.Observe(10, {{"i", i}});
  });
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  ASSERT_EQ(Sum(metric).points.size(), 3u);
  EXPECT_EQ(IntValue(metric, "otel.metric.overflow=true"), 30);
}

TEST(ObservableTest, NullCallbackYieldsANoOpInstrument) {
  TestPipeline p;
  EXPECT_FALSE(p.meter->CreateInt64ObservableGauge("g", nullptr).enabled());
}

}  // namespace
}  // namespace llmtrace::metrics
