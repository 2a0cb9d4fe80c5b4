#include "llmtrace/genai/inference_span.h"

#include <gtest/gtest.h>

#include <chrono>

#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/content_capture.h"
#include "llmtrace/genai/content_hash.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/trace/baggage.h"
#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using std::chrono::milliseconds;
using testing::Attr;
using testing::GenAiPipeline;
using testing::HasAttr;
namespace mt = metrics::testing;

constexpr std::string_view kCatalog = R"({"models": {
  "gpt-4o": {"provider": "openai", "input": 2.5, "cache_read": 1.25, "cache_write": 2.5,
             "output": 10.0, "currency": "USD", "effective_date": "2024-10-01"},
  "claude-sonnet-4": {"provider": "anthropic", "input": 3.0, "cache_read": 0.3,
             "cache_write": 3.75, "output": 15.0, "currency": "USD",
             "effective_date": "2025-05-22"}}})";

std::shared_ptr<const PricingCatalog> TestCatalog() {
  auto catalog = PricingCatalog::FromJson(kCatalog, "test catalog");
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return *catalog;
}

double HistogramSum(const metrics::ResourceMetrics& snapshot, std::string_view name) {
  const metrics::MetricData* metric = mt::FindMetric(snapshot, name);
  if (metric == nullptr) return -1;
  double sum = 0;
  for (const auto& point : mt::Hist(metric).points) sum += point.sum;
  return sum;
}

TEST(InferenceSpanTest, ChatSpanCarriesRequestResponseAndUsageAttributes) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  Message messages[] = {{"system", "Be brief."}, {"user", "What is OpenTelemetry?"}};
  {
    InferenceSpan call = genai->StartInference({.provider = "openai",
                                                .model = "gpt-4o",
                                                .server_address = "api.openai.com",
                                                .server_port = 443,
                                                .max_tokens = 512,
                                                .temperature = 0.7,
                                                .messages = messages});
    p.clock.Advance(milliseconds(480));
    call.SetResponseId("chatcmpl-123");
    call.SetResponseModel("gpt-4o-2024-08-06");
    call.AddFinishReason("stop");
    call.SetUsage({.input_tokens = 1523, .output_tokens = 847, .cache_read_input_tokens = 1024});
    call.SetOutput("OpenTelemetry is an observability framework.");
    call.End();
  }
  auto span = p.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->kind(), trace::SpanKind::kClient);
  EXPECT_EQ(Attr(*span, "gen_ai.operation.name"), "chat");
  EXPECT_EQ(Attr(*span, "gen_ai.provider.name"), "openai");
  EXPECT_EQ(Attr(*span, "gen_ai.request.model"), "gpt-4o");
  EXPECT_EQ(Attr(*span, "server.address"), "api.openai.com");
  EXPECT_EQ(Attr(*span, "server.port"), "443");
  EXPECT_EQ(Attr(*span, "gen_ai.request.max_tokens"), "512");
  EXPECT_EQ(Attr(*span, "gen_ai.request.temperature"), "0.7");
  EXPECT_EQ(Attr(*span, "gen_ai.response.id"), "chatcmpl-123");
  EXPECT_EQ(Attr(*span, "gen_ai.response.model"), "gpt-4o-2024-08-06");
  EXPECT_EQ(Attr(*span, "gen_ai.response.finish_reasons"), "[\"stop\"]");
  EXPECT_EQ(Attr(*span, "gen_ai.usage.input_tokens"), "1523");
  EXPECT_EQ(Attr(*span, "gen_ai.usage.output_tokens"), "847");
  EXPECT_EQ(Attr(*span, "gen_ai.usage.cache_read.input_tokens"), "1024");
  EXPECT_EQ(Attr(*span, "llmtrace.prompt.sha256"),
            Sha256Hex("system\nBe brief.\nuser\nWhat is OpenTelemetry?\n"));
  EXPECT_EQ(Attr(*span, "llmtrace.prompt.length"), "31");
  EXPECT_EQ(Attr(*span, "llmtrace.response.sha256"),
            Sha256Hex("OpenTelemetry is an observability framework."));
  // No content by default, and no streaming attributes on a non-streamed call.
  EXPECT_FALSE(HasAttr(*span, "gen_ai.input.messages"));
  EXPECT_FALSE(HasAttr(*span, "gen_ai.output.messages"));
  EXPECT_FALSE(HasAttr(*span, "gen_ai.response.time_to_first_chunk"));
  // No catalog: the cost is unknown, never 0.
  EXPECT_FALSE(HasAttr(*span, "gen_ai.usage.cost.amount"));
  EXPECT_EQ(Attr(*span, "llmtrace.cost.unpriced"), "true");
  EXPECT_EQ(span->status(), trace::SpanStatus::kUnset);

  auto snapshot = p.metrics->reader->Collect();
  EXPECT_NEAR(HistogramSum(snapshot, "gen_ai.client.operation.duration"), 0.48, 1e-9);
  const auto& usage = mt::Hist(mt::FindMetric(snapshot, "gen_ai.client.token.usage"));
  ASSERT_EQ(usage.points.size(), 2u);
  const auto* input = mt::FindPoint(
      usage.points, R"(gen_ai.operation.name="chat",gen_ai.provider.name="openai",)"
                    R"(gen_ai.request.model="gpt-4o",gen_ai.response.model="gpt-4o-2024-08-06",)"
                    R"(gen_ai.token.type="input",server.address="api.openai.com",server.port=443)");
  ASSERT_NE(input, nullptr);
  EXPECT_EQ(input->sum, 1523);
  // Latest-flavour instruments are not registered in the default flavour.
  EXPECT_EQ(mt::FindMetric(snapshot, "gen_ai.client.inference.duration"), nullptr);
  // A call that did not stream leaves no (empty) time-to-first-chunk series behind.
  const auto* ttfc = mt::FindMetric(snapshot, "gen_ai.client.operation.time_to_first_chunk");
  EXPECT_TRUE(ttfc == nullptr || mt::Hist(ttfc).points.empty());
}

