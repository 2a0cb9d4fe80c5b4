// The full overhead llmtrace adds to one LLM call (issue target: at most 2 µs), with a bare span
// measured in the same run as the baseline.
//
//   Llmtrace_InstrumentedChatCall: InferenceSpan start to End() for a chat call with a 2-message
//     prompt (~500 bytes) and a ~400-byte answer, content capture off: the span with every
//     request/response/usage attribute through the BatchSpanProcessor, the conventions' metrics
//     (duration, token usage x2, calls, cost by token class x3), the cost from the pricing
//     catalog, a budget reservation against 2 budgets settled with the real cost, SHA-256 of
//     prompt and answer, and the structured call log record through the BatchLogRecordProcessor.
//   Llmtrace_InstrumentedChatCall_NoHashing: the same with LLMTRACE_HASH_CONTENT=false.
//   Baseline_BareSpan: what a hand-rolled minimal instrumentation costs: one span with the 4
//     start attributes and 3 usage attributes through the same batch processor, nothing else.
// Exporters accept and discard; "dropped" reports what the queues shed (a run that drops did
// not measure a sustainable rate).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "bench/discarding_exporters.h"
#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/logs/batch_log_record_processor.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/metrics/metric_reader.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::bench {
namespace {

constexpr std::string_view kCatalog = R"({"models": {
  "gpt-4o": {"provider": "openai", "input": 2.5, "cache_read": 1.25, "cache_write": 2.5,
             "output": 10.0, "currency": "USD", "effective_date": "2024-10-01"}}})";

const std::string kSystem =
    "You are a support assistant for an online shop. Answer only from the context below; if "
    "the answer is not there, say so. Be brief and cite the policy section you used.";
const std::string kQuestion =
    "I ordered a pair of running shoes three weeks ago (order A-1042) and they arrived with a "
    "torn sole. Can I still return them for a full refund, and do I have to pay for the return "
    "shipping? I live in Germany, if that matters for the rules that apply to my order.";
const std::string kAnswer(400, 'a');

// One process-wide pipeline, as an application has.
struct Pipeline {
  MapEnvironment env;
  trace::BatchSpanProcessor* spans = nullptr;
  logs::BatchLogRecordProcessor* records = nullptr;
  std::shared_ptr<trace::TracerProvider> tracer_provider;
  std::shared_ptr<trace::Tracer> tracer;
  std::shared_ptr<metrics::MetricReader> reader = std::make_shared<metrics::MetricReader>();
  std::shared_ptr<metrics::MeterProvider> meter_provider;
  std::shared_ptr<logs::LoggerProvider> logger_provider;
  std::shared_ptr<genai::BudgetLedger> budgets;
  std::shared_ptr<const genai::PricingCatalog> pricing;

  Pipeline() {
    trace::TracerProviderOptions tracing;
    tracing.environment = &env;
    auto span_processor =
        *trace::BatchSpanProcessor::Create(std::make_unique<DiscardingSpanExporter>());
    spans = span_processor.get();
    tracing.processors.push_back(std::move(span_processor));
    tracer_provider = *trace::TracerProvider::Create(std::move(tracing));
    tracer = tracer_provider->GetTracer("bench");
    metrics::MeterProviderOptions metering;
    metering.environment = &env;
    metering.readers.push_back(reader);
    meter_provider = *metrics::MeterProvider::Create(std::move(metering));
    logs::LoggerProviderOptions logging;
    logging.environment = &env;
    auto log_processor =
        *logs::BatchLogRecordProcessor::Create(std::make_unique<DiscardingLogExporter>());
    records = log_processor.get();
    logging.processors.push_back(std::move(log_processor));
    logger_provider = *logs::LoggerProvider::Create(std::move(logging));
    pricing = *genai::PricingCatalog::FromJson(kCatalog, "bench catalog");
    budgets = *genai::BudgetLedger::Create({.budgets = {{.name = "global-daily", .limit_usd = 1e9},
                                                        {.name = "user-daily",
                                                         .scope = genai::BudgetScope::kUser,
                                                         .match = "user-7",
                                                         .limit_usd = 1e9}}});
  }

  std::shared_ptr<genai::Instrumentation> Instrument(bool hash_content) {
    return *genai::Instrumentation::Create({.tracer_provider = tracer_provider,
                                            .meter_provider = meter_provider,
                                            .logger_provider = logger_provider,
                                            .pricing = pricing,
                                            .budgets = budgets,
                                            .hash_content = hash_content});
  }

  void ReportDrops(benchmark::State& state, std::uint64_t spans_before,
                   std::uint64_t records_before) {
    state.counters["dropped"] =
        static_cast<double>(spans->stats().spans_dropped_queue_full - spans_before +
                            records->stats().records_dropped_queue_full - records_before);
  }
};

Pipeline& SharedPipeline() {
  static Pipeline* pipeline = new Pipeline();  // lives for the process, like an application's
  return *pipeline;
}

void RunInstrumentedCalls(benchmark::State& state, bool hash_content) {
  Pipeline& p = SharedPipeline();
  auto genai = p.Instrument(hash_content);
  const genai::Message messages[] = {{"system", kSystem}, {"user", kQuestion}};
  const std::uint64_t spans_before = p.spans->stats().spans_dropped_queue_full;
  const std::uint64_t records_before = p.records->stats().records_dropped_queue_full;
  for (auto _ : state) {
    genai::InferenceSpan call = genai->StartInference({.provider = "openai",
                                                       .model = "gpt-4o",
                                                       .server_address = "api.openai.com",
                                                       .server_port = 443,
                                                       .max_tokens = 512,
                                                       .temperature = 0.2,
                                                       .messages = messages,
                                                       .metadata = {.user_id = "user-7"}});
    call.SetResponseId("chatcmpl-9xYz");
    call.SetResponseModel("gpt-4o-2024-08-06");
    call.AddFinishReason("stop");
    call.SetUsage({.input_tokens = 1264, .output_tokens = 187, .cache_read_input_tokens = 1024});
    call.SetOutput(kAnswer);
    call.End();
  }
  p.ReportDrops(state, spans_before, records_before);
}

void Llmtrace_InstrumentedChatCall(benchmark::State& state) { RunInstrumentedCalls(state, true); }
void Llmtrace_InstrumentedChatCall_NoHashing(benchmark::State& state) {
  RunInstrumentedCalls(state, false);
}

void Baseline_BareSpan(benchmark::State& state) {
  Pipeline& p = SharedPipeline();
  const std::uint64_t spans_before = p.spans->stats().spans_dropped_queue_full;
  for (auto _ : state) {
    trace::Span span = p.tracer->StartSpan("chat gpt-4o",
                                           {{"gen_ai.operation.name", "chat"},
                                            {"gen_ai.provider.name", "openai"},
                                            {"gen_ai.request.model", "gpt-4o"},
                                            {"server.address", "api.openai.com"}},
                                           {.kind = trace::SpanKind::kClient});
    span.SetAttribute("gen_ai.usage.input_tokens", 1264);
    span.SetAttribute("gen_ai.usage.output_tokens", 187);
    span.SetAttribute("gen_ai.response.model", "gpt-4o-2024-08-06");
    span.End();
  }
  p.ReportDrops(state, spans_before, p.records->stats().records_dropped_queue_full);
}

BENCHMARK(Llmtrace_InstrumentedChatCall);
BENCHMARK(Llmtrace_InstrumentedChatCall_NoHashing);
BENCHMARK(Baseline_BareSpan);

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
