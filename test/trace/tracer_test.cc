#include "llmtrace/trace/tracer.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "llmtrace/common/internal_log.h"
#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

using testing::TestPipeline;

TEST(TracerTest, ARootSpanGetsFreshValidIdsAndTheRandomFlag) {
  TestPipeline p;
  Span a = p.tracer->StartSpan("a");
  Span b = p.tracer->StartSpan("b", {}, {.new_root = true});
  EXPECT_TRUE(a.context().IsValid());
  EXPECT_NE(a.context().trace_id(), b.context().trace_id());
  EXPECT_TRUE(a.context().sampled());
  EXPECT_EQ(a.context().flags().bits() & TraceFlags::kRandom, TraceFlags::kRandom);
  EXPECT_FALSE(a.context().remote());
}

TEST(TracerTest, AnActivatedSpanParentsTheSpansStartedInItsScope) {
  TestPipeline p;
  Span root = p.tracer->StartSpan("root");
  {
    ContextScope scope = root.Activate();
    Span child = p.tracer->StartSpan("child");
    {
      ContextScope inner = child.Activate();
      Span grandchild = p.tracer->StartSpan("grandchild");
    }
    Span sibling = p.tracer->StartSpan("sibling");
  }
  Span after = p.tracer->StartSpan("after");  // scope ended: a new root
  after.End();
  root.End();

  auto root_data = p.spans->Find("root");
  auto child = p.spans->Find("child");
  EXPECT_FALSE(root_data->parent_span_id().IsValid());
  EXPECT_EQ(child->parent_span_id(), root_data->context().span_id());
  EXPECT_EQ(child->context().trace_id(), root_data->context().trace_id());
  EXPECT_EQ(p.spans->Find("grandchild")->parent_span_id(), child->context().span_id());
  EXPECT_EQ(p.spans->Find("sibling")->parent_span_id(), root_data->context().span_id());
  EXPECT_FALSE(p.spans->Find("after")->parent_span_id().IsValid());
  EXPECT_NE(p.spans->Find("after")->context().trace_id(), root_data->context().trace_id());
}

TEST(TracerTest, AnExplicitParentConnectsWorkOnAnotherThread) {
  TestPipeline p;
  Span root = p.tracer->StartSpan("root");
  Context captured = Context::Current().WithSpanContext(root.context());
  std::thread worker([&] { Span child = p.tracer->StartSpan("tool", {}, {.parent = &captured}); });
  worker.join();
  root.End();
  EXPECT_EQ(p.spans->Find("tool")->parent_span_id(), p.spans->Find("root")->context().span_id());
}

TEST(TracerTest, NewRootIgnoresTheCurrentSpan) {
  TestPipeline p;
  Span root = p.tracer->StartSpan("root");
  ContextScope scope = root.Activate();
  Span detached = p.tracer->StartSpan("detached", {}, {.new_root = true});
  EXPECT_NE(detached.context().trace_id(), root.context().trace_id());
}

TEST(TracerTest, ARemoteParentIsRecordedAsRemote) {
  TestPipeline p;
  SpanContext remote(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                     *SpanId::FromHex("00f067aa0ba902b7"), TraceFlags(1), /*remote=*/true);
  Context parent(remote);
  Span span = p.tracer->StartSpan("server", {}, {.kind = SpanKind::kServer, .parent = &parent});
  span.End();
  auto s = p.spans->Spans()[0];
  EXPECT_EQ(s->context().trace_id(), remote.trace_id());
  EXPECT_EQ(s->parent_span_id(), remote.span_id());
  EXPECT_TRUE(s->parent_is_remote());
  // The parent did not set the random flag, so the child must not claim it either.
  EXPECT_EQ(s->context().flags().bits() & TraceFlags::kRandom, 0);
}

TEST(TracerTest, StartLinksAreRecordedAndInvalidOnesSkipped) {
  TestPipeline p;
  Span a = p.tracer->StartSpan("a");
  SpanContext links[] = {a.context(), SpanContext::Invalid()};
  Span b = p.tracer->StartSpan("b", {}, {.links = links});
  b.End();
  auto data = p.spans->Find("b");
  ASSERT_EQ(data->links().size(), 1u);
  EXPECT_EQ(data->links()[0].context.span_id(), a.context().span_id());
}

TEST(TracerTest, GetTracerReturnsTheSameScopeForTheSameNameAndVersion) {
  TestPipeline p;
  auto t1 = p.provider->GetTracer("lib", "1");
  auto t2 = p.provider->GetTracer("lib", "1");
  auto t3 = p.provider->GetTracer("lib", "2");
  EXPECT_EQ(&t1->scope(), &t2->scope());
  EXPECT_NE(&t1->scope(), &t3->scope());
  t3->StartSpan("s").End();
  EXPECT_EQ(p.spans->Spans()[0]->scope().version, "2");
}

TEST(TracerProviderTest, ResourceMergesDefaultsEnvironmentAndCode) {
  MapEnvironment env{{"OTEL_RESOURCE_ATTRIBUTES",
                      "service.name=from-attrs,deployment.environment.name=prod,team=a%2Cb"},
                     {"OTEL_SERVICE_NAME", "from-service-name"}};
  TracerProviderOptions options;
  options.environment = &env;
  options.resource_attributes.Set("service.version", "2.0");
  options.resource_attributes.Set("team", "from-code");
  auto provider = *TracerProvider::Create(std::move(options));
  const AttributeSet& r = provider->resource().attributes();
  EXPECT_EQ(r.Find("service.name")->AsString(), "from-service-name");
  EXPECT_EQ(r.Find("deployment.environment.name")->AsString(), "prod");
  EXPECT_EQ(r.Find("team")->AsString(), "from-code");
  EXPECT_EQ(r.Find("service.version")->AsString(), "2.0");
  EXPECT_EQ(r.Find("telemetry.sdk.name")->AsString(), "llmtrace");
  EXPECT_EQ(r.Find("telemetry.sdk.language")->AsString(), "cpp");
}