TEST(InferenceSpanTest, RepeatedCallsAccumulateInOneSeriesPerAttributeSet) {
  GenAiPipeline p;
  auto options = p.Options();
  options.pricing = TestCatalog();
  auto genai = p.Create(std::move(options));
  for (int i = 0; i < 3; ++i) {
    InferenceSpan call = genai->StartInference({.provider = "openai", .model = "gpt-4o"});
    call.SetUsage({.input_tokens = 100, .output_tokens = 10});
    if (i == 2) call.SetError("timeout", "no answer in 30 s");
    call.End();
  }
  auto snapshot = p.metrics->reader->Collect();
  const auto& calls = mt::Sum(mt::FindMetric(snapshot, "llmtrace.genai.calls"));
  ASSERT_EQ(calls.points.size(), 2u);
  const auto* ok = mt::FindPoint(
      calls.points,
      R"(gen_ai.operation.name="chat",gen_ai.provider.name="openai",gen_ai.request.model="gpt-4o")");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(std::get<std::int64_t>(ok->value), 2);
  const auto& cost = mt::Sum(mt::FindMetric(snapshot, "llmtrace.genai.cost"));
  const auto* output = mt::FindPoint(
      cost.points,
      R"(gen_ai.provider.name="openai",gen_ai.request.model="gpt-4o",llmtrace.token.class="output")");
  ASSERT_NE(output, nullptr);
  EXPECT_NEAR(std::get<double>(output->value), 3 * 10 * 10.0 / 1e6, 1e-15);
}

TEST(InferenceSpanTest, BeyondTheSeriesCacheCallsAreStillCounted) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  constexpr int kModels = 1100;  // more distinct attribute sets than the cache binds
  for (int i = 0; i < kModels; ++i) {
    const std::string model = "model-" + std::to_string(i);
    InferenceSpan call = genai->StartInference({.provider = "openai", .model = model});
    call.End();
  }
  auto snapshot = p.metrics->reader->Collect();
  std::int64_t total = 0;
  for (const auto& point : mt::Sum(mt::FindMetric(snapshot, "llmtrace.genai.calls")).points) {
    total += std::get<std::int64_t>(point.value);
  }
  EXPECT_EQ(total, kModels);
}

