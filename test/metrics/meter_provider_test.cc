#include "llmtrace/metrics/meter_provider.h"

#include <gtest/gtest.h>

#include <chrono>

#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics {
namespace {

using std::chrono::seconds;
using testing::FindMetric;
using testing::FindPoint;
using testing::Hist;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;
using testing::TestReader;

TEST(MeterProviderTest, MergesResourceAttributesOverTheEnvironment) {
  MapEnvironment env{{"OTEL_SERVICE_NAME", "from-env"},
                     {"OTEL_RESOURCE_ATTRIBUTES", "team=ml,region=eu"}};
  MeterProviderOptions options;
  options.environment = &env;
  options.resource_attributes.Set("region", "us");
  TestPipeline p(std::move(options));
  const AttributeSet& attributes = p.provider->resource().attributes();
  EXPECT_EQ(attributes.Find("service.name")->AsString(), "from-env");
  EXPECT_EQ(attributes.Find("team")->AsString(), "ml");
  EXPECT_EQ(attributes.Find("region")->AsString(), "us");
  p.meter->CreateInt64Counter("c").Add(1);
  ResourceMetrics snapshot = p.reader->Collect();
  ASSERT_NE(snapshot.resource, nullptr);
  EXPECT_EQ(snapshot.resource->attributes().Find("region")->AsString(), "us");
}

TEST(MeterProviderTest, RejectsNullDuplicateAndAlreadyRegisteredReaders) {
  MeterProviderOptions null_reader;
  null_reader.readers.push_back(nullptr);
  EXPECT_EQ(MeterProvider::Create(std::move(null_reader)).status().code(),
            StatusCode::kInvalidArgument);

  auto reader = std::make_shared<TestReader>();
  MeterProviderOptions twice;
  twice.readers = {reader, reader};
  EXPECT_EQ(MeterProvider::Create(std::move(twice)).status().code(), StatusCode::kInvalidArgument);

  MeterProviderOptions first;
  first.readers = {reader};
  auto provider = MeterProvider::Create(std::move(first));
  ASSERT_TRUE(provider.ok());
  MeterProviderOptions second;
  second.readers = {reader};
  EXPECT_EQ(MeterProvider::Create(std::move(second)).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(MeterProviderTest, RejectsACardinalityLimitBelowTwo) {
  MeterProviderOptions options;
  options.cardinality_limit = 1;
  EXPECT_EQ(MeterProvider::Create(std::move(options)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(MeterProviderTest, SameScopeYieldsTheSameMeter) {
  TestPipeline p;
  EXPECT_EQ(p.provider->GetMeter("test-scope", "1.0.0"), p.meter);
  EXPECT_NE(p.provider->GetMeter("test-scope", "2.0.0"), p.meter);
  EXPECT_NE(p.provider->GetMeter("other"), p.meter);
}

TEST(MeterProviderTest, GroupsMetricsByScopeAndOmitsScopesWithoutPoints) {
  TestPipeline p;
  auto other = p.provider->GetMeter("other", "", "https://opentelemetry.io/schemas/1.26.0");
  p.meter->CreateInt64Counter("a").Add(1);
  other->CreateInt64Counter("b").Add(2);
  p.provider->GetMeter("empty")->CreateInt64Counter("unused");
  ResourceMetrics snapshot = p.reader->Collect();
  ASSERT_EQ(snapshot.scopes.size(), 2u);
  EXPECT_EQ(snapshot.scopes[1].scope.name, "other");
  EXPECT_EQ(snapshot.scopes[1].scope.schema_url, "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(snapshot.scopes[1].metrics.at(0).descriptor.name, "b");
}

TEST(MeterProviderTest, ShutdownShutsReadersDownAndIsIdempotent) {
  TestPipeline p;
  p.meter->CreateInt64Counter("c").Add(1);
  EXPECT_TRUE(p.provider->ForceFlush(seconds(1)).ok());
  EXPECT_TRUE(p.provider->Shutdown(seconds(1)).ok());
  EXPECT_TRUE(p.provider->Shutdown(seconds(1)).ok());
  EXPECT_TRUE(p.reader->Collect().scopes.empty());
}

TEST(MeterProviderTest, InstrumentsOutliveTheirProvider) {
  auto reader = std::make_shared<TestReader>();
  Counter<std::int64_t> counter;
  {
    MeterProviderOptions options;
    options.readers = {reader};
    auto provider = *MeterProvider::Create(std::move(options));
    counter = provider->GetMeter("m")->CreateInt64Counter("c");
  }
  counter.Add(1);
  counter.Bind({{"a", 1}}).Add(1);
  EXPECT_TRUE(reader->Collect().scopes.empty());
}

TEST(TemporalityTest, CumulativeKeepsItsStartTimeAndRunningTotal) {
  TestPipeline p;
  const Timestamp start = p.clock.Now();
  auto counter = p.meter->CreateInt64Counter("c");
  counter.Add(5);
  p.clock.Advance(seconds(10));
  ResourceMetrics first = p.reader->Collect();
  counter.Add(3);
  p.clock.Advance(seconds(10));
  ResourceMetrics second = p.reader->Collect();
  p.clock.Advance(seconds(10));
  ResourceMetrics third = p.reader->Collect();

  for (const ResourceMetrics* s : {&first, &second, &third}) {
    const SumData& sum = Sum(FindMetric(*s, "c"));
    EXPECT_EQ(sum.temporality, Temporality::kCumulative);
    ASSERT_EQ(sum.points.size(), 1u);
    EXPECT_EQ(sum.points[0].start_time, start);
  }
  EXPECT_EQ(IntValue(FindMetric(first, "c"), ""), 5);
  EXPECT_EQ(IntValue(FindMetric(second, "c"), ""), 8);
  EXPECT_EQ(IntValue(FindMetric(third, "c"), ""), 8);
  EXPECT_EQ(Sum(FindMetric(third, "c")).points[0].time, start + seconds(30));
}

TEST(TemporalityTest, DeltaReportsWhatArrivedSinceThePreviousCollection) {
  TestPipeline p({}, &DeltaTemporality);
  const Timestamp start = p.clock.Now();
  auto counter = p.meter->CreateInt64Counter("c");
  auto histogram = p.meter->CreateDoubleHistogram("h");
  counter.Add(5, {{"k", "a"}});
  histogram.Record(2);
  histogram.Record(8);
  p.clock.Advance(seconds(10));
  ResourceMetrics first = p.reader->Collect();
  counter.Add(3, {{"k", "a"}});
  histogram.Record(4);
  p.clock.Advance(seconds(10));
  ResourceMetrics second = p.reader->Collect();
  p.clock.Advance(seconds(10));
  ResourceMetrics third = p.reader->Collect();

  const SumData& s1 = Sum(FindMetric(first, "c"));
  EXPECT_EQ(s1.temporality, Temporality::kDelta);
  EXPECT_EQ(s1.points.at(0).start_time, start);
  EXPECT_EQ(std::get<std::int64_t>(s1.points.at(0).value), 5);
  const SumData& s2 = Sum(FindMetric(second, "c"));
  EXPECT_EQ(s2.points.at(0).start_time, start + seconds(10));
  EXPECT_EQ(s2.points.at(0).time, start + seconds(20));
  EXPECT_EQ(std::get<std::int64_t>(s2.points.at(0).value), 3);

  const HistogramPoint& h1 = Hist(FindMetric(first, "h")).points.at(0);
  EXPECT_EQ(h1.count, 2u);
  EXPECT_EQ(h1.sum, 10.0);
  EXPECT_EQ(h1.min, 2.0);
  EXPECT_EQ(h1.max, 8.0);
  const HistogramPoint& h2 = Hist(FindMetric(second, "h")).points.at(0);
  EXPECT_EQ(Hist(FindMetric(second, "h")).temporality, Temporality::kDelta);
  EXPECT_EQ(h2.count, 1u);
  EXPECT_EQ(h2.min, 4.0);
  EXPECT_EQ(h2.max, 4.0);
  EXPECT_EQ(h2.start_time, start + seconds(10));
  // Nothing new: no points at all.
  EXPECT_TRUE(third.scopes.empty());
}

TEST(TemporalityTest, TwoReadersWithDifferentTemporalitiesEachSeeEveryIncrement) {
  auto delta = std::make_shared<TestReader>(&DeltaTemporality);
  MeterProviderOptions options;
  options.readers.push_back(delta);
  TestPipeline p(std::move(options));  // p.reader is cumulative
  auto counter = p.meter->CreateInt64Counter("c");
  auto histogram = p.meter->CreateInt64Histogram("h");

  counter.Add(1);
  histogram.Record(10);
  EXPECT_EQ(IntValue(FindMetric(delta->Collect(), "c"), ""), 1);
  counter.Add(2);
  EXPECT_EQ(IntValue(FindMetric(p.reader->Collect(), "c"), ""), 3);
  counter.Add(4);
  ResourceMetrics d = delta->Collect();
  EXPECT_EQ(IntValue(FindMetric(d, "c"), ""), 6);
  EXPECT_EQ(FindMetric(d, "h"), nullptr);  // nothing recorded since the delta reader's last look
  ResourceMetrics c = p.reader->Collect();
  EXPECT_EQ(IntValue(FindMetric(c, "c"), ""), 7);
  EXPECT_EQ(Hist(FindMetric(c, "h")).points.at(0).count, 1u);
}

TEST(TemporalityTest, TwoDeltaReadersEachSeeEveryIncrementOnce) {
  auto second = std::make_shared<TestReader>(&DeltaTemporality);
  MeterProviderOptions options;
  options.readers.push_back(second);
  TestPipeline p(std::move(options), &DeltaTemporality);
  auto counter = p.meter->CreateInt64Counter("c");
  auto delta_of = [](TestReader& reader) -> std::int64_t {
    ResourceMetrics snapshot = reader.Collect();
    const MetricData* metric = FindMetric(snapshot, "c");
    return metric ? IntValue(metric, "") : 0;  // no point: nothing new
  };
  std::int64_t first_total = 0, second_total = 0;
  for (int i = 1; i <= 10; ++i) {
    counter.Add(i);
    if (i % 2 == 0) first_total += delta_of(*p.reader);
    if (i % 3 == 0) second_total += delta_of(*second);
  }
  first_total += delta_of(*p.reader);
  second_total += delta_of(*second);
  EXPECT_EQ(first_total, 55);
  EXPECT_EQ(second_total, 55);
}

TEST(TemporalityTest, UpDownCountersStayCumulativeUnderTheDeltaPreference) {
  TestPipeline p({}, &DeltaTemporality);
  auto in_flight = p.meter->CreateInt64UpDownCounter("in_flight");
  in_flight.Add(2);
  (void)p.reader->Collect();
  in_flight.Add(-1);
  ResourceMetrics collected = p.reader->Collect();
  const SumData& sum = Sum(FindMetric(collected, "in_flight"));
  EXPECT_EQ(sum.temporality, Temporality::kCumulative);
  EXPECT_EQ(std::get<std::int64_t>(sum.points.at(0).value), 1);
}

}  // namespace
}  // namespace llmtrace::metrics
