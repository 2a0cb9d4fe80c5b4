#include "src/genai/quantile_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace llmtrace::genai::internal {
namespace {

// The exact value of rank floor(q * (n - 1)), the rank the sketch reports.
double Exact(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

TEST(QuantileSketchTest, QuantilesOfALongTailedLatencyDistributionAreWithinOnePercent) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> latency(0.0, 1.2);  // median 1 s, long tail
  std::vector<double> values;
  QuantileSketch sketch;
  for (int i = 0; i < 20000; ++i) {
    values.push_back(latency(rng));
    sketch.Add(values.back());
  }
  for (double q : {0.0, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const double exact = Exact(values, q);
    EXPECT_NEAR(sketch.Quantile(q), exact, exact * QuantileSketch::kRelativeAccuracy) << "q=" << q;
  }
  EXPECT_EQ(sketch.count(), 20000u);
}

TEST(QuantileSketchTest, MergingSlicesGivesTheSketchOfAllTheirValues) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> latency(0.05, 30.0);
  QuantileSketch whole;
  std::vector<QuantileSketch> slices(30);
  for (int i = 0; i < 6000; ++i) {
    const double value = latency(rng);
    whole.Add(value);
    slices[static_cast<std::size_t>(i % 30)].Add(value);
  }
  QuantileSketch merged;
  for (const QuantileSketch& slice : slices) merged.Merge(slice);
  EXPECT_EQ(merged.count(), whole.count());
  for (double q : {0.5, 0.95, 0.99}) EXPECT_EQ(merged.Quantile(q), whole.Quantile(q));
}

TEST(QuantileSketchTest, EmptyTinyHugeAndInvalidValues) {
  QuantileSketch sketch;
  EXPECT_TRUE(std::isnan(sketch.Quantile(0.5)));
  sketch.Add(-1);
  sketch.Add(std::nan(""));
  EXPECT_EQ(sketch.count(), 0u);  // ignored
  sketch.Add(0);
  sketch.Add(1e-6);  // below the smallest bucket: counts as 0
  EXPECT_EQ(sketch.Quantile(0.5), 0);
  sketch.Add(1e9);  // past the largest bucket: reported as the largest representable
  sketch.Add(1e9);
  sketch.Add(1e9);
  EXPECT_GT(sketch.Quantile(1.0), 7e4);
  sketch.Clear();
  EXPECT_EQ(sketch.count(), 0u);
  EXPECT_TRUE(std::isnan(sketch.Quantile(0.99)));
}

}  // namespace
}  // namespace llmtrace::genai::internal