TEST(InferenceSpanTest, StreamingRecordsTimeToFirstChunkAndTimePerChunk) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  {
    InferenceSpan call =
        genai->StartInference({.provider = "openai", .model = "gpt-4o", .stream = true});
    p.clock.Advance(milliseconds(100));
    call.OnChunk("");  // the role-only first chunk does not count as content
    p.clock.Advance(milliseconds(150));
    call.OnChunk("Hello");
    p.clock.Advance(milliseconds(20));
    call.OnChunk(", ");
    p.clock.Advance(milliseconds(30));
    call.OnChunk("world");
    EXPECT_NEAR(*call.time_to_first_chunk_seconds(), 0.25, 1e-9);
    EXPECT_EQ(call.chunk_count(), 4);
    call.AddFinishReason("stop");
    call.End();
  }
  auto span = p.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "gen_ai.request.stream"), "true");
  EXPECT_EQ(Attr(*span, "gen_ai.response.time_to_first_chunk"), "0.25");
  EXPECT_EQ(Attr(*span, "llmtrace.response.chunk_count"), "4");
  EXPECT_EQ(Attr(*span, "llmtrace.response.length"), "12");
  EXPECT_EQ(Attr(*span, "llmtrace.response.sha256"), Sha256Hex("Hello, world"));
  EXPECT_FALSE(HasAttr(*span, "llmtrace.response.partial"));

  auto snapshot = p.metrics->reader->Collect();
  EXPECT_NEAR(HistogramSum(snapshot, "gen_ai.client.operation.time_to_first_chunk"), 0.25, 1e-9);
  const auto& per_chunk =
      mt::Hist(mt::FindMetric(snapshot, "gen_ai.client.operation.time_per_output_chunk"));
  ASSERT_EQ(per_chunk.points.size(), 1u);
  EXPECT_EQ(per_chunk.points[0].count, 2u);
  EXPECT_NEAR(per_chunk.points[0].sum, 0.05, 1e-9);
}

TEST(InferenceSpanTest, BrokenStreamFinishesWithErrorAndKeepsThePartialOutput) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  {
    InferenceSpan call =
        genai->StartInference({.provider = "openai", .model = "gpt-4o", .stream = true});
    call.OnChunk("The answer is");
    call.SetError("network", "connection reset by peer");
    call.End();
  }
  auto span = p.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->status(), trace::SpanStatus::kError);
  EXPECT_EQ(Attr(*span, "error.type"), "network");
  EXPECT_EQ(Attr(*span, "gen_ai.response.finish_reasons"), "[\"error\"]");
  EXPECT_EQ(Attr(*span, "llmtrace.response.partial"), "true");
  EXPECT_EQ(Attr(*span, "llmtrace.response.length"), "13");
  ASSERT_EQ(span->events().size(), 1u);
  EXPECT_EQ(span->events()[0].name, "exception");

  auto snapshot = p.metrics->reader->Collect();
  const auto& duration = mt::Hist(mt::FindMetric(snapshot, "gen_ai.client.operation.duration"));
  ASSERT_EQ(duration.points.size(), 1u);
  EXPECT_NE(mt::AttributesString(duration.points[0].attributes).find(R"(error.type="network")"),
            std::string::npos);
  auto records = p.records->Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]->severity(), logs::Severity::kError);
  EXPECT_EQ(Attr(*records[0], "error.type"), "network");
}

