#include "llmtrace/logs/logger.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "llmtrace/logs/logger_provider.h"
#include "test/logs/logs_test_util.h"

namespace llmtrace::logs {
namespace {

using testing::LogPipeline;

TEST(LoggerTest, RecordsEmittedInsideAnActiveSpanCarryItsIds) {
  LogPipeline p;
  trace::Span span = p.tracer->StartSpan("chat gpt-4o");
  ASSERT_TRUE(span.context().IsValid());
  {
    trace::ContextScope scope = span.Activate();
    p.logger->Emit(Severity::kInfo, "LLM call completed");
  }
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->trace_id(), span.context().trace_id());
  EXPECT_EQ(record->span_id(), span.context().span_id());
  EXPECT_EQ(record->trace_flags(), span.context().flags());
  EXPECT_TRUE(record->trace_flags().sampled());
  span.End();
}

TEST(LoggerTest, RecordsEmittedOutsideAnySpanHaveEmptyIds) {
  LogPipeline p;
  trace::Span span = p.tracer->StartSpan("not activated");
  p.logger->Emit(Severity::kWarn, "no span is current");
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->trace_id().IsValid());
  EXPECT_FALSE(record->span_id().IsValid());
  EXPECT_EQ(record->trace_flags().bits(), 0);
  span.End();
}

TEST(LoggerTest, RecordsFollowTheInnermostActiveSpanAndRevertWhenItsScopeEnds) {
  LogPipeline p;
  trace::Span outer = p.tracer->StartSpan("outer");
  trace::ContextScope outer_scope = outer.Activate();
  trace::Span inner = p.tracer->StartSpan("inner");
  {
    trace::ContextScope inner_scope = inner.Activate();
    p.logger->Emit(Severity::kDebug, "inside inner");
  }
  p.logger->Emit(Severity::kDebug, "back in outer");
  auto all = p.records->Records();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->span_id(), inner.context().span_id());
  EXPECT_EQ(all[1]->span_id(), outer.context().span_id());
  EXPECT_EQ(all[0]->trace_id(), all[1]->trace_id());
  inner.End();
  outer.End();
}

TEST(LoggerTest, AnExplicitContextWinsOverTheCurrentOne) {
  LogPipeline p;
  trace::Span captured = p.tracer->StartSpan("scheduled work");
  const trace::Context context(captured.context());
  trace::Span current =
      p.tracer->StartSpan("current", std::span<const KeyValue>(), {.new_root = true});
  trace::ContextScope scope = current.Activate();

  std::thread worker([&] { p.logger->Emit(context, Severity::kInfo, "from a pool thread"); });
  worker.join();
  p.logger->Emit(context, Severity::kInfo, "same thread, explicit context");
  p.logger->Emit(trace::Context(), Severity::kInfo, "explicitly uncorrelated");

  auto all = p.records->Records();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->span_id(), captured.context().span_id());
  EXPECT_EQ(all[1]->span_id(), captured.context().span_id());
  EXPECT_EQ(all[1]->trace_id(), captured.context().trace_id());
  EXPECT_NE(all[1]->trace_id(), current.context().trace_id());
  EXPECT_FALSE(all[2]->trace_id().IsValid());
  current.End();
  captured.End();
}

TEST(LoggerTest, RecordsTheSeverityNumberTextBodyTimestampsAndScope) {
  LogPipeline p;
  p.clock.Advance(std::chrono::milliseconds(1500));
  const Timestamp now = p.clock.Now();
  p.logger->Emit(Severity::kError2, "upstream returned 503",
                 {{"http.response.status_code", 503}, {"retry", true}});
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->severity(), Severity::kError2);
  EXPECT_EQ(static_cast<int>(record->severity()), 18);
  EXPECT_EQ(record->severity_text(), "ERROR2");
  ASSERT_TRUE(record->has_body());
  EXPECT_EQ(record->body(), AttributeValue("upstream returned 503"));
  EXPECT_EQ(record->timestamp(), now);
  EXPECT_EQ(record->observed_timestamp(), now);
  ASSERT_NE(record->FindAttribute("http.response.status_code"), nullptr);
  EXPECT_EQ(record->FindAttribute("http.response.status_code")->AsInt(), 503);
  EXPECT_TRUE(record->FindAttribute("retry")->AsBool());
  EXPECT_EQ(record->scope().name, "test-scope");
  EXPECT_EQ(record->scope().version, "1.0.0");
}

