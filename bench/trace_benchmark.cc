// Hot-path costs of the tracing core, each next to the conventional baseline
// (baseline/conventional_tracer.h) measured in the same run. bench/run.sh prints the ratios and
// the targets. Spans go through the BatchSpanProcessor to an exporter that accepts and
// discards, so what is measured is the SDK's own cost; every benchmark fails if a span is dropped.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "bench/baseline/conventional_tracer.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::bench {
namespace {

using trace::Span;

class DiscardingExporter final : public trace::SpanExporter {
 public:
  ExportResult Export(std::span<const trace::SpanDataPtr> batch, MonotonicTime) noexcept override {
    benchmark::DoNotOptimize(batch.data());
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
};

struct BatchPipeline {
  MapEnvironment env;
  trace::BatchSpanProcessor* processor = nullptr;
  std::shared_ptr<trace::TracerProvider> provider;
  std::shared_ptr<trace::Tracer> tracer;

  BatchPipeline() {
    // The specification's defaults: queue 2048, batch 512.
    auto processor_result =
        trace::BatchSpanProcessor::Create(std::make_unique<DiscardingExporter>());
    processor = processor_result->get();
    trace::TracerProviderOptions options;
    options.environment = &env;
    options.processors.push_back(std::move(*processor_result));
    provider = *trace::TracerProvider::Create(std::move(options));
    tracer = provider->GetTracer("bench");
  }