TEST(InferenceSpanTest, CostComesFromTheCatalogAndIsCountedByTokenClass) {
  GenAiPipeline p;
  auto options = p.Options();
  options.pricing = TestCatalog();
  auto genai = p.Create(std::move(options));
  {
    InferenceSpan call =
        genai->StartInference({.provider = "anthropic", .model = "claude-sonnet-4"});
    call.SetResponseModel("claude-sonnet-4-20250514");  // resolves to its family
    // Anthropic reports cache reads and writes outside input_tokens.
    call.SetUsage(TokenUsage::FromExclusiveInput(/*uncached_input=*/1000, /*cache_read=*/10000,
                                                 /*cache_write=*/2000, /*output=*/500));
    call.End();
    // 1000*3 + 10000*0.3 + 2000*3.75 + 500*15 = 3000 + 3000 + 7500 + 7500 per million.
    ASSERT_TRUE(call.cost().has_value());
    EXPECT_NEAR(*call.cost(), 0.021, 1e-12);
  }
  auto span = p.Span("chat claude-sonnet-4");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "gen_ai.usage.input_tokens"), "13000");
  EXPECT_EQ(Attr(*span, "gen_ai.usage.cache_creation.input_tokens"), "2000");
  EXPECT_FALSE(HasAttr(*span, "gen_ai.usage.cache_write.input_tokens"));
  EXPECT_EQ(Attr(*span, "gen_ai.usage.cost.currency"), "USD");
  EXPECT_EQ(Attr(*span, "gen_ai.usage.cost.source"), "local");
  EXPECT_NEAR(std::stod(Attr(*span, "gen_ai.usage.cost.amount")), 0.021, 1e-12);

  auto snapshot = p.metrics->reader->Collect();
  const auto& cost = mt::Sum(mt::FindMetric(snapshot, "llmtrace.genai.cost"));
  ASSERT_EQ(cost.points.size(), 4u);
  const auto* cache_write = mt::FindPoint(
      cost.points, R"(gen_ai.provider.name="anthropic",gen_ai.request.model="claude-sonnet-4",)"
                   R"(llmtrace.token.class="cache_write")");
  ASSERT_NE(cache_write, nullptr);
  EXPECT_NEAR(std::get<double>(cache_write->value), 0.0075, 1e-12);
}

TEST(InferenceSpanTest, AnUnknownModelHasUnknownCostNeverZero) {
  GenAiPipeline p;
  auto options = p.Options();
  options.pricing = TestCatalog();
  auto genai = p.Create(std::move(options));
  {
    InferenceSpan call = genai->StartInference({.provider = "acme", .model = "acme-llm-9"});
    call.SetUsage({.input_tokens = 10, .output_tokens = 5});
    call.End();
    EXPECT_FALSE(call.cost().has_value());
  }
  auto span = p.Span("chat acme-llm-9");
  ASSERT_NE(span, nullptr);
  EXPECT_FALSE(HasAttr(*span, "gen_ai.usage.cost.amount"));
  EXPECT_EQ(Attr(*span, "llmtrace.cost.unpriced"), "true");
  auto snapshot = p.metrics->reader->Collect();
  EXPECT_EQ(mt::FindMetric(snapshot, "llmtrace.genai.cost") == nullptr ||
                mt::Sum(mt::FindMetric(snapshot, "llmtrace.genai.cost")).points.empty(),
            true);
  const auto& unpriced = mt::Sum(mt::FindMetric(snapshot, "llmtrace.genai.unpriced_calls"));
  ASSERT_EQ(unpriced.points.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(unpriced.points[0].value), 1);
}

TEST(InferenceSpanTest, LatestFlavourUsesTheNewNamesAndDupUsesBoth) {
  for (SemconvFlavour flavour : {SemconvFlavour::kLatest, SemconvFlavour::kBoth}) {
    GenAiPipeline p;
    auto options = p.Options();
    options.semconv = flavour;
    auto genai = p.Create(std::move(options));
    {
      InferenceSpan call = genai->StartInference({.provider = "anthropic", .model = "claude"});
      call.SetUsage(TokenUsage::FromExclusiveInput(10, 0, 20, 5));
      call.End();
    }
    auto span = p.Span("chat claude");
    ASSERT_NE(span, nullptr);
    const bool both = flavour == SemconvFlavour::kBoth;
    EXPECT_EQ(Attr(*span, "gen_ai.usage.cache_write.input_tokens"), "20");
    EXPECT_EQ(HasAttr(*span, "gen_ai.usage.cache_creation.input_tokens"), both);
    auto snapshot = p.metrics->reader->Collect();
    EXPECT_NE(mt::FindMetric(snapshot, "gen_ai.client.inference.duration"), nullptr);
    const auto& input =
        mt::Sum(mt::FindMetric(snapshot, "gen_ai.client.inference.usage.input_tokens"));
    ASSERT_EQ(input.points.size(), 1u);
    EXPECT_EQ(std::get<std::int64_t>(input.points[0].value), 30);
    EXPECT_NE(
        mt::AttributesString(input.points[0].attributes).find(R"(gen_ai.token.modality="text")"),
        std::string::npos);
    EXPECT_EQ(mt::FindMetric(snapshot, "gen_ai.client.operation.duration") != nullptr, both);
  }
}

