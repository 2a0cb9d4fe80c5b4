// The per-thread last-series cache in front of SeriesIndex: a hit must always be the series the
// table would have found, whatever the caller's memory does between measurements.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "src/metrics/series_index.h"
#include "src/metrics/sum_storage.h"
#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics::internal {
namespace {

using testing::FindMetric;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;

using Index = SeriesIndex<SumSeries<std::int64_t>>;

StreamConfig Stream(std::size_t limit = 2000) {
  StreamConfig stream;
  stream.descriptor.name = "test";
  stream.cardinality_limit = limit;
  return stream;
}

TEST(LastSeriesCacheTest, EqualValuesAtAnotherAddressHitTheCachedSeries) {
  ProviderStats stats;
  Index index(Stream(), {1}, stats);
  std::string model = "gpt-4o";
  KeyValue first[] = {{"model", model}, {"provider", "openai"}};
  auto* series = index.Find(first);
  ASSERT_NE(series, nullptr);
  EXPECT_TRUE(index.CachedForTesting(series));

  std::string copy = model;  // other bytes, same content
  std::string provider = "openai";
  KeyValue second[] = {{"model", copy}, {"provider", provider}};
  EXPECT_EQ(index.Find(second), series);
  KeyValue reordered[] = {{"provider", provider}, {"model", copy}};
  EXPECT_EQ(index.Find(reordered), series);
  EXPECT_EQ(index.Snapshot().size(), 1u);
}

TEST(LastSeriesCacheTest, ValuesChangedInPlaceAtTheSameAddressFindTheirOwnSeries) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("c");
  std::string model = "model-a";
  KeyValue attributes[] = {{"model", model}};  // views `model`'s buffer
  counter.Add(1, attributes);
  model[6] = 'b';  // same buffer, same length, other content
  counter.Add(10, attributes);
  counter.Add(100, attributes);
  model[6] = 'a';
  counter.Add(1000, attributes);

  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  ASSERT_EQ(Sum(metric).points.size(), 2u);
  EXPECT_EQ(IntValue(metric, "model=\"model-a\""), 1001);
  EXPECT_EQ(IntValue(metric, "model=\"model-b\""), 110);
}

TEST(LastSeriesCacheTest, RepeatedKeysOfTheCachedSizeNeverMatchTheCachedSeries) {
  ProviderStats stats;
  Index index(Stream(), {1}, stats);
  KeyValue pair[] = {{"a", 1}, {"b", 2}};
  auto* ab = index.Find(pair);
  KeyValue repeated[] = {{"a", 1}, {"a", 3}};  // two entries, like the cached set: not equal
  auto* a3 = index.Find(repeated);
  ASSERT_NE(a3, nullptr);
  EXPECT_NE(a3, ab);
  EXPECT_EQ(a3->attributes.size(), 1u);  // the last value of a repeated key wins
  EXPECT_EQ(index.Find(pair), ab);
}

TEST(LastSeriesCacheTest, DeltaCollectionKeepsTheCachedSeriesCounting) {
  TestPipeline p({}, &DeltaTemporality);
  auto counter = p.meter->CreateInt64Counter("c");
  counter.Add(1, {{"k", "v"}});
  ResourceMetrics first = p.reader->Collect();
  EXPECT_EQ(IntValue(FindMetric(first, "c"), "k=\"v\""), 1);

  counter.Add(2, {{"k", "v"}});  // a cache hit on the series the collection just reset
  counter.Add(3, {{"k", "v"}});
  ResourceMetrics second = p.reader->Collect();
  EXPECT_EQ(IntValue(FindMetric(second, "c"), "k=\"v\""), 5);

  ResourceMetrics third = p.reader->Collect();  // nothing new: no point
  EXPECT_EQ(FindMetric(third, "c"), nullptr);
  counter.Add(4, {{"k", "v"}});
  ResourceMetrics fourth = p.reader->Collect();
  EXPECT_EQ(IntValue(FindMetric(fourth, "c"), "k=\"v\""), 4);
}

