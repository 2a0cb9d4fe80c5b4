#include "llmtrace/trace/llm_aware_sampler.h"

#include <gtest/gtest.h>

#include <vector>

#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

TraceId TraceIdWithRandomness(std::uint64_t randomness56) {
  TraceId id;
  auto bytes = id.mutable_bytes();
  bytes[0] = 0x5A;
  for (int i = 15; i >= 9; --i) {
    bytes[i] = static_cast<std::uint8_t>(randomness56 & 0xFF);
    randomness56 >>= 8;
  }
  return id;
}

// Randomness below every threshold but ratio 0: a ratio sampler at 0.5 drops it.
const TraceId kDroppedAtHalf = TraceIdWithRandomness(1);
const TraceId kKeptAtHalf = TraceIdWithRandomness((std::uint64_t{1} << 56) - 1);

SamplingDecision Decide(const Sampler& sampler, const TraceId& trace_id, std::string_view name,
                        std::span<const KeyValue> attributes = {},
                        const SpanContext& parent = SpanContext::Invalid()) {
  return sampler
      .ShouldSample(SamplingParameters{parent, trace_id, name, SpanKind::kClient, attributes})
      .decision;
}

SpanContext Parent(const TraceId& trace_id, bool sampled, bool remote) {
  std::array<std::uint8_t, 8> span_id{};
  span_id[7] = 7;
  return SpanContext(trace_id, SpanId(span_id), TraceFlags(sampled ? 1 : 0), remote);
}

TEST(LlmAwareSamplerTest, AlwaysSamplesSpansWithGenAiStartAttributes) {
  LlmAwareSampler sampler(0.0);
  for (std::string_view key : {"gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.system"}) {
    std::vector<KeyValue> attributes = {{"http.method", "POST"}, {key, "x"}};
    EXPECT_EQ(Decide(sampler, kDroppedAtHalf, "do work", attributes),
              SamplingDecision::kRecordAndSample)
        << key;
  }
}

TEST(LlmAwareSamplerTest, TreatsGenAiOperationSpanNamesAsGenAi) {
  LlmAwareSampler sampler(0.0);
  for (std::string_view name : {"chat gpt-4o", "embeddings text-embedding-3-small",
                                "execute_tool search", "invoke_agent planner", "chat"}) {
    EXPECT_EQ(Decide(sampler, kDroppedAtHalf, name), SamplingDecision::kRecordAndSample) << name;
  }
  // A word that merely starts like an operation is not one.
  EXPECT_EQ(Decide(sampler, kDroppedAtHalf, "chatroom join"), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(sampler, kDroppedAtHalf, "GET /chat"), SamplingDecision::kDrop);
}

TEST(LlmAwareSamplerTest, NameMatchingCanBeTurnedOff) {
  LlmAwareSampler sampler({.ratio = 0.0, .match_span_names = false});
  EXPECT_EQ(Decide(sampler, kDroppedAtHalf, "chat gpt-4o"), SamplingDecision::kDrop);
  std::vector<KeyValue> attributes = {{"gen_ai.operation.name", "chat"}};
  EXPECT_EQ(Decide(sampler, kDroppedAtHalf, "chat gpt-4o", attributes),
            SamplingDecision::kRecordAndSample);
}

TEST(LlmAwareSamplerTest, SamplesOtherSpansByTheConsistentTraceIdRatio) {
  LlmAwareSampler sampler(0.5);
  TraceIdRatioSampler reference(0.5);
  EXPECT_EQ(Decide(sampler, kDroppedAtHalf, "GET /health"), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(sampler, kKeptAtHalf, "GET /health"), SamplingDecision::kRecordAndSample);
  for (int i = 0; i < 2000; ++i) {
    TraceId id = RandomIdGenerator::Instance().NewTraceId();
    ASSERT_EQ(Decide(sampler, id, "db query"), Decide(reference, id, "db query"));
  }
}

TEST(LlmAwareSamplerTest, DelegatesOtherSpansToTheGivenSampler) {
  LlmAwareSampler sampler({.others = std::make_shared<AlwaysOffSampler>()});
  EXPECT_EQ(Decide(sampler, kKeptAtHalf, "db query"), SamplingDecision::kDrop);
  EXPECT_EQ(sampler.Description(), "LlmAwareSampler{genai:AlwaysOn,others:AlwaysOffSampler}");
}

TEST(ParentBasedLlmAwareSamplerTest, KeepsWholeTracesUnderASampledParent) {
  auto sampler = ParentBasedLlmAwareSampler(0.0);
  for (bool remote : {false, true}) {
    EXPECT_EQ(Decide(*sampler, kDroppedAtHalf, "db query", {},
                     Parent(kDroppedAtHalf, /*sampled=*/true, remote)),
              SamplingDecision::kRecordAndSample);
  }
}

TEST(ParentBasedLlmAwareSamplerTest, RecordsGenAiSpansButNothingElseUnderADroppedParent) {
  auto sampler = ParentBasedLlmAwareSampler(1.0);  // even a ratio of 1 must not revive children
  for (bool remote : {false, true}) {
    SpanContext parent = Parent(kKeptAtHalf, /*sampled=*/false, remote);
    EXPECT_EQ(Decide(*sampler, kKeptAtHalf, "db query", {}, parent), SamplingDecision::kDrop);
    EXPECT_EQ(Decide(*sampler, kKeptAtHalf, "chat gpt-4o", {}, parent),
              SamplingDecision::kRecordAndSample);
  }
}

TEST(ParentBasedLlmAwareSamplerTest, SamplesRootsLikeTheLlmAwareSampler) {
  auto sampler = ParentBasedLlmAwareSampler(0.5);
  EXPECT_EQ(Decide(*sampler, kDroppedAtHalf, "GET /"), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(*sampler, kKeptAtHalf, "GET /"), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(*sampler, kDroppedAtHalf, "invoke_agent planner"),
            SamplingDecision::kRecordAndSample);
}

TEST(LlmAwareSamplerTest, IsSelectedByTheEnvironment) {
  MapEnvironment values;
  values.Set("OTEL_TRACES_SAMPLER", "llmtrace_llm_aware");
  values.Set("OTEL_TRACES_SAMPLER_ARG", "0.25");
  EnvironmentReader env(values);
  auto sampler = SamplerFromEnvironment(env);
  EXPECT_EQ(sampler->Description(),
            "LlmAwareSampler{genai:AlwaysOn,others:TraceIdRatioBased{0.25}}");
  EXPECT_TRUE(env.warnings().empty());

  MapEnvironment no_ratio;  // the llm_aware default ratio is the seed's 0.1, not 1.0
  no_ratio.Set("OTEL_TRACES_SAMPLER", "parentbased_llmtrace_llm_aware");
  EnvironmentReader env2(no_ratio);
  sampler = SamplerFromEnvironment(env2);
  EXPECT_EQ(sampler->Description().rfind("ParentBased{root:LlmAwareSampler{genai:AlwaysOn,"
                                         "others:TraceIdRatioBased{0.1}}",
                                         0),
            0u)
      << sampler->Description();
}

}  // namespace
}  // namespace llmtrace::trace
