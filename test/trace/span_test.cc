#include "llmtrace/trace/span.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

using testing::TestPipeline;

TEST(SpanTest, RecordsEveryAttributeTypeAndKeepsTheBytesAfterTheInputsDie) {
  TestPipeline p;
  {
    Span span = p.tracer->StartSpan("chat gpt-4o", {}, {.kind = SpanKind::kClient});
    std::string model = "gpt-4o-2024-08-06";
    span.SetAttribute("gen_ai.response.model", model);
    model.assign(model.size(), 'x');  // the span must have copied the bytes
    span.SetAttribute("gen_ai.request.stream", true);
    span.SetAttribute("gen_ai.usage.input_tokens", 1200);
    span.SetAttribute("gen_ai.request.temperature", 0.25);
    span.SetAttribute("gen_ai.response.finish_reasons", {"stop", "length"});
    std::vector<std::int64_t> ints = {1, -2, 3};
    span.SetAttribute("ints", ints);
    std::array<double, 2> doubles = {0.5, 1.5};
    span.SetAttribute("doubles", doubles);
    std::array<bool, 2> bools = {true, false};
    span.SetAttribute("bools", bools);
  }
  ASSERT_EQ(p.spans->size(), 1u);
  auto span = p.spans->Spans()[0];
  EXPECT_EQ(span->name(), "chat gpt-4o");
  EXPECT_EQ(span->kind(), SpanKind::kClient);
  EXPECT_EQ(span->FindAttribute("gen_ai.response.model")->AsString(), "gpt-4o-2024-08-06");
  EXPECT_TRUE(span->FindAttribute("gen_ai.request.stream")->AsBool());
  EXPECT_EQ(span->FindAttribute("gen_ai.usage.input_tokens")->AsInt(), 1200);
  EXPECT_EQ(span->FindAttribute("gen_ai.request.temperature")->AsDouble(), 0.25);
  auto reasons = span->FindAttribute("gen_ai.response.finish_reasons")->AsStringArray();
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[1], "length");
  EXPECT_EQ(span->FindAttribute("ints")->AsIntArray()[1], -2);
  EXPECT_EQ(span->FindAttribute("doubles")->AsDoubleArray()[1], 1.5);
  EXPECT_FALSE(span->FindAttribute("bools")->AsBoolArray()[1]);
}

TEST(SpanTest, AStringLiteralIsAStringNotABool) {
  AttributeValue v = "stop";
  EXPECT_EQ(v.type(), AttributeValue::Type::kString);
}

TEST(SpanTest, SettingAKeyAgainReplacesItsValueInPlace) {
  TestPipeline p;
  Span span = p.tracer->StartSpan("s");
  span.SetAttribute("k", 1);
  span.SetAttribute("other", 2);
  span.SetAttribute("k", "now a string");
  span.End();
  auto data = p.spans->Spans()[0];
  ASSERT_EQ(data->attributes().size(), 2u);
  EXPECT_EQ(data->attributes()[0].key, "k");
  EXPECT_EQ(data->attributes()[0].value.AsString(), "now a string");
}

TEST(SpanTest, DuplicateKeysAmongStartAttributesKeepTheLastValueInTheFirstPosition) {
  TestPipeline p;
  p.tracer
      ->StartSpan(
          "s",
          {{"gen_ai.request.model", "first"}, {"k", 1}, {"k", 2}, {"gen_ai.request.model", "last"}})
      .End();
  auto data = p.spans->Spans()[0];
  ASSERT_EQ(data->attributes().size(), 2u);
  EXPECT_EQ(data->attributes()[0].key, "gen_ai.request.model");
  EXPECT_EQ(data->attributes()[0].value.AsString(), "last");
  EXPECT_EQ(data->attributes()[1].key, "k");
  EXPECT_EQ(data->attributes()[1].value.AsInt(), 2);
}

TEST(SpanTest, EveryKeyOfASpanWithManyAttributesCanBeReplaced) {
  // More keys than the duplicate filter has bits, short and long, many alike but for their last
  // bytes: every replacement must find its key, and no key may be stored twice.
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) {
    keys.push_back("k" + std::to_string(i));
    keys.push_back("gen_ai.custom.attribute." + std::to_string(i));
  }
  TestPipeline p;
  {
    Span span = p.tracer->StartSpan("s");
    for (std::size_t i = 0; i < keys.size(); ++i) span.SetAttribute(keys[i], i);
    for (std::size_t i = 0; i < keys.size(); ++i) span.SetAttribute(keys[i], 1000 + i);
  }
  auto data = p.spans->Spans()[0];
  ASSERT_EQ(data->attributes().size(), keys.size());
  EXPECT_EQ(data->dropped_attributes(), 0u);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(data->attributes()[i].key, keys[i]);
    EXPECT_EQ(data->attributes()[i].value.AsInt(), static_cast<std::int64_t>(1000 + i));
  }
}