TEST(LastSeriesCacheTest, CachedSeriesKeepsItsPointsPastTheCardinalityCapAndOverflowIsCounted) {
  MeterProviderOptions options;
  options.cardinality_limit = 3;  // two series, then the overflow series
  TestPipeline p(std::move(options));
  auto counter = p.meter->CreateInt64Counter("c");
  counter.Add(1, {{"k", 1}});  // cached on this thread
  counter.Add(1, {{"k", 2}});
  counter.Add(1, {{"k", 3}});  // overflow
  counter.Add(1, {{"k", 3}});  // overflow again: not served from a cache, counted again
  counter.Add(1, {{"k", 4}});  // overflow
  counter.Add(5, {{"k", 1}});  // an existing series still takes its own points
  counter.Add(5, {{"k", 2}});

  EXPECT_EQ(p.provider->stats().overflow_measurements, 3u);
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  EXPECT_EQ(IntValue(metric, "k=1"), 6);
  EXPECT_EQ(IntValue(metric, "k=2"), 6);
  EXPECT_EQ(IntValue(metric, "otel.metric.overflow=true"), 3);
}

TEST(LastSeriesCacheTest, TheOverflowSeriesIsNeverCached) {
  ProviderStats stats;
  Index index(Stream(2), {1}, stats);
  KeyValue a[] = {{"k", 1}};
  KeyValue b[] = {{"k", 2}};
  auto* sa = index.Find(a);
  auto* overflow = index.Find(b);
  ASSERT_TRUE(overflow->overflow);
  EXPECT_FALSE(index.CachedForTesting(overflow));
  EXPECT_TRUE(index.CachedForTesting(sa));  // the last normal series stays
  EXPECT_EQ(index.Find(b), overflow);
  EXPECT_EQ(stats.overflow_measurements.load(), 2u);
}

TEST(LastSeriesCacheTest, IndexesSharingACacheSlotNeverReturnEachOthersSeries) {
  ProviderStats stats;
  // More indexes than cache slots: ids taken in a row, so some pairs share a slot.
  std::vector<std::unique_ptr<Index>> indexes;
  for (std::size_t i = 0; i < 2 * kLastSeriesSlots + 1; ++i) {
    indexes.push_back(std::make_unique<Index>(Stream(), Index::Config{1}, stats));
  }
  KeyValue same[] = {{"model", "gpt-4o"}};
  std::vector<SumSeries<std::int64_t>*> own;
  for (auto& index : indexes) own.push_back(index->Find(same));
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < indexes.size(); ++i) {
      ASSERT_EQ(indexes[i]->Find(same), own[i]) << i;
      ASSERT_EQ(indexes[(i + kLastSeriesSlots) % indexes.size()]->Find(same),
                own[(i + kLastSeriesSlots) % indexes.size()])
          << i;
    }
  }
  for (auto& index : indexes) EXPECT_EQ(index->Snapshot().size(), 1u);
}

TEST(LastSeriesCacheTest, ADestroyedInstrumentsCacheEntryNeverServesItsSuccessor) {
  ProviderStats stats;
  KeyValue same[] = {{"model", "gpt-4o"}};
  auto first = std::make_unique<Index>(Stream(), Index::Config{1}, stats);
  auto* old_series = first->Find(same);
  EXPECT_TRUE(first->CachedForTesting(old_series));
  first.reset();  // its memory may be reused by the next index
  auto second = std::make_unique<Index>(Stream(), Index::Config{1}, stats);
  auto* fresh = second->Find(same);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(second->Snapshot().size(), 1u);
  EXPECT_EQ(second->Snapshot().front(), fresh);
}

TEST(LastSeriesCacheTest, ThreadsAlternatingBetweenAttributeSetsLoseNoIncrement) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("c");
  constexpr int kThreads = 4;
  constexpr int kRounds = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&counter, t] {
      std::string mine = "thread-" + std::to_string(t);
      for (int i = 0; i < kRounds; ++i) {
        counter.Add(1, {{"set", (i & 1) ? "odd" : "even"}});
        counter.Add(1, {{"set", mine}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  EXPECT_EQ(IntValue(metric, "set=\"odd\""), kThreads * kRounds / 2);
  EXPECT_EQ(IntValue(metric, "set=\"even\""), kThreads * kRounds / 2);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(IntValue(metric, "set=\"thread-" + std::to_string(t) + "\""), kRounds);
  }
}

}  // namespace
}  // namespace llmtrace::metrics::internal