  // Flushes and reports drops: a run that dropped spans did not measure a sustainable rate, and
  // bench/run.sh says so next to its time.
  void Finish(benchmark::State& state) {
    (void)provider->ForceFlush(std::chrono::seconds(30));
    state.counters["dropped"] = static_cast<double>(processor->stats().spans_dropped_queue_full);
  }
};

void Llmtrace_SpanWith8Attributes(benchmark::State& state) {
  BatchPipeline p;
  for (auto _ : state) {
    Span span = p.tracer->StartSpan("chat gpt-4o-mini",
                                    {{"gen_ai.operation.name", "chat"},
                                     {"gen_ai.provider.name", "openai"},
                                     {"gen_ai.request.model", "gpt-4o-mini"},
                                     {"server.address", "api.openai.com"},
                                     {"server.port", 443}},
                                    {.kind = trace::SpanKind::kClient});
    span.SetAttribute("gen_ai.usage.input_tokens", 1200);
    span.SetAttribute("gen_ai.usage.output_tokens", 350);
    span.SetAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    span.End();
  }
  p.Finish(state);
}
BENCHMARK(Llmtrace_SpanWith8Attributes);

void Conventional_SpanWith8Attributes(benchmark::State& state) {
  ConventionalBatchProcessor processor;
  ConventionalTracer tracer(processor);
  for (auto _ : state) {
    auto span = tracer.Start("chat gpt-4o-mini");
    span->attributes["gen_ai.operation.name"] = std::string("chat");
    span->attributes["gen_ai.provider.name"] = std::string("openai");
    span->attributes["gen_ai.request.model"] = std::string("gpt-4o-mini");
    span->attributes["server.address"] = std::string("api.openai.com");
    span->attributes["server.port"] = std::int64_t{443};
    span->attributes["gen_ai.usage.input_tokens"] = std::int64_t{1200};
    span->attributes["gen_ai.usage.output_tokens"] = std::int64_t{350};
    span->attributes["gen_ai.response.model"] = std::string("gpt-4o-mini-2024-07-18");
    tracer.End(std::move(span));
  }
  state.counters["dropped"] = static_cast<double>(processor.dropped());
}
BENCHMARK(Conventional_SpanWith8Attributes);

void Llmtrace_NestedParentChild(benchmark::State& state) {
  BatchPipeline p;
  for (auto _ : state) {
    Span parent = p.tracer->StartSpan("invoke_agent planner");
    {
      trace::ContextScope scope = parent.Activate();
      Span child = p.tracer->StartSpan("execute_tool search");
      child.End();
    }
    parent.End();
  }
  p.Finish(state);
}
BENCHMARK(Llmtrace_NestedParentChild);

void Conventional_NestedParentChild(benchmark::State& state) {
  ConventionalBatchProcessor processor;
  ConventionalTracer tracer(processor);
  for (auto _ : state) {
    auto parent = tracer.Start("invoke_agent planner");
    auto child = tracer.Start("execute_tool search", parent->span_id);
    tracer.End(std::move(child));
    tracer.End(std::move(parent));
  }
}
BENCHMARK(Conventional_NestedParentChild);

// The same span with a processor that recycles it on the spot: the cost of recording alone,
// without the hand-off to the export thread.
class RecycleAtOnce final : public trace::SpanProcessor {
 public:
  void OnEnd(trace::SpanDataPtr span) noexcept override { benchmark::DoNotOptimize(span.get()); }
  Status ForceFlush(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
  Status Shutdown(std::chrono::milliseconds) noexcept override { return Status::Ok(); }
};

void Llmtrace_SpanWith8Attributes_RecordOnly(benchmark::State& state) {
  MapEnvironment env;
  trace::TracerProviderOptions options;
  options.environment = &env;
  options.processors.push_back(std::make_unique<RecycleAtOnce>());
  auto provider = *trace::TracerProvider::Create(std::move(options));
  auto tracer = provider->GetTracer("bench");
  for (auto _ : state) {
    Span span = tracer->StartSpan("chat gpt-4o-mini",
                                  {{"gen_ai.operation.name", "chat"},
                                   {"gen_ai.provider.name", "openai"},
                                   {"gen_ai.request.model", "gpt-4o-mini"},
                                   {"server.address", "api.openai.com"},
                                   {"server.port", 443}},
                                  {.kind = trace::SpanKind::kClient});
    span.SetAttribute("gen_ai.usage.input_tokens", 1200);
    span.SetAttribute("gen_ai.usage.output_tokens", 350);
    span.SetAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    span.End();
  }
}
BENCHMARK(Llmtrace_SpanWith8Attributes_RecordOnly);

// Span timestamps: the TSC-derived SystemClock against clock_gettime(CLOCK_REALTIME).
void Llmtrace_ClockNow(benchmark::State& state) {
  const Clock& clock = SystemClock::Instance();
  for (auto _ : state) benchmark::DoNotOptimize(clock.Now());
}
BENCHMARK(Llmtrace_ClockNow);

void Baseline_ClockGettime(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(std::chrono::system_clock::now());
}
BENCHMARK(Baseline_ClockGettime);

const std::string& OneKiB() {
  static const std::string text(1024, 'x');
  return text;
}

void Llmtrace_SpanWithTwo1KiBEvents(benchmark::State& state) {
  BatchPipeline p;
  for (auto _ : state) {
    Span span = p.tracer->StartSpan("chat gpt-4o");
    span.AddEvent("gen_ai.user.message", {{"content", OneKiB()}});
    span.AddEvent("gen_ai.choice", {{"content", OneKiB()}});
    span.End();
  }
  p.Finish(state);
}
BENCHMARK(Llmtrace_SpanWithTwo1KiBEvents);

void Conventional_SpanWithTwo1KiBEvents(benchmark::State& state) {
  ConventionalBatchProcessor processor;
  ConventionalTracer tracer(processor);
  for (auto _ : state) {
    auto span = tracer.Start("chat gpt-4o");
    for (const char* name : {"gen_ai.user.message", "gen_ai.choice"}) {
      ConventionalEvent event{name, std::chrono::system_clock::now(), {}};
      event.attributes["content"] = OneKiB();
      span->events.push_back(std::move(event));
    }
    tracer.End(std::move(span));
  }
}
BENCHMARK(Conventional_SpanWithTwo1KiBEvents);

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