TEST(SpanTest, KeysOfEveryLengthAndArrayValuesAreCopiedIntoTheSpan) {
  TestPipeline p;
  std::vector<std::string> keys;
  for (std::size_t length = 1; length <= 40; ++length) keys.push_back(std::string(length, 'a'));
  std::vector<std::int64_t> ints = {1, 2, 3};
  {
    Span span = p.tracer->StartSpan("s");
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i % 2 == 0) {
        span.SetAttribute(keys[i], std::string(i, 'v'));
      } else {
        span.SetAttribute(keys[i], static_cast<double>(i));
      }
    }
    span.SetAttribute("ints", ints);
    for (std::string& key : keys) key.assign(key.size(), 'x');  // the span must own its keys
    ints[0] = 99;                                               // and its arrays
  }
  auto data = p.spans->Spans()[0];
  ASSERT_EQ(data->attributes().size(), 41u);
  for (std::size_t i = 0; i < 40; ++i) {
    const KeyValue& kv = data->attributes()[i];
    EXPECT_EQ(kv.key, std::string(i + 1, 'a'));
    if (i % 2 == 0) {
      EXPECT_EQ(kv.value.AsString(), std::string(i, 'v'));
    } else {
      EXPECT_EQ(kv.value.AsDouble(), static_cast<double>(i));
    }
  }
  EXPECT_EQ(data->FindAttribute("ints")->AsIntArray()[0], 1);
}

TEST(SpanTest, TimestampsComeFromTheClockOrFromTheCaller) {
  TestPipeline p;
  Timestamp t0 = p.clock.Now();
  Span span = p.tracer->StartSpan("s");
  p.clock.Advance(std::chrono::milliseconds(5));
  span.AddEvent("first_token");
  p.clock.Advance(std::chrono::milliseconds(20));
  span.End();
  Span explicit_span = p.tracer->StartSpan("e", {}, {.start_time = t0 - std::chrono::seconds(1)});
  explicit_span.AddEvent("custom", t0 - std::chrono::milliseconds(500));
  explicit_span.End(t0);

  auto s = p.spans->Find("s");
  EXPECT_EQ(s->start_time(), t0);
  EXPECT_EQ(s->events()[0].time, t0 + std::chrono::milliseconds(5));
  EXPECT_EQ(s->end_time(), t0 + std::chrono::milliseconds(25));
  auto e = p.spans->Find("e");
  EXPECT_EQ(e->start_time(), t0 - std::chrono::seconds(1));
  EXPECT_EQ(e->events()[0].time, t0 - std::chrono::milliseconds(500));
  EXPECT_EQ(e->end_time(), t0);
}

TEST(SpanTest, AnEndBeforeTheStartIsClampedToTheStart) {
  TestPipeline p;
  Span span = p.tracer->StartSpan("s");
  span.End(p.clock.Now() - std::chrono::seconds(3));
  auto s = p.spans->Spans()[0];
  EXPECT_EQ(s->end_time(), s->start_time());
}

TEST(SpanTest, EndIsIdempotentAndTheDestructorEndsOpenSpans) {
  TestPipeline p;
  {
    Span a = p.tracer->StartSpan("a");
    a.End();
    a.End();
    a.SetAttribute("after_end", 1);  // ignored: no longer recording
    EXPECT_FALSE(a.IsRecording());
    Span b = p.tracer->StartSpan("b");
  }
  ASSERT_EQ(p.spans->size(), 2u);
  EXPECT_EQ(p.spans->Find("a")->FindAttribute("after_end"), nullptr);
  EXPECT_NE(p.spans->Find("b"), nullptr);
}

TEST(SpanTest, MoveAssignmentEndsTheSpanItReplaces) {
  TestPipeline p;
  Span span = p.tracer->StartSpan("first");
  span = p.tracer->StartSpan("second");
  EXPECT_EQ(p.spans->size(), 1u);
  span.End();
  EXPECT_EQ(p.spans->size(), 2u);
}

TEST(SpanTest, StatusOkIsFinalAndErrorKeepsItsDescription) {
  TestPipeline p;
  Span a = p.tracer->StartSpan("a");
  a.SetStatus(SpanStatus::kError, "rate limited");
  a.SetStatus(SpanStatus::kUnset);  // ignored
  a.End();
  Span b = p.tracer->StartSpan("b");
  b.SetStatus(SpanStatus::kOk, "ignored description");
  b.SetStatus(SpanStatus::kError, "too late");
  b.End();
  EXPECT_EQ(p.spans->Find("a")->status(), SpanStatus::kError);
  EXPECT_EQ(p.spans->Find("a")->status_description(), "rate limited");
  EXPECT_EQ(p.spans->Find("b")->status(), SpanStatus::kOk);
  EXPECT_EQ(p.spans->Find("b")->status_description(), "");
}

