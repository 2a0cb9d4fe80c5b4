#include "llmtrace/metrics/view.h"

#include <gtest/gtest.h>

#include "test/metrics/metrics_test_util.h"

namespace llmtrace::metrics {
namespace {

using testing::FindMetric;
using testing::Hist;
using testing::IntValue;
using testing::Sum;
using testing::TestPipeline;

TestPipeline WithViews(std::vector<View> views) {
  MeterProviderOptions options;
  options.views = std::move(views);
  return TestPipeline(std::move(options));
}

TEST(ViewTest, SelectorMatchesExactNamesAndWildcardsCaseInsensitively) {
  InstrumentDescriptor d{"gen_ai.client.token.usage", "", "", InstrumentKind::kHistogram};
  EXPECT_TRUE(SelectorMatches({.name = "gen_ai.client.token.usage"}, d, "m"));
  EXPECT_TRUE(SelectorMatches({.name = "GEN_AI.client.token.usage"}, d, "m"));
  EXPECT_TRUE(SelectorMatches({.name = "gen_ai.*"}, d, "m"));
  EXPECT_TRUE(SelectorMatches({.name = "*usage"}, d, "m"));
  EXPECT_TRUE(SelectorMatches({.name = "gen_ai.client.token.usag?"}, d, "m"));
  EXPECT_TRUE(SelectorMatches({}, d, "m"));
  EXPECT_FALSE(SelectorMatches({.name = "gen_ai.client"}, d, "m"));
  EXPECT_FALSE(SelectorMatches({.name = "*", .kind = InstrumentKind::kCounter}, d, "m"));
  EXPECT_TRUE(SelectorMatches({.name = "*", .kind = InstrumentKind::kHistogram}, d, "m"));
  EXPECT_FALSE(SelectorMatches({.name = "*", .meter_name = "other"}, d, "m"));
  EXPECT_TRUE(SelectorMatches({.name = "*", .meter_name = "m"}, d, "m"));
}

TEST(ViewTest, RejectsARenameOfAWildcardSelectionAndBadBoundaries) {
  View rename;
  rename.selector.name = "gen_ai.*";
  rename.name = "x";
  EXPECT_EQ(ValidateView(rename).code(), StatusCode::kInvalidArgument);
  View buckets;
  buckets.bucket_boundaries = std::vector<double>{5, 1};
  EXPECT_EQ(ValidateView(buckets).code(), StatusCode::kInvalidArgument);
  MeterProviderOptions options;
  options.views.push_back(rename);
  EXPECT_EQ(MeterProvider::Create(std::move(options)).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ViewTest, RenamesAndRedescribesAStream) {
  View view;
  view.selector.name = "requests";
  view.name = "llm.requests";
  view.description = "LLM calls";
  TestPipeline p = WithViews({view});
  p.meter->CreateInt64Counter("requests", {.description = "old"}).Add(2);
  ResourceMetrics snapshot = p.reader->Collect();
  EXPECT_EQ(FindMetric(snapshot, "requests"), nullptr);
  const MetricData* metric = FindMetric(snapshot, "llm.requests");
  ASSERT_NE(metric, nullptr);
  EXPECT_EQ(metric->descriptor.description, "LLM calls");
  EXPECT_EQ(IntValue(metric, ""), 2);
}

TEST(ViewTest, BucketBoundariesOverrideTheAdvice) {
  View view;
  view.selector.name = "latency";
  view.bucket_boundaries = std::vector<double>{1, 2};
  TestPipeline p = WithViews({view});
  auto h = p.meter->CreateDoubleHistogram("latency", {.bucket_boundaries = {10, 20, 30}});
  h.Record(1);
  h.Record(1.5);
  h.Record(3);
  ResourceMetrics collected = p.reader->Collect();
  const HistogramPoint& point = Hist(FindMetric(collected, "latency")).points.at(0);
  EXPECT_EQ(point.boundaries, (std::vector<double>{1, 2}));
  EXPECT_EQ(point.bucket_counts, (std::vector<std::uint64_t>{1, 1, 1}));
}

TEST(ViewTest, AttributeAllowListMergesSeries) {
  View view;
  view.selector.name = "tokens";
  view.attribute_keys = std::vector<std::string>{"model"};
  TestPipeline p = WithViews({view});
  auto tokens = p.meter->CreateInt64Counter("tokens");
  tokens.Add(1, {{"model", "a"}, {"user", "u1"}});
  tokens.Add(2, {{"user", "u2"}, {"model", "a"}});
  tokens.Add(4, {{"model", "b"}, {"user", "u1"}});
  tokens.Bind({{"user", "u3"}, {"model", "b"}}).Add(8);
  tokens.Add(16, {{"user", "u3"}});
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "tokens");
  ASSERT_EQ(Sum(metric).points.size(), 3u);
  EXPECT_EQ(IntValue(metric, "model=\"a\""), 3);
  EXPECT_EQ(IntValue(metric, "model=\"b\""), 12);
  EXPECT_EQ(IntValue(metric, ""), 16);
}

TEST(ViewTest, DropRecordsAndExportsNothing) {
  View view;
  view.selector.name = "noisy.*";
  view.drop = true;
  TestPipeline p = WithViews({view});
  auto noisy = p.meter->CreateInt64Counter("noisy.counter");
  auto kept = p.meter->CreateInt64Counter("kept");
  EXPECT_TRUE(noisy.enabled());
  noisy.Add(1);
  noisy.Bind({}).Add(1);
  kept.Add(1);
  ResourceMetrics snapshot = p.reader->Collect();
  EXPECT_EQ(FindMetric(snapshot, "noisy.counter"), nullptr);
  EXPECT_NE(FindMetric(snapshot, "kept"), nullptr);
}

TEST(ViewTest, TwoMatchingViewsProduceTwoStreams) {
  View by_model;
  by_model.selector.name = "tokens";
  by_model.name = "tokens.by_model";
  by_model.attribute_keys = std::vector<std::string>{"model"};
  View total;
  total.selector.name = "tokens";
  total.name = "tokens.total";
  total.attribute_keys = std::vector<std::string>{};
  TestPipeline p = WithViews({by_model, total});
  auto tokens = p.meter->CreateInt64Counter("tokens");
  tokens.Add(1, {{"model", "a"}});
  tokens.Add(2, {{"model", "b"}});
  ResourceMetrics snapshot = p.reader->Collect();
  EXPECT_EQ(Sum(FindMetric(snapshot, "tokens.by_model")).points.size(), 2u);
  EXPECT_EQ(IntValue(FindMetric(snapshot, "tokens.total"), ""), 3);
}

TEST(ViewTest, ViewCardinalityLimitOverridesTheProviders) {
  View view;
  view.selector.name = "c";
  view.cardinality_limit = 2;
  TestPipeline p = WithViews({view});
  auto c = p.meter->CreateInt64Counter("c");
  for (int i = 0; i < 5; ++i) c.Add(1, {{"i", i}});
  ResourceMetrics collected = p.reader->Collect();
  const MetricData* metric = FindMetric(collected, "c");
  EXPECT_EQ(IntValue(metric, "i=0"), 1);
  EXPECT_EQ(IntValue(metric, "otel.metric.overflow=true"), 4);
}

}  // namespace
}  // namespace llmtrace::metrics