TEST(InferenceSpanTest, OnlyAllowListedBaggageMembersLandOnTheSpan) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  auto baggage = trace::Baggage::Empty()->Set("user.id", "alice")->Set("secret", "s3cr3t");
  {
    trace::ContextScope scope(trace::Context(trace::SpanContext(), baggage));
    InferenceSpan call = genai->StartInference({.provider = "openai", .model = "gpt-4o"});
    call.End();
  }
  auto span = p.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "user.id"), "alice");
  EXPECT_FALSE(HasAttr(*span, "secret"));
}

TEST(InferenceSpanTest, OneCallLogRecordCorrelatedWithTheSpanCarriesTheSeedFields) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  Message messages[] = {{"user", "Email me at jane@example.com"}};
  {
    InferenceSpan call =
        genai->StartInference({.provider = "openai",
                               .model = "gpt-4o",
                               .stream = true,
                               .messages = messages,
                               .metadata = {.user_id = "u-42", .session_id = "s-7"}});
    p.clock.Advance(milliseconds(200));
    call.OnChunk("Sure.");
    p.clock.Advance(milliseconds(100));
    call.AddFinishReason("stop");
    call.SetUsage({.input_tokens = 12, .output_tokens = 2});
    call.End();
  }
  auto span = p.Span("chat gpt-4o");
  auto records = p.records->Records();
  ASSERT_EQ(records.size(), 1u);
  const logs::LogRecordData& record = *records[0];
  EXPECT_EQ(record.severity(), logs::Severity::kInfo);
  EXPECT_EQ(record.body().AsString(), "LLM call completed");
  EXPECT_EQ(record.trace_id(), span->context().trace_id());
  EXPECT_EQ(record.span_id(), span->context().span_id());
  EXPECT_EQ(Attr(record, "gen_ai.request.model"), "gpt-4o");
  EXPECT_EQ(Attr(record, "llmtrace.prompt.sha256"),
            Sha256Hex("user\nEmail me at jane@example.com\n"));
  EXPECT_EQ(Attr(record, "llmtrace.prompt.length"), "28");
  EXPECT_EQ(Attr(record, "llmtrace.response.sha256"), Sha256Hex("Sure."));
  EXPECT_EQ(Attr(record, "llmtrace.response.length"), "5");
  EXPECT_EQ(Attr(record, "gen_ai.usage.input_tokens"), "12");
  EXPECT_EQ(Attr(record, "gen_ai.usage.output_tokens"), "2");
  EXPECT_EQ(Attr(record, "llmtrace.duration_ms"), "300");
  EXPECT_EQ(Attr(record, "llmtrace.ttft_ms"), "200");
  EXPECT_EQ(Attr(record, "gen_ai.response.finish_reasons"), "[\"stop\"]");
  EXPECT_EQ(Attr(record, "user.id"), "u-42");
  EXPECT_EQ(Attr(record, "session.id"), "s-7");
  // Content is off by default: not in the record either.
  EXPECT_FALSE(HasAttr(record, "llmtrace.prompt.sanitized"));
  for (const KeyValue& kv : record.attributes()) {
    EXPECT_EQ(kv.value.ToString().find("jane@example.com"), std::string::npos) << kv.key;
  }
}

TEST(InferenceSpanTest, CapturedContentIsRedactedOnSpanEventAndLog) {
  GenAiPipeline p;
  auto options = p.Options();
  auto capture = ContentCapture::Create({.mode = ContentCaptureMode::kSpanAndEvent});
  ASSERT_TRUE(capture.ok()) << capture.status().ToString();
  options.content_capture = *capture;
  auto genai = p.Create(std::move(options));
  Message messages[] = {{"user", "My email is jane@example.com"}};
  {
    InferenceSpan call = genai->StartInference(
        {.provider = "openai",
         .model = "gpt-4o",
         .messages = messages,
         .system_instructions = "Never reveal sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD"});
    call.SetOutput("I will write to jane@example.com");
    call.AddFinishReason("stop");
    call.End();
  }
  auto span = p.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "gen_ai.input.messages"),
            R"([{"role":"user","parts":[{"type":"text","content":"My email is [EMAIL]"}]}])");
  EXPECT_EQ(
      Attr(*span, "gen_ai.output.messages"),
      R"([{"role":"assistant","parts":[{"type":"text","content":"I will write to [EMAIL]"}],"finish_reason":"stop"}])");
  EXPECT_EQ(Attr(*span, "gen_ai.system_instructions"),
            R"([{"type":"text","content":"Never reveal [API_KEY]"}])");
  ASSERT_EQ(span->events().size(), 1u);
  EXPECT_EQ(span->events()[0].name, "gen_ai.client.inference.operation.details");
  auto records = p.records->Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(Attr(*records[0], "llmtrace.response.sanitized"), "I will write to [EMAIL]");
  // The hash is of the raw text, so equal content correlates across calls.
  EXPECT_EQ(Attr(*span, "llmtrace.response.sha256"), Sha256Hex("I will write to jane@example.com"));
}

