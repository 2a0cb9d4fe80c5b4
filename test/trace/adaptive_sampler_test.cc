#include "llmtrace/trace/adaptive_sampler.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "llmtrace/trace/llm_aware_sampler.h"
#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Trace ids whose randomness is spread evenly over the 56-bit space: of any n consecutive ones,
// a ratio r keeps r * n (to within one), so the assertions below are exact, not statistical.
TraceId EvenTraceId(std::uint64_t i, std::uint64_t n) {
  const std::uint64_t step = (std::uint64_t{1} << 56) / n;
  std::uint64_t randomness = (i % n) * step + step / 2;
  TraceId id;
  auto bytes = id.mutable_bytes();
  bytes[0] = 1;
  for (int b = 15; b >= 9; --b) {
    bytes[b] = static_cast<std::uint8_t>(randomness & 0xFF);
    randomness >>= 8;
  }
  return id;
}

bool Sampled(const Sampler& sampler, const TraceId& id, std::string_view name = "work") {
  return sampler
             .ShouldSample(
                 SamplingParameters{SpanContext::Invalid(), id, name, SpanKind::kInternal, {}})
             .decision == SamplingDecision::kRecordAndSample;
}

// Offers `per_second` spans a second for `duration`, evenly spread; returns how many were kept.
int Offer(const Sampler& sampler, ManualClock& clock, int per_second, seconds duration) {
  int kept = 0;
  const int total = per_second * static_cast<int>(duration.count());
  const auto step = std::chrono::nanoseconds(std::chrono::seconds(1)) / per_second;
  for (int i = 0; i < total; ++i) {
    if (Sampled(sampler, EvenTraceId(static_cast<std::uint64_t>(i), 1000))) ++kept;
    clock.Advance(step);
  }
  return kept;
}

std::shared_ptr<AdaptiveSampler> Make(ManualClock& clock, double target, double min = 0.001,
                                      double max = 1.0) {
  auto sampler = AdaptiveSampler::Create({.target_spans_per_second = target,
                                          .window = milliseconds(1000),
                                          .min_ratio = min,
                                          .max_ratio = max,
                                          .clock = &clock});
  EXPECT_TRUE(sampler.ok()) << sampler.status().ToString();
  return *sampler;
}

TEST(AdaptiveSamplerTest, StartsAtTheInitialRatioAndConvergesToTheTargetRate) {
  ManualClock clock;
  auto sampler = Make(clock, /*target=*/100);
  EXPECT_DOUBLE_EQ(sampler->ratio(), 1.0);
  EXPECT_EQ(Offer(*sampler, clock, 1000, seconds(1)), 1000);  // first window: everything
  // The first call of the next window sets the ratio from the 1000/s just seen.
  int kept = Offer(*sampler, clock, 1000, seconds(3));
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.1);
  EXPECT_NEAR(kept, 300, 3);  // 100 a second
  EXPECT_EQ(sampler->adjustments(), 3u);
}

TEST(AdaptiveSamplerTest, FollowsTheLoadDownAndUp) {
  ManualClock clock;
  auto sampler = Make(clock, /*target=*/100);
  Offer(*sampler, clock, 1000, seconds(2));
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.1);
  Offer(*sampler, clock, 200, seconds(2));
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.5);
  Offer(*sampler, clock, 50, seconds(2));
  EXPECT_DOUBLE_EQ(sampler->ratio(), 1.0);  // below target: keep everything
}

TEST(AdaptiveSamplerTest, StaysWithinTheMinimumAndMaximumRatios) {
  ManualClock clock;
  auto sampler = Make(clock, /*target=*/1, /*min=*/0.05, /*max=*/0.5);
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.5);  // the initial ratio is clamped too
  Offer(*sampler, clock, 1000, seconds(2));
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.05);
  // A quiet stretch (one span in 30 s, well under the target) brings back the maximum.
  clock.Advance(seconds(30));
  Sampled(*sampler, EvenTraceId(0, 1));  // ends the busy window
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.05);
  clock.Advance(seconds(30));
  Sampled(*sampler, EvenTraceId(0, 1));  // ends the quiet one
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.5);
}

TEST(AdaptiveSamplerTest, DividesByHowLongTheWindowReallyLasted) {
  ManualClock clock;
  auto sampler = Make(clock, /*target=*/10);
  for (int i = 0; i < 100; ++i) Sampled(*sampler, EvenTraceId(i, 100));
  clock.Advance(seconds(10));  // 100 spans over 10 s = 10/s: the target
  Sampled(*sampler, EvenTraceId(0, 1));
  EXPECT_DOUBLE_EQ(sampler->ratio(), 1.0);
}

TEST(AdaptiveSamplerTest, KeepsTheSameTracesAsATraceIdRatioSamplerAtTheSameRatio) {
  ManualClock clock;
  auto sampler = Make(clock, /*target=*/250);
  Offer(*sampler, clock, 1000, seconds(1));
  Sampled(*sampler, EvenTraceId(0, 1));  // ends the window
  ASSERT_DOUBLE_EQ(sampler->ratio(), 0.25);
  TraceIdRatioSampler reference(0.25);
  for (int i = 0; i < 500; ++i) {
    TraceId id = RandomIdGenerator::Instance().NewTraceId();
    ASSERT_EQ(Sampled(*sampler, id), Sampled(reference, id));
    ASSERT_EQ(Sampled(*sampler, id), Sampled(*sampler, id));  // and the same answer twice
  }
}

TEST(AdaptiveSamplerTest, CountsEverySpanOfferedFromManyThreads) {
  ManualClock clock;
  auto sampler = Make(clock, /*target=*/100);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&sampler, t] {
      for (int i = 0; i < 1000; ++i) Sampled(*sampler, EvenTraceId(t * 1000 + i, 4000));
    });
  }
  for (auto& thread : threads) thread.join();
  clock.Advance(seconds(1));
  Sampled(*sampler, EvenTraceId(0, 1));
  // 4000 spans in the window, so exactly one adjustment to 100 / 4000.
  EXPECT_EQ(sampler->adjustments(), 1u);
  EXPECT_DOUBLE_EQ(sampler->ratio(), 0.025);
}

TEST(AdaptiveSamplerTest, UnderAnLlmAwareSamplerKeepsGenAiSpansOnTopOfTheTarget) {
  ManualClock clock;
  auto adaptive = Make(clock, /*target=*/1, /*min=*/0.0);
  auto sampler = ParentBasedLlmAwareSampler(0.0, adaptive);
  Offer(*adaptive, clock, 1000, seconds(2));
  ASSERT_DOUBLE_EQ(adaptive->ratio(), 0.001);
  EXPECT_TRUE(Sampled(*sampler, EvenTraceId(0, 1000), "chat gpt-4o"));
  EXPECT_FALSE(Sampled(*sampler, EvenTraceId(0, 1000), "GET /"));
}

TEST(AdaptiveSamplerTest, RejectsInvalidOptionsNamingTheField) {
  auto bad_target = AdaptiveSampler::Create({.target_spans_per_second = 0});
  ASSERT_FALSE(bad_target.ok());
  EXPECT_NE(bad_target.status().message().find("target_spans_per_second"), std::string::npos);
  auto bad_window = AdaptiveSampler::Create({.window = milliseconds(0)});
  ASSERT_FALSE(bad_window.ok());
  EXPECT_NE(bad_window.status().message().find("window"), std::string::npos);
  auto bad_ratios = AdaptiveSampler::Create({.min_ratio = 0.5, .max_ratio = 0.1});
  ASSERT_FALSE(bad_ratios.ok());
  EXPECT_NE(bad_ratios.status().message().find("min_ratio"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::trace
