#include "llmtrace/metrics/instruments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/metrics/meter.h"
#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics {
namespace {

using testing::AttributesString;
using testing::FindMetric;
using testing::FindPoint;
using testing::Gauges;
using testing::Hist;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;

// Captures internal warnings for the duration of a test.
class CapturedLog {
 public:
  CapturedLog() {
    previous_ = SetInternalLogHandler([this](LogLevel, std::string_view message) {
      std::lock_guard lock(mutex_);
      messages_.emplace_back(message);
    });
  }
  ~CapturedLog() { SetInternalLogHandler(std::move(previous_)); }
  bool Contains(std::string_view text) const {
    std::lock_guard lock(mutex_);
    for (const std::string& m : messages_) {
      if (m.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  InternalLogHandler previous_;
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
};

TEST(CounterTest, SumsAddsPerAttributeSet) {
  TestPipeline p;
  auto tokens = p.meter->CreateInt64Counter("gen_ai.client.token.usage",
                                            {.description = "Tokens used", .unit = "{token}"});
  tokens.Add(100, {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.token.type", "input"}});
  tokens.Add(20, {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.token.type", "output"}});
  tokens.Add(5, {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.token.type", "input"}});
  tokens.Add(7);

  ResourceMetrics snapshot = p.reader->Collect();
  ASSERT_EQ(snapshot.scopes.size(), 1u);
  EXPECT_EQ(snapshot.scopes[0].scope.name, "test-scope");
  EXPECT_EQ(snapshot.scopes[0].scope.version, "1.0.0");
  const MetricData* metric = FindMetric(snapshot, "gen_ai.client.token.usage");
  ASSERT_NE(metric, nullptr);
  EXPECT_EQ(metric->descriptor.description, "Tokens used");
  EXPECT_EQ(metric->descriptor.unit, "{token}");
  EXPECT_EQ(metric->descriptor.kind, InstrumentKind::kCounter);
  const SumData& sum = Sum(metric);
  EXPECT_TRUE(sum.monotonic);
  EXPECT_EQ(sum.temporality, Temporality::kCumulative);
  ASSERT_EQ(sum.points.size(), 3u);
  EXPECT_EQ(IntValue(metric, "gen_ai.request.model=\"gpt-4o\",gen_ai.token.type=\"input\""), 105);
  EXPECT_EQ(IntValue(metric, "gen_ai.request.model=\"gpt-4o\",gen_ai.token.type=\"output\""), 20);
  EXPECT_EQ(IntValue(metric, ""), 7);
  EXPECT_NE(snapshot.resource, nullptr);
}

TEST(CounterTest, TreatsAttributeOrderAsIrrelevant) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("requests");
  counter.Add(1, {{"a", "x"}, {"b", 2}, {"c", true}});
  counter.Add(1, {{"c", true}, {"a", "x"}, {"b", 2}});
  counter.Add(1, {{"b", 2}, {"c", true}, {"a", "x"}});
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "requests");
  ASSERT_EQ(Sum(metric).points.size(), 1u);
  EXPECT_EQ(IntValue(metric, "a=\"x\",b=2,c=true"), 3);
}

TEST(CounterTest, KeepsTheLastValueOfARepeatedKey) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("requests");
  counter.Add(1, {{"a", "first"}, {"a", "second"}});
  counter.Add(2, {{"a", "second"}});
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "requests");
  ASSERT_EQ(Sum(metric).points.size(), 1u);
  EXPECT_EQ(IntValue(metric, "a=\"second\""), 3);
}

TEST(CounterTest, DistinguishesValuesOfDifferentTypes) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("requests");
  counter.Add(1, {{"port", 443}});
  counter.Add(2, {{"port", "443"}});
  counter.Add(4, {{"port", 443.0}});
  counter.Add(8, {{"port", true}});
  EXPECT_EQ(Sum(FindMetric(p.reader->Collect(), "requests")).points.size(), 4u);
}

TEST(CounterTest, DropsAndCountsNegativeAndNonFiniteValues) {
  TestPipeline p;
  auto ints = p.meter->CreateInt64Counter("ints");
  auto doubles = p.meter->CreateDoubleCounter("doubles");
  ints.Add(5);
  ints.Add(-1);
  doubles.Add(0.5);
  doubles.Add(-0.25);
  doubles.Add(std::numeric_limits<double>::quiet_NaN());
  doubles.Add(std::numeric_limits<double>::infinity());
  ResourceMetrics snapshot = p.reader->Collect();
  EXPECT_EQ(IntValue(FindMetric(snapshot, "ints"), ""), 5);
  const NumberPoint* d = FindPoint(Sum(FindMetric(snapshot, "doubles")).points, "");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(std::get<double>(d->value), 0.5);
  EXPECT_EQ(p.provider->stats().negative_values_dropped, 2u);
  EXPECT_EQ(p.provider->stats().invalid_values_dropped, 2u);
}

TEST(CounterTest, BoundHandleRecordsIntoTheSameSeries) {
  TestPipeline p;
  auto counter = p.meter->CreateDoubleCounter("cost", {.unit = "USD"});
  BoundSum<double> bound = counter.Bind({{"model", "gpt-4o"}});
  ASSERT_TRUE(bound.enabled());
  bound.Add(0.25);
  bound.Add(0.5);
  bound.Add(-1);  // dropped
  counter.Add(1.0, {{"model", "gpt-4o"}});
  ResourceMetrics collected = p.reader->Collect();
  const NumberPoint* point =
      FindPoint(Sum(FindMetric(collected, "cost")).points, "model=\"gpt-4o\"");
  ASSERT_NE(point, nullptr);
  EXPECT_DOUBLE_EQ(std::get<double>(point->value), 1.75);
  EXPECT_EQ(p.provider->stats().negative_values_dropped, 1u);
}

TEST(UpDownCounterTest, SumsPositiveAndNegativeValues) {
  TestPipeline p;
  auto in_flight = p.meter->CreateInt64UpDownCounter("requests.in_flight");
  auto balance = p.meter->CreateDoubleUpDownCounter("budget.balance");
  in_flight.Add(3, {{"route", "/chat"}});
  in_flight.Add(-2, {{"route", "/chat"}});
  in_flight.Bind({{"route", "/chat"}}).Add(-4);
  balance.Add(10.5);
  balance.Add(-0.5);
  ResourceMetrics snapshot = p.reader->Collect();
  const MetricData* metric = FindMetric(snapshot, "requests.in_flight");
  EXPECT_FALSE(Sum(metric).monotonic);
  EXPECT_EQ(IntValue(metric, "route=\"/chat\""), -3);
  const NumberPoint* b = FindPoint(Sum(FindMetric(snapshot, "budget.balance")).points, "");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(std::get<double>(b->value), 10.0);
  EXPECT_EQ(p.provider->stats().negative_values_dropped, 0u);
}

TEST(GaugeTest, ReportsTheLastValuePerAttributeSet) {
  TestPipeline p;
  auto depth = p.meter->CreateInt64Gauge("queue.depth");
  auto budget = p.meter->CreateDoubleGauge("budget.left");
  depth.Record(5, {{"queue", "a"}});
  depth.Record(3, {{"queue", "a"}});
  depth.Record(-1, {{"queue", "b"}});
  budget.Record(12.5);
  ResourceMetrics snapshot = p.reader->Collect();
  const GaugeData& gauge = Gauges(FindMetric(snapshot, "queue.depth"));
  ASSERT_EQ(gauge.points.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(FindPoint(gauge.points, "queue=\"a\"")->value), 3);
  EXPECT_EQ(std::get<std::int64_t>(FindPoint(gauge.points, "queue=\"b\"")->value), -1);
  EXPECT_EQ(std::get<double>(Gauges(FindMetric(snapshot, "budget.left")).points[0].value), 12.5);
  // Collecting again still reports the last values.
  EXPECT_EQ(Gauges(FindMetric(p.reader->Collect(), "queue.depth")).points.size(), 2u);
}

TEST(HistogramTest, RecordsCountSumMinMaxAndBuckets) {
  TestPipeline p;
  auto latency = p.meter->CreateDoubleHistogram("latency", {.unit = "s"});
  for (double v : {0.0, 5.0, 5.5, 10000.0, 10000.5, -3.0}) latency.Record(v, {{"op", "chat"}});
  ResourceMetrics collected = p.reader->Collect();
  const HistogramData& data = Hist(FindMetric(collected, "latency"));
  ASSERT_EQ(data.points.size(), 1u);
  const HistogramPoint& point = data.points[0];
  EXPECT_EQ(point.count, 6u);
  EXPECT_DOUBLE_EQ(point.sum, 0 + 5 + 5.5 + 10000 + 10000.5 - 3);
  EXPECT_EQ(point.min, -3.0);
  EXPECT_EQ(point.max, 10000.5);
  const std::vector<double> defaults(std::begin(kDefaultHistogramBoundaries),
                                     std::end(kDefaultHistogramBoundaries));
  EXPECT_EQ(point.boundaries, defaults);
  // Buckets are (prev, bound]: 0 and -3 in (-inf, 0]; 5 in (0, 5]; 5.5 in (5, 10];
  // 10000 in (7500, 10000]; 10000.5 in (10000, +inf).
  std::vector<std::uint64_t> expected(16, 0);
  expected[0] = 2;
  expected[1] = 1;
  expected[2] = 1;
  expected[14] = 1;
  expected[15] = 1;
  EXPECT_EQ(point.bucket_counts, expected);
}

TEST(HistogramTest, UsesAdvisedBoundariesSuchAsTheGenAiTokenBuckets) {
  TestPipeline p;
  const std::vector<double> token_buckets = {
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};
  auto usage = p.meter->CreateInt64Histogram(
      "gen_ai.client.token.usage", {.unit = "{token}", .bucket_boundaries = token_buckets});
  usage.Record(1);
  usage.Record(4);
  usage.Record(5);
  usage.Record(100000000);
  BoundHistogram<std::int64_t> bound = usage.Bind({});
  bound.Record(64);
  ResourceMetrics collected = p.reader->Collect();
  const HistogramPoint& point =
      Hist(FindMetric(collected, "gen_ai.client.token.usage")).points.at(0);
  EXPECT_EQ(point.boundaries, token_buckets);
  EXPECT_EQ(point.count, 5u);
  EXPECT_EQ(point.min, 1.0);
  EXPECT_EQ(point.max, 100000000.0);
  ASSERT_EQ(point.bucket_counts.size(), 15u);
  EXPECT_EQ(point.bucket_counts[0], 1u);   // 1 in (-inf, 1]
  EXPECT_EQ(point.bucket_counts[1], 1u);   // 4 in (1, 4]
  EXPECT_EQ(point.bucket_counts[2], 1u);   // 5 in (4, 16]
  EXPECT_EQ(point.bucket_counts[3], 1u);   // 64 in (16, 64]
  EXPECT_EQ(point.bucket_counts[14], 1u);  // overflow bucket
}

TEST(HistogramTest, FallsBackToDefaultBoundariesWhenAdviceIsInvalid) {
  CapturedLog log;
  TestPipeline p;
  auto h = p.meter->CreateDoubleHistogram("h", {.bucket_boundaries = {1, 1, 2}});
  h.Record(1);
  EXPECT_EQ(Hist(FindMetric(p.reader->Collect(), "h")).points.at(0).boundaries.size(), 15u);
  EXPECT_TRUE(log.Contains("strictly increasing"));
}

TEST(HistogramTest, DropsNonFiniteValues) {
  TestPipeline p;
  auto h = p.meter->CreateDoubleHistogram("h");
  h.Record(std::numeric_limits<double>::quiet_NaN());
  h.Record(1);
  EXPECT_EQ(Hist(FindMetric(p.reader->Collect(), "h")).points.at(0).count, 1u);
  EXPECT_EQ(p.provider->stats().invalid_values_dropped, 1u);
}

TEST(InstrumentNameTest, AcceptsTheSpecificationSyntax) {
  EXPECT_TRUE(ValidateInstrumentName("gen_ai.client.token.usage").ok());
  EXPECT_TRUE(ValidateInstrumentName("a/b-c_d.e9").ok());
  EXPECT_TRUE(ValidateInstrumentName(std::string(255, 'a')).ok());
  EXPECT_EQ(ValidateInstrumentName("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateInstrumentName("9lives").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateInstrumentName("_x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateInstrumentName("has space").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateInstrumentName("caf\xc3\xa9").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateInstrumentName(std::string(256, 'a')).code(), StatusCode::kInvalidArgument);
}

TEST(InstrumentNameTest, InvalidNameWarnsAndYieldsANoOpInstrument) {
  CapturedLog log;
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("1bad name");
  EXPECT_FALSE(counter.enabled());
  counter.Add(1);
  EXPECT_TRUE(p.reader->Collect().scopes.empty());
  EXPECT_TRUE(log.Contains("must start with an ASCII letter"));
}

TEST(DuplicateInstrumentTest, SameNameAndKindReturnsTheSameInstrument) {
  TestPipeline p;
  auto first = p.meter->CreateInt64Counter("requests");
  auto second = p.meter->CreateInt64Counter("REQUESTS");
  EXPECT_TRUE(first == second);
  first.Add(1);
  second.Add(2);
  ResourceMetrics snapshot = p.reader->Collect();
  ASSERT_EQ(snapshot.scopes.at(0).metrics.size(), 1u);
  EXPECT_EQ(IntValue(FindMetric(snapshot, "requests"), ""), 3);
}

TEST(DuplicateInstrumentTest, ConflictingKindWarnsAndBothStillWork) {
  CapturedLog log;
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("requests");
  auto histogram = p.meter->CreateDoubleHistogram("requests");
  EXPECT_TRUE(log.Contains("conflicts"));
  counter.Add(2);
  histogram.Record(3);
  ResourceMetrics snapshot = p.reader->Collect();
  ASSERT_EQ(snapshot.scopes.at(0).metrics.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<SumData>(snapshot.scopes[0].metrics[0].data));
  EXPECT_TRUE(std::holds_alternative<HistogramData>(snapshot.scopes[0].metrics[1].data));
}

TEST(DisabledSdkTest, OtelSdkDisabledGivesNoOpInstruments) {
  MapEnvironment env{{"OTEL_SDK_DISABLED", "true"}};
  MeterProviderOptions options;
  options.environment = &env;
  TestPipeline p(std::move(options));
  EXPECT_TRUE(p.provider->disabled());
  auto counter = p.meter->CreateInt64Counter("requests");
  auto gauge = p.meter->CreateInt64ObservableGauge(
      "g", [](ObserverResult<std::int64_t>& r) { r.Observe(1); });
  EXPECT_FALSE(counter.enabled());
  EXPECT_FALSE(gauge.enabled());
  counter.Add(1);
  EXPECT_FALSE(counter.Bind({}).enabled());
  EXPECT_TRUE(p.reader->Collect().scopes.empty());
}

TEST(DefaultHandleTest, RecordsNothingAndDoesNotCrash) {
  Counter<std::int64_t> counter;
  Histogram<double> histogram;
  Gauge<double> gauge;
  counter.Add(1, {{"a", 1}});
  counter.Bind({}).Add(1);
  histogram.Record(1);
  histogram.Bind({}).Record(1);
  gauge.Record(1);
  EXPECT_FALSE(counter.enabled());
}

TEST(CardinalityTest, NewAttributeSetsPastTheLimitGoToTheOverflowSeries) {
  MeterProviderOptions options;
  options.cardinality_limit = 4;  // three series + the overflow series
  TestPipeline p(std::move(options));
  auto counter = p.meter->CreateInt64Counter("requests");
  for (int user = 0; user < 10; ++user) counter.Add(1, {{"user", user}});
  counter.Add(5, {{"user", 0}});  // an existing series keeps recording into itself
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "requests");
  ASSERT_EQ(Sum(metric).points.size(), 4u);
  EXPECT_EQ(IntValue(metric, "user=0"), 6);
  EXPECT_EQ(IntValue(metric, "user=1"), 1);
  EXPECT_EQ(IntValue(metric, "user=2"), 1);
  EXPECT_EQ(IntValue(metric, "otel.metric.overflow=true"), 7);
  EXPECT_EQ(p.provider->stats().overflow_measurements, 7u);
}

TEST(CardinalityTest, HistogramsOverflowToo) {
  MeterProviderOptions options;
  options.cardinality_limit = 2;
  TestPipeline p(std::move(options));
  auto h = p.meter->CreateDoubleHistogram("h");
  h.Record(1, {{"k", "a"}});
  h.Record(2, {{"k", "b"}});
  h.Record(3, {{"k", "c"}});
  ResourceMetrics collected = p.reader->Collect();
  const HistogramData& data = Hist(FindMetric(collected, "h"));
  ASSERT_EQ(data.points.size(), 2u);
  const HistogramPoint* overflow = FindPoint(data.points, "otel.metric.overflow=true");
  ASSERT_NE(overflow, nullptr);
  EXPECT_EQ(overflow->count, 2u);
  EXPECT_EQ(overflow->sum, 5.0);
}

TEST(CardinalityTest, GrowsPastTheInitialTableWithoutLosingSeries) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("requests");
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 1000; ++i) counter.Add(i, {{"id", i}, {"kind", "x"}});
  }
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "requests");
  ASSERT_EQ(Sum(metric).points.size(), 1000u);
  for (int i = 0; i < 1000; i += 97) {
    EXPECT_EQ(IntValue(metric, "id=" + std::to_string(i) + ",kind=\"x\""), 3 * i);
  }
}

}  // namespace
}  // namespace llmtrace::metrics
