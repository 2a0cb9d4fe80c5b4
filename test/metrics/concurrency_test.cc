// Concurrent recording and collection: totals must be exact. Run under ThreadSanitizer too.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "llmtrace/metrics/meter_provider.h"
#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics {
namespace {

using testing::FindMetric;
using testing::FindPoint;
using testing::Hist;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;
using testing::TestReader;

constexpr int kThreads = 4;
constexpr int kAddsPerThread = 200'000;

TEST(ConcurrencyTest, FourThreadsLoseNoIncrement) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("c");
  auto doubles = p.meter->CreateDoubleCounter("d");
  auto histogram = p.meter->CreateInt64Histogram("h");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto bound = counter.Bind({{"set", "bound"}});
      for (int i = 0; i < kAddsPerThread; ++i) {
        const int set = i % 3;
        counter.Add(1, {{"set", set}, {"kind", "x"}, {"thread", t % 2}});
        if (i % 8 == 0) bound.Add(2);
        if (i % 16 == 0) doubles.Add(0.5);
        if (i % 4 == 0) histogram.Record(i % 100, {{"set", set}});
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ResourceMetrics snapshot = p.reader->Collect();
  const MetricData* metric = FindMetric(snapshot, "c");
  std::int64_t total = 0;
  for (const NumberPoint& point : Sum(metric).points) {
    total += std::get<std::int64_t>(point.value);
  }
  EXPECT_EQ(total, std::int64_t{kThreads} * kAddsPerThread + 2 * kThreads * kAddsPerThread / 8);
  EXPECT_EQ(IntValue(metric, "set=\"bound\""), 2 * kThreads * kAddsPerThread / 8);
  EXPECT_EQ(Sum(metric).points.size(), 7u);
  EXPECT_EQ(std::get<double>(FindPoint(Sum(FindMetric(snapshot, "d")).points, "")->value),
            0.5 * kThreads * kAddsPerThread / 16);
  std::uint64_t count = 0, buckets = 0;
  for (const HistogramPoint& point : Hist(FindMetric(snapshot, "h")).points) {
    count += point.count;
    for (std::uint64_t b : point.bucket_counts) buckets += b;
  }
  EXPECT_EQ(count, std::uint64_t{kThreads} * kAddsPerThread / 4);
  EXPECT_EQ(buckets, count);
}

TEST(ConcurrencyTest, ConcurrentDeltaCollectionLosesNothing) {
  auto second = std::make_shared<TestReader>(&DeltaTemporality);
  MeterProviderOptions options;
  options.readers.push_back(second);
  TestPipeline p(std::move(options), &DeltaTemporality);
  auto counter = p.meter->CreateInt64Counter("c");
  auto histogram = p.meter->CreateDoubleHistogram("h");

  std::atomic<bool> done{false};
  std::int64_t first_sum = 0, second_sum = 0;
  std::uint64_t first_count = 0;
  auto drain = [](TestReader& reader, std::int64_t& sum, std::uint64_t* count) {
    ResourceMetrics s = reader.Collect();
    if (const MetricData* c = FindMetric(s, "c")) {
      for (const NumberPoint& point : Sum(c).points) sum += std::get<std::int64_t>(point.value);
    }
    if (count == nullptr) return;
    if (const MetricData* h = FindMetric(s, "h")) {
      for (const HistogramPoint& point : Hist(h).points) *count += point.count;
    }
  };
  std::thread collector_one([&] {
    while (!done.load()) drain(*p.reader, first_sum, &first_count);
  });
  std::thread collector_two([&] {
    while (!done.load()) drain(*second, second_sum, nullptr);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kAddsPerThread; ++i) {
        counter.Add(1, {{"set", i % 3}});
        if (i % 4 == 0) histogram.Record(1.0);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  done = true;
  collector_one.join();
  collector_two.join();
  drain(*p.reader, first_sum, &first_count);
  drain(*second, second_sum, nullptr);
  EXPECT_EQ(first_sum, std::int64_t{kThreads} * kAddsPerThread);
  EXPECT_EQ(second_sum, std::int64_t{kThreads} * kAddsPerThread);
  EXPECT_EQ(first_count, std::uint64_t{kThreads} * kAddsPerThread / 4);
}

TEST(ConcurrencyTest, ConcurrentFirstUseOfManyAttributeSetsCreatesEachSeriesOnce) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("c");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1500; ++i) counter.Add(1, {{"id", i}});
    });
  }
  for (std::thread& t : threads) t.join();
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  ASSERT_EQ(Sum(metric).points.size(), 1500u);
  for (int i = 0; i < 1500; i += 37)
    EXPECT_EQ(IntValue(metric, "id=" + std::to_string(i)), kThreads);
}

}  // namespace
}  // namespace llmtrace::metrics