TEST(SpanTest, RecordExceptionAddsTheConventionalEventAndAnErrorStatus) {
  TestPipeline p;
  Span span = p.tracer->StartSpan("s");
  span.RecordException("RateLimitError", "429 Too Many Requests", "at call()");
  span.End();
  auto s = p.spans->Spans()[0];
  ASSERT_EQ(s->events().size(), 1u);
  const SpanEvent& e = s->events()[0];
  EXPECT_EQ(e.name, "exception");
  ASSERT_EQ(e.attributes.size(), 3u);
  EXPECT_EQ(e.attributes[0].key, "exception.type");
  EXPECT_EQ(e.attributes[0].value.AsString(), "RateLimitError");
  EXPECT_EQ(e.attributes[1].value.AsString(), "429 Too Many Requests");
  EXPECT_EQ(e.attributes[2].value.AsString(), "at call()");
  EXPECT_EQ(s->status(), SpanStatus::kError);
  EXPECT_EQ(s->status_description(), "429 Too Many Requests");
}

TEST(SpanTest, LimitsDropAndCountWhatDoesNotFit) {
  SpanLimits limits;
  limits.attribute_count = 2;
  limits.attribute_value_length = 4;
  limits.event_count = 1;
  limits.link_count = 1;
  limits.attributes_per_event = 1;
  TracerProviderOptions options;
  options.limits = limits;
  TestPipeline p(std::move(options));

  Span other = p.tracer->StartSpan("other");
  Span span = p.tracer->StartSpan("s");
  span.SetAttribute("a", "abcdefgh");
  span.SetAttribute("b", {"123456", "xy"});
  span.SetAttribute("c", 3);     // over the count: dropped
  span.SetAttribute("a", "zz");  // an existing key still updates
  span.AddEvent("e1", {{"x", 1}, {"y", 2}});
  span.AddEvent("e2");
  span.AddLink(other.context());
  span.AddLink(other.context());
  span.End();

  auto s = p.spans->Find("s");
  ASSERT_EQ(s->attributes().size(), 2u);
  EXPECT_EQ(s->FindAttribute("a")->AsString(), "zz");
  EXPECT_EQ(s->FindAttribute("b")->AsStringArray()[0], "1234");
  EXPECT_EQ(s->dropped_attributes(), 1u);
  ASSERT_EQ(s->events().size(), 1u);
  EXPECT_EQ(s->events()[0].attributes.size(), 1u);
  EXPECT_EQ(s->events()[0].dropped_attributes, 1u);
  EXPECT_EQ(s->dropped_events(), 1u);
  EXPECT_EQ(s->links().size(), 1u);
  EXPECT_EQ(s->dropped_links(), 1u);
}

TEST(SpanTest, TruncationNeverSplitsAUtf8Character) {
  SpanLimits limits;
  limits.attribute_value_length = 4;
  TracerProviderOptions options;
  options.limits = limits;
  TestPipeline p(std::move(options));
  Span span = p.tracer->StartSpan("s");
  span.SetAttribute("k", "ab\xC3\xA9z");  // "abéz": é is 2 bytes at offsets 2-3, cut at 4 is fine
  span.SetAttribute("k2", "abc\xC3\xA9");  // cut at 4 would split é: keep "abc"
  span.End();
  auto s = p.spans->Spans()[0];
  EXPECT_EQ(s->FindAttribute("k")->AsString(), "ab\xC3\xA9");
  EXPECT_EQ(s->FindAttribute("k2")->AsString(), "abc");
}

TEST(SpanTest, LimitsComeFromTheEnvironmentWithSpecificOverGeneral) {
  MapEnvironment env{{"OTEL_ATTRIBUTE_COUNT_LIMIT", "10"},
                     {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "3"},
                     {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "64"},
                     {"OTEL_SPAN_EVENT_COUNT_LIMIT", "bogus"}};
  EnvironmentReader reader(env);
  SpanLimits limits = SpanLimits::FromEnvironment(reader);
  EXPECT_EQ(limits.attribute_count, 3u);
  EXPECT_EQ(limits.attribute_value_length, 64u);
  EXPECT_EQ(limits.attributes_per_event, 10u);
  EXPECT_EQ(limits.event_count, 128u);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("OTEL_SPAN_EVENT_COUNT_LIMIT"), std::string::npos);
}

TEST(SpanTest, SpansAreRecycledWithoutLeakingThePreviousContent) {
  TestPipeline p;
  for (int i = 0; i < 300; ++i) {
    Span span = p.tracer->StartSpan("s" + std::to_string(i));
    if (i % 2 == 0) span.SetAttribute("even", i);
    span.AddEvent("e");
  }
  auto all = p.spans->Spans();
  ASSERT_EQ(all.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(all[i]->name(), "s" + std::to_string(i));
    EXPECT_EQ(all[i]->attributes().size(), i % 2 == 0 ? 1u : 0u);
    EXPECT_EQ(all[i]->events().size(), 1u);
  }
}

}  // namespace
}  // namespace llmtrace::trace