TEST(InferenceSpanTest, HardBudgetLimitRefusesTheCallAndTheSpanSaysWhy) {
  GenAiPipeline p;
  auto ledger =
      BudgetLedger::Create({.budgets = {{.name = "tiny", .limit_usd = 0.01}}, .clock = &p.clock});
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto options = p.Options();
  options.pricing = TestCatalog();
  options.budgets = *ledger;
  auto genai = p.Create(std::move(options));
  {
    // 2000 output tokens of gpt-4o at $10 per million = $0.02: over the $0.01 limit.
    InferenceSpan call =
        genai->StartInference({.provider = "openai", .model = "gpt-4o", .max_tokens = 2000});
    EXPECT_FALSE(call.admitted());
    EXPECT_EQ(call.admission().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(call.admission().message().find("tiny"), std::string::npos);
  }
  auto span = p.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "error.type"), "budget_exceeded");
  EXPECT_EQ(Attr(*span, "llmtrace.budget.exceeded"), "true");
  EXPECT_EQ(span->status(), trace::SpanStatus::kError);
  auto snapshot = p.metrics->reader->Collect();
  const auto& rejections = mt::Sum(mt::FindMetric(snapshot, "llmtrace.budget.rejections"));
  ASSERT_EQ(rejections.points.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(rejections.points[0].value), 1);
}

TEST(InferenceSpanTest, AdmittedCallSettlesItsRealCostAgainstTheBudget) {
  GenAiPipeline p;
  auto ledger =
      BudgetLedger::Create({.budgets = {{.name = "daily", .limit_usd = 1.0}}, .clock = &p.clock});
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  auto options = p.Options();
  options.pricing = TestCatalog();
  options.budgets = *ledger;
  auto genai = p.Create(std::move(options));
  {
    InferenceSpan call =
        genai->StartInference({.provider = "openai", .model = "gpt-4o", .max_tokens = 100});
    ASSERT_TRUE(call.admitted());
    auto during = (*ledger)->State("daily");
    ASSERT_TRUE(during.ok());
    EXPECT_GT(during->reserved.cost, 0);  // the estimate is held while the call runs
    call.SetUsage({.input_tokens = 1000, .output_tokens = 100});
    call.End();
  }
  auto after = (*ledger)->State("daily");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->reserved.cost, 0);
  EXPECT_NEAR(after->spent.cost, 0.0025 + 0.001, 1e-12);
  EXPECT_EQ(after->spent.tokens, 1100);
}

TEST(InferenceSpanTest, WorksWithNoProvidersAtAll) {
  auto genai = Instrumentation::Create({});
  ASSERT_TRUE(genai.ok());
  InferenceSpan call = (*genai)->StartInference({.provider = "openai", .model = "gpt-4o"});
  call.OnChunk("x");
  call.SetUsage({.input_tokens = 1, .output_tokens = 1});
  call.End();
  EXPECT_TRUE(call.admitted());
  EXPECT_FALSE(call.cost().has_value());
}

TEST(InferenceSpanTest, EndIsIdempotentAndAMovedFromSpanRecordsNothing) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  {
    InferenceSpan first = genai->StartInference({.provider = "openai", .model = "gpt-4o"});
    InferenceSpan second = std::move(first);
    second.End();
    second.End();
  }
  EXPECT_EQ(p.spans->size(), 1u);
  EXPECT_EQ(p.records->size(), 1u);
}

}  // namespace
}  // namespace llmtrace::genai