TEST(LoggerTest, ABodyNeedNotBeAString) {
  LogPipeline p;
  const std::array<std::int64_t, 3> tokens = {12, 40, 7};
  p.logger->Emit(Severity::kInfo, tokens);
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->body().type(), AttributeValue::Type::kIntArray);
  EXPECT_EQ(record->body(), AttributeValue(tokens));
}

TEST(LoggerTest, TheLastValueOfARepeatedKeyWins) {
  LogPipeline p;
  p.logger->Emit(Severity::kInfo, "x", {{"k", 1}, {"k", 2}});
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->attributes().size(), 1u);
  EXPECT_EQ(record->attributes()[0].value.AsInt(), 2);
}

TEST(LoggerTest, AttributeLimitsFromTheLogRecordVariablesDropAndTruncate) {
  LogPipeline p({}, MapEnvironment{{"OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "2"},
                                   {"OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT", "4"},
                                   {"OTEL_ATTRIBUTE_COUNT_LIMIT", "50"}});
  const std::string long_body(100, 'b');
  p.logger->Emit(Severity::kInfo, long_body,
                 {{"a", "abcdefgh"}, {"b", "hé€x"}, {"c", 3}, {"d", 4}});
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  ASSERT_EQ(record->attributes().size(), 2u);
  EXPECT_EQ(record->attributes()[0].value.AsString(), "abcd");
  EXPECT_EQ(record->attributes()[1].value.AsString(), "hé");  // cut at a UTF-8 boundary
  EXPECT_EQ(record->dropped_attributes(), 2u);
  EXPECT_EQ(record->body().AsString(), long_body);  // the body is not an attribute
}

TEST(LoggerTest, AttributeLimitsFallBackToTheGeneralVariables) {
  MapEnvironment env{{"OTEL_ATTRIBUTE_COUNT_LIMIT", "1"},
                     {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "2"}};
  EnvironmentReader reader(env);
  LogRecordLimits limits = LogRecordLimits::FromEnvironment(reader);
  EXPECT_EQ(limits.attribute_count, 1u);
  EXPECT_EQ(limits.attribute_value_length, 2u);

  MapEnvironment empty;
  EnvironmentReader defaults(empty);
  LogRecordLimits unlimited = LogRecordLimits::FromEnvironment(defaults);
  EXPECT_EQ(unlimited.attribute_count, 128u);
  EXPECT_EQ(unlimited.attribute_value_length, Arena::kNoLimit);
}

TEST(LoggerTest, LimitsGivenInCodeWinOverTheEnvironment) {
  LoggerProviderOptions options;
  options.limits = LogRecordLimits{.attribute_count = 1};
  LogPipeline p(std::move(options), MapEnvironment{{"OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "9"}});
  p.logger->Emit(Severity::kInfo, "x", {{"a", 1}, {"b", 2}});
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->attributes().size(), 1u);
  EXPECT_EQ(record->dropped_attributes(), 1u);
}

TEST(LoggerProviderTest, MergesTheResourceLikeTheTracerProvider) {
  LoggerProviderOptions options;
  options.resource_attributes.Set("deployment.environment.name", "prod");
  LogPipeline p(std::move(options), MapEnvironment{{"OTEL_SERVICE_NAME", "rag-api"},
                                                   {"OTEL_RESOURCE_ATTRIBUTES", "team=ml"}});
  const AttributeSet& resource = p.provider->resource().attributes();
  ASSERT_NE(resource.Find("service.name"), nullptr);
  EXPECT_EQ(resource.Find("service.name")->AsString(), "rag-api");
  EXPECT_EQ(resource.Find("team")->AsString(), "ml");
  EXPECT_EQ(resource.Find("deployment.environment.name")->AsString(), "prod");
  EXPECT_EQ(resource.Find("telemetry.sdk.name")->AsString(), "llmtrace");
  p.logger->Emit(Severity::kInfo, "x");
  auto record = p.Only();
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(&record->resource(), &p.provider->resource());
}

TEST(LoggerProviderTest, TheSameScopeYieldsTheSameScopeObject) {
  LogPipeline p;
  auto a = p.provider->GetLogger("scope", "1");
  auto b = p.provider->GetLogger("scope", "1");
  auto c = p.provider->GetLogger("scope", "2");
  EXPECT_EQ(&a->scope(), &b->scope());
  EXPECT_NE(&a->scope(), &c->scope());
}

TEST(LoggerProviderTest, ADisabledSdkEmitsNothing) {
  LogPipeline p({}, MapEnvironment{{"OTEL_SDK_DISABLED", "true"}});
  EXPECT_TRUE(p.provider->disabled());
  EXPECT_FALSE(p.logger->Enabled());
  p.logger->Emit(Severity::kFatal, "dropped on the floor");
  EXPECT_EQ(p.records->size(), 0u);
}

TEST(LoggerProviderTest, AfterShutdownLoggersEmitNothing) {
  LogPipeline p;
  EXPECT_TRUE(p.logger->Enabled());
  ASSERT_TRUE(p.provider->Shutdown().ok());
  EXPECT_TRUE(p.provider->Shutdown().ok());  // idempotent
  EXPECT_FALSE(p.logger->Enabled());
  p.logger->Emit(Severity::kInfo, "too late");
  EXPECT_EQ(p.records->size(), 0u);
}

TEST(LoggerProviderTest, RejectsANullProcessor) {
  LoggerProviderOptions options;
  options.processors.push_back(nullptr);
  MapEnvironment env;
  options.environment = &env;
  auto provider = LoggerProvider::Create(std::move(options));
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(provider.status().message().find("processors[0]"), std::string::npos);
}

TEST(LoggerProviderTest, EveryProcessorReceivesEveryRecord) {
  auto first = std::make_shared<InMemoryLogRecordData>();
  LoggerProviderOptions options;
  options.processors.push_back(std::make_unique<SimpleLogRecordProcessor>(
      std::make_unique<InMemoryLogRecordExporter>(first)));
  LogPipeline p(std::move(options));  // adds a second processor
  p.logger->Emit(Severity::kInfo, "fan out", {{"k", "v"}});
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ(p.records->size(), 1u);
  auto a = first->Records()[0];
  auto b = p.records->Records()[0];
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(a->body(), b->body());
  EXPECT_EQ(a->FindAttribute("k")->AsString(), "v");
}

TEST(LogRecordDataTest, ACloneOwnsItsBytesAndKeepsEveryField) {
  Resource resource = Resource::Create({{"service.name", "s"}}, MapEnvironment{});
  InstrumentationScope scope{"scope", "1", "", {}};
  LogRecordDataPtr record = AcquireLogRecordData();
  std::string text = "temporary";
  record->Begin(Timestamp{std::chrono::seconds(5)}, Timestamp{std::chrono::seconds(6)},
                Severity::kWarn3, LogRecordLimits{}, resource, scope);
  record->SetSeverityText("warning");
  record->SetBody(text);
  record->SetAttribute("key", text);
  record->SetTraceIds(*TraceId::FromHex("0102030405060708090a0b0c0d0e0f10"),
                      *SpanId::FromHex("0102030405060708"), trace::TraceFlags(1));
  record->AddDroppedAttributes(3);
  std::unique_ptr<LogRecordData> copy = record->Clone();
  text.assign(text.size(), 'x');
  record.reset();  // back to the pool
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->timestamp(), Timestamp{std::chrono::seconds(5)});
  EXPECT_EQ(copy->observed_timestamp(), Timestamp{std::chrono::seconds(6)});
  EXPECT_EQ(copy->severity(), Severity::kWarn3);
  EXPECT_EQ(copy->severity_text(), "warning");
  EXPECT_EQ(copy->body().AsString(), "temporary");
  EXPECT_EQ(copy->FindAttribute("key")->AsString(), "temporary");
  EXPECT_EQ(copy->dropped_attributes(), 3u);
  EXPECT_EQ(copy->trace_id().ToHex(), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(copy->span_id().ToHex(), "0102030405060708");
  EXPECT_TRUE(copy->trace_flags().sampled());
}

TEST(LogRecordDataTest, APooledRecordComesBackReset) {
  Resource resource;
  InstrumentationScope scope;
  {
    LogRecordDataPtr record = AcquireLogRecordData();
    record->Begin(Timestamp{std::chrono::seconds(1)}, Timestamp{std::chrono::seconds(1)},
                  Severity::kInfo, LogRecordLimits{}, resource, scope);
    record->SetBody("x");
    record->SetAttribute("a", 1);
    record->SetTraceIds(*TraceId::FromHex("0102030405060708090a0b0c0d0e0f10"),
                        *SpanId::FromHex("0102030405060708"), trace::TraceFlags(1));
  }
  LogRecordDataPtr again = AcquireLogRecordData();
  ASSERT_NE(again, nullptr);
  EXPECT_FALSE(again->has_body());
  EXPECT_TRUE(again->attributes().empty());
  EXPECT_FALSE(again->trace_id().IsValid());
  EXPECT_EQ(again->severity(), Severity::kUnspecified);
}

}  // namespace
}  // namespace llmtrace::logs
