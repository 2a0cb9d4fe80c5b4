#include "src/metrics/series_index.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "src/metrics/attribute_hash.h"
#include "src/metrics/sum_storage.h"
#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics::internal {
namespace {

using testing::FindMetric;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;

StreamConfig Stream(std::size_t limit = 2000) {
  StreamConfig stream;
  stream.descriptor.name = "test";
  stream.cardinality_limit = limit;
  return stream;
}

TEST(AttributeHashTest, IsIndependentOfOrder) {
  KeyValue ab[] = {{"a", "x"}, {"b", 1}};
  KeyValue ba[] = {{"b", 1}, {"a", "x"}};
  EXPECT_EQ(HashAttributes(ab), HashAttributes(ba));
  KeyValue swapped[] = {{"a", 1}, {"b", "x"}};
  EXPECT_NE(HashAttributes(ab), HashAttributes(swapped));
}

TEST(AttributeHashTest, ComparesExactly) {
  KeyValue stored[] = {{"a", "x"}, {"b", 1}};
  KeyValue reordered[] = {{"b", 1}, {"a", "x"}};
  KeyValue other_value[] = {{"a", "x"}, {"b", 2}};
  KeyValue repeated[] = {{"a", "x"}, {"a", "x"}};
  KeyValue shorter[] = {{"a", "x"}};
  EXPECT_TRUE(SameAttributes(reordered, stored));
  EXPECT_FALSE(SameAttributes(other_value, stored));
  EXPECT_FALSE(SameAttributes(repeated, stored));
  EXPECT_FALSE(SameAttributes(shorter, stored));
  KeyValue zero[] = {{"d", 0.0}};
  KeyValue negative_zero[] = {{"d", -0.0}};
  EXPECT_EQ(HashAttributes(zero), HashAttributes(negative_zero));
  EXPECT_TRUE(SameAttributes(zero, negative_zero));
}

TEST(SeriesIndexTest, ForcedHashCollisionsNeverMergeSeries) {
  ProviderStats stats;
  SeriesIndex<SumSeries<std::int64_t>> index(Stream(), {1}, stats);
  constexpr std::uint64_t kSameHash = 42;
  std::vector<SumSeries<std::int64_t>*> found;
  for (int i = 0; i < 100; ++i) {  // 100 distinct sets, one hash: also forces table growth
    KeyValue attributes[] = {{"id", i}};
    found.push_back(index.FindWithHashForTesting(kSameHash, attributes));
  }
  for (int i = 0; i < 100; ++i) {
    KeyValue attributes[] = {{"id", i}};
    EXPECT_EQ(index.FindWithHashForTesting(kSameHash, attributes), found[i]) << i;
    for (int j = 0; j < i; ++j) ASSERT_NE(found[i], found[j]);
  }
  EXPECT_EQ(index.Snapshot().size(), 100u);
}

TEST(SeriesIndexTest, ManyRandomAttributeSetsKeepExactCounts) {
  TestPipeline p;
  auto counter = p.meter->CreateInt64Counter("c");
  std::mt19937_64 rng(7);
  std::map<std::string, std::int64_t> expected;
  for (int i = 0; i < 20000; ++i) {
    const int a = static_cast<int>(rng() % 30);
    const int b = static_cast<int>(rng() % 50);
    std::string value = "v" + std::to_string(b);
    if (rng() % 2) {
      counter.Add(1, {{"a", a}, {"b", value}});
    } else {
      counter.Add(1, {{"b", value}, {"a", a}});
    }
    ++expected["a=" + std::to_string(a) + ",b=\"" + value + "\""];
  }
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  ASSERT_EQ(Sum(metric).points.size(), expected.size());
  for (const auto& [attributes, count] : expected) {
    EXPECT_EQ(IntValue(metric, attributes), count) << attributes;
  }
}

TEST(SeriesIndexTest, OverflowSeriesIsReachedWithoutGrowingTheTable) {
  ProviderStats stats;
  SeriesIndex<SumSeries<std::int64_t>> index(Stream(3), {1}, stats);
  KeyValue a[] = {{"k", 1}};
  KeyValue b[] = {{"k", 2}};
  KeyValue c[] = {{"k", 3}};
  KeyValue d[] = {{"k", 4}};
  auto* sa = index.Find(a);
  auto* sb = index.Find(b);
  auto* sc = index.Find(c);
  EXPECT_TRUE(sc->overflow);
  EXPECT_EQ(index.Find(d), sc);
  EXPECT_EQ(index.Find(a), sa);
  EXPECT_EQ(index.Find(b), sb);
  EXPECT_EQ(stats.overflow_measurements.load(), 2u);
}

}  // namespace
}  // namespace llmtrace::metrics::internal