TEST(TracerProviderTest, AMalformedResourceVariableIsIgnoredWhole) {
  MapEnvironment env{{"OTEL_RESOURCE_ATTRIBUTES", "good=1,broken"}};
  EnvironmentReader reader(env);
  Resource r = Resource::FromEnvironment(reader);
  EXPECT_EQ(r.attributes().Find("good"), nullptr);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("OTEL_RESOURCE_ATTRIBUTES"), std::string::npos);
}

TEST(TracerProviderTest, DefaultServiceNameNamesTheExecutable) {
  Resource r = Resource::Default();
  EXPECT_EQ(r.attributes().Find("service.name")->AsString().rfind("unknown_service", 0), 0u);
}

TEST(TracerProviderTest, SdkDisabledHandsOutNonRecordingSpansThatKeepTheParent) {
  MapEnvironment env{{"OTEL_SDK_DISABLED", "true"}};
  TracerProviderOptions options;
  options.environment = &env;
  TestPipeline p(std::move(options));
  SpanContext remote(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                     *SpanId::FromHex("00f067aa0ba902b7"), TraceFlags(1), true);
  Context parent(remote);
  Span span = p.tracer->StartSpan("s", {}, {.parent = &parent});
  EXPECT_FALSE(span.IsRecording());
  EXPECT_EQ(span.context().trace_id(), remote.trace_id());
  span.End();
  EXPECT_EQ(p.spans->size(), 0u);
  EXPECT_TRUE(p.provider->disabled());
}

TEST(TracerProviderTest, OnlyTheExactWordTrueDisablesTheSdk) {
  MapEnvironment env{{"OTEL_SDK_DISABLED", "1"}};
  TracerProviderOptions options;
  options.environment = &env;
  TestPipeline p(std::move(options));
  EXPECT_FALSE(p.provider->disabled());
}

TEST(TracerProviderTest, AfterShutdownSpansNoLongerRecord) {
  TestPipeline p;
  ASSERT_TRUE(p.provider->Shutdown().ok());
  Span span = p.tracer->StartSpan("late");
  EXPECT_FALSE(span.IsRecording());
}

TEST(TracerProviderTest, ASpanOutlivingItsProviderEndsSafely) {
  auto spans = std::make_shared<InMemorySpanData>();
  Span survivor;
  {
    TracerProviderOptions options;
    MapEnvironment env;
    options.environment = &env;
    options.processors.push_back(
        std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(spans)));
    auto provider = *TracerProvider::Create(std::move(options));
    survivor = provider->GetTracer("t")->StartSpan("survivor");
  }
  survivor.End();  // the processor is shut down: the span is dropped, not a crash
  EXPECT_EQ(spans->size(), 0u);
}

TEST(TracerProviderTest, OtelLogLevelSetsTheDiagnosticsThreshold) {
  MapEnvironment env{{"OTEL_LOG_LEVEL", "error"}};
  TracerProviderOptions options;
  options.environment = &env;
  auto provider = *TracerProvider::Create(std::move(options));
  EXPECT_EQ(InternalLogLevel(), LogLevel::kError);
  SetInternalLogLevel(LogLevel::kWarning);

  std::vector<std::string> lines;
  InternalLogHandler previous = SetInternalLogHandler(
      [&lines](LogLevel, std::string_view message) { lines.emplace_back(message); });
  MapEnvironment bad{{"OTEL_LOG_LEVEL", "loud"}};
  TracerProviderOptions bad_options;
  bad_options.environment = &bad;
  auto other = *TracerProvider::Create(std::move(bad_options));
  SetInternalLogHandler(std::move(previous));
  EXPECT_EQ(InternalLogLevel(), LogLevel::kWarning);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("OTEL_LOG_LEVEL"), std::string::npos);
}

TEST(TracerProviderTest, ANullProcessorIsRejectedWithItsIndex) {
  TracerProviderOptions options;
  options.processors.push_back(nullptr);
  auto result = TracerProvider::Create(std::move(options));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("processors[0]"), std::string::npos);
}

TEST(TracerProviderTest, EveryProcessorReceivesEverySpan) {
  auto first = std::make_shared<InMemorySpanData>();
  auto second = std::make_shared<InMemorySpanData>();
  TracerProviderOptions options;
  MapEnvironment env;
  options.environment = &env;
  options.processors.push_back(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(first)));
  options.processors.push_back(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(second)));
  auto provider = *TracerProvider::Create(std::move(options));
  Span span = provider->GetTracer("t")->StartSpan("s", {{"k", "v"}});
  span.End();
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(first->Spans()[0]->FindAttribute("k")->AsString(), "v");
  EXPECT_EQ(second->Spans()[0]->FindAttribute("k")->AsString(), "v");
}

TEST(GlobalTracerProviderTest, DefaultsToADisabledProviderAndCanBeReplaced) {
  auto initial = GetGlobalTracerProvider();
  EXPECT_TRUE(initial->disabled());
  EXPECT_FALSE(initial->GetTracer("x")->StartSpan("s").IsRecording());
  TestPipeline p;
  SetGlobalTracerProvider(p.provider);
  EXPECT_EQ(GetGlobalTracerProvider(), p.provider);
  SetGlobalTracerProvider(nullptr);
}

}  // namespace
}  // namespace llmtrace::trace
