// (d) OTLP encoding throughput: a batch of 512 GenAI-like spans (8 attributes, one event)
// encoded as protobuf and as JSON, next to the baseline of copying the same number of output
// bytes (the memory-bandwidth floor any encoder pays), measured in the same run.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "llmtrace/otlp/trace_encoder.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::bench {
namespace {

struct Batch {
  MapEnvironment env;
  std::shared_ptr<trace::TracerProvider> provider;
  std::vector<trace::SpanDataPtr> spans;

  Batch() {
    trace::TracerProviderOptions options;
    options.environment = &env;
    options.resource_attributes.Set("service.name", "rag-api");
    provider = *trace::TracerProvider::Create(std::move(options));
    auto tracer = provider->GetTracer("llmtrace.genai", "0.1.0");
    for (int i = 0; i < 512; ++i) {
      trace::SpanDataPtr data = trace::AcquireSpanData();
      data->Begin(trace::SpanContext(RandomIdGenerator::Instance().NewTraceId(),
                                     RandomIdGenerator::Instance().NewSpanId(),
                                     trace::TraceFlags(1), false),
                  RandomIdGenerator::Instance().NewSpanId(), false, "chat gpt-4o-mini",
                  trace::SpanKind::kClient, SystemClock::Instance().Now(), trace::SpanLimits{},
                  provider->resource(), tracer->scope());
      data->SetAttribute("gen_ai.operation.name", "chat");
      data->SetAttribute("gen_ai.provider.name", "openai");
      data->SetAttribute("gen_ai.request.model", "gpt-4o-mini");
      data->SetAttribute("server.address", "api.openai.com");
      data->SetAttribute("server.port", 443);
      data->SetAttribute("gen_ai.usage.input_tokens", 1200 + i);
      data->SetAttribute("gen_ai.usage.output_tokens", 350);
      data->SetAttribute("gen_ai.response.finish_reasons", {"stop"});
      KeyValue event_attributes[] = {{"gen_ai.response.time_to_first_chunk", 0.21}};
      data->AddEvent("gen_ai.content.first_chunk", SystemClock::Instance().Now(), event_attributes);
      data->SetEndTime(SystemClock::Instance().Now());
      spans.push_back(std::move(data));
    }
  }
};

Batch& SharedBatch() {
  static Batch batch;
  return batch;
}

void Report(benchmark::State& state, std::size_t bytes_per_iteration) {
  state.SetItemsProcessed(state.iterations() * 512);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes_per_iteration));
}

void Llmtrace_EncodeProto512Spans(benchmark::State& state) {
  Batch& batch = SharedBatch();
  std::string out;
  for (auto _ : state) {
    out.clear();
    otlp::EncodeTraceRequestProto(batch.spans, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["request_bytes"] = static_cast<double>(out.size());
  Report(state, out.size());
}
BENCHMARK(Llmtrace_EncodeProto512Spans);

void Llmtrace_EncodeJson512Spans(benchmark::State& state) {
  Batch& batch = SharedBatch();
  std::string out;
  for (auto _ : state) {
    out.clear();
    otlp::EncodeTraceRequestJson(batch.spans, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["request_bytes"] = static_cast<double>(out.size());
  Report(state, out.size());
}
BENCHMARK(Llmtrace_EncodeJson512Spans);

// The baseline: copying as many bytes as the protobuf request holds.
void Baseline_CopyProtoSizedBuffer(benchmark::State& state) {
  Batch& batch = SharedBatch();
  std::string encoded;
  otlp::EncodeTraceRequestProto(batch.spans, encoded);
  std::string out(encoded.size(), '\0');
  for (auto _ : state) {
    std::memcpy(out.data(), encoded.data(), encoded.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  Report(state, encoded.size());
}
BENCHMARK(Baseline_CopyProtoSizedBuffer);

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
