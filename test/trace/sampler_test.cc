#include "llmtrace/trace/sampler.h"

#include <gtest/gtest.h>

#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

SamplingDecision Decide(const Sampler& sampler, const TraceId& trace_id,
                        const SpanContext& parent = SpanContext::Invalid()) {
  return sampler.ShouldSample(SamplingParameters{parent, trace_id, "s", SpanKind::kInternal, {}})
      .decision;
}

TraceId TraceIdWithRandomness(std::uint64_t randomness56) {
  TraceId id;
  auto bytes = id.mutable_bytes();
  bytes[0] = 0xAB;  // the high bytes must not matter
  for (int i = 15; i >= 9; --i) {
    bytes[i] = static_cast<std::uint8_t>(randomness56 & 0xFF);
    randomness56 >>= 8;
  }
  return id;
}

TEST(TraceIdRatioSamplerTest, ComparesTheLow56BitsWithTheRejectionThreshold) {
  TraceIdRatioSampler quarter(0.25);
  // Threshold T = 0.75 * 2^56; keep when R >= T.
  std::uint64_t t = (std::uint64_t{3} << 54);
  EXPECT_EQ(Decide(quarter, TraceIdWithRandomness(t)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(quarter, TraceIdWithRandomness(t - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(quarter, TraceIdWithRandomness((std::uint64_t{1} << 56) - 1)),
            SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(quarter, TraceIdWithRandomness(0)), SamplingDecision::kDrop);
}

TEST(TraceIdRatioSamplerTest, RatiosAreConsistentAcrossServices) {
  // Whatever a lower ratio keeps, every higher ratio keeps too.
  TraceIdRatioSampler low(0.1), high(0.3);
  for (int i = 0; i < 5000; ++i) {
    TraceId id = RandomIdGenerator::Instance().NewTraceId();
    if (Decide(low, id) == SamplingDecision::kRecordAndSample) {
      EXPECT_EQ(Decide(high, id), SamplingDecision::kRecordAndSample);
    }
  }
}

TEST(TraceIdRatioSamplerTest, KeepsCloseToTheRatioOfRandomTraces) {
  TraceIdRatioSampler sampler(0.2);
  int kept = 0;
  constexpr int kTrials = 20000;
  for (int i = 0; i < kTrials; ++i) {
    if (Decide(sampler, RandomIdGenerator::Instance().NewTraceId()) ==
        SamplingDecision::kRecordAndSample) {
      ++kept;
    }
  }
  // 0.2 +- 5 sigma (sigma = sqrt(0.16 / 20000) = 0.0028).
  EXPECT_NEAR(static_cast<double>(kept) / kTrials, 0.2, 0.015);
}

TEST(TraceIdRatioSamplerTest, ZeroDropsEverythingOneKeepsEverythingAndOutOfRangeIsClamped) {
  TraceId max_random = TraceIdWithRandomness((std::uint64_t{1} << 56) - 1);
  TraceId min_random = TraceIdWithRandomness(0);
  EXPECT_EQ(Decide(TraceIdRatioSampler(0.0), max_random), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(TraceIdRatioSampler(1.0), min_random), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(TraceIdRatioSampler(7.0).ratio(), 1.0);
  EXPECT_EQ(TraceIdRatioSampler(-1.0).ratio(), 0.0);
  EXPECT_EQ(TraceIdRatioSampler(0.5).Description(), "TraceIdRatioBased{0.5}");
}

TEST(ParentBasedSamplerTest, FollowsTheParentAndAsksTheRootSamplerOnlyForRoots) {
  ParentBasedSampler sampler(std::make_shared<AlwaysOffSampler>());
  TraceId id = RandomIdGenerator::Instance().NewTraceId();
  SpanId sid = RandomIdGenerator::Instance().NewSpanId();
  EXPECT_EQ(Decide(sampler, id), SamplingDecision::kDrop);  // root: AlwaysOff
  EXPECT_EQ(Decide(sampler, id, SpanContext(id, sid, TraceFlags(1), true)),
            SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(sampler, id, SpanContext(id, sid, TraceFlags(0), true)),
            SamplingDecision::kDrop);
  EXPECT_EQ(Decide(sampler, id, SpanContext(id, sid, TraceFlags(1), false)),
            SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(sampler, id, SpanContext(id, sid, TraceFlags(0), false)),
            SamplingDecision::kDrop);
}

TEST(SamplerFromEnvironmentTest, DefaultsToParentBasedAlwaysOn) {
  MapEnvironment env;
  EnvironmentReader reader(env);
  auto sampler = SamplerFromEnvironment(reader);
  EXPECT_EQ(sampler->Description().rfind("ParentBased{root:AlwaysOnSampler", 0), 0u);
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(SamplerFromEnvironmentTest, ReadsEverySpecSamplerName) {
  struct Case {
    const char* name;
    const char* arg;
    const char* description_prefix;
  } cases[] = {
      {"always_on", "", "AlwaysOnSampler"},
      {"always_off", "", "AlwaysOffSampler"},
      {"traceidratio", "0.25", "TraceIdRatioBased{0.25}"},
      {"parentbased_always_off", "", "ParentBased{root:AlwaysOffSampler"},
      {"parentbased_traceidratio", "0.5", "ParentBased{root:TraceIdRatioBased{0.5}"},
      {"TRACEIDRATIO", "", "TraceIdRatioBased{1}"},
  };
  for (const Case& c : cases) {
    MapEnvironment env{{"OTEL_TRACES_SAMPLER", c.name}, {"OTEL_TRACES_SAMPLER_ARG", c.arg}};
    EnvironmentReader reader(env);
    EXPECT_EQ(SamplerFromEnvironment(reader)->Description().rfind(c.description_prefix, 0), 0u)
        << c.name;
    EXPECT_TRUE(reader.warnings().empty()) << c.name;
  }
}

TEST(SamplerFromEnvironmentTest, UnknownNamesAndBadRatiosFallBackWithAWarning) {
  MapEnvironment env{{"OTEL_TRACES_SAMPLER", "xray"}};
  EnvironmentReader reader(env);
  EXPECT_EQ(SamplerFromEnvironment(reader)->Description().rfind("ParentBased{root:AlwaysOn", 0),
            0u);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("xray"), std::string::npos);

  MapEnvironment bad_ratio{{"OTEL_TRACES_SAMPLER", "traceidratio"},
                           {"OTEL_TRACES_SAMPLER_ARG", "1.5"}};
  EnvironmentReader reader2(bad_ratio);
  EXPECT_EQ(SamplerFromEnvironment(reader2)->Description(), "TraceIdRatioBased{1}");
  ASSERT_EQ(reader2.warnings().size(), 1u);
  EXPECT_NE(reader2.warnings()[0].find("OTEL_TRACES_SAMPLER_ARG"), std::string::npos);
}

TEST(SamplerTest, DroppedSpansDoNotRecordButStillPropagate) {
  TracerProviderOptions options;
  options.sampler = std::make_shared<AlwaysOffSampler>();
  testing::TestPipeline p(std::move(options));
  Span span = p.tracer->StartSpan("s");
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_FALSE(span.context().sampled());
  span.End();
  EXPECT_EQ(p.spans->size(), 0u);
}

}  // namespace
}  // namespace llmtrace::trace
