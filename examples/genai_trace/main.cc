// The demo: records the trace of one question answered by a RAG pipeline (embed the question,
// search a vector store, ask a chat model, which calls a tool) with OpenTelemetry GenAI
// attributes, prints it, and exports it as OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set. No model is called: timings and token counts are
// those of a typical run, so the output is the same every time but for the ids.
//
//   build/examples/genai_trace_example
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 build/examples/genai_trace_example
#include <cstdio>
#include <iostream>
#include <memory>

#include "llmtrace/common/environment.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/ostream_span_exporter.h"
#include "llmtrace/trace/simple_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace {

using namespace llmtrace;
using namespace llmtrace::trace;
using std::chrono::milliseconds;

// Records the pipeline with explicit timestamps laid out from `t0`.
void RecordRagTrace(Tracer& tracer, Timestamp t0) {
  Span workflow = tracer.StartSpan(
      "invoke_workflow rag_pipeline",
      {{"gen_ai.operation.name", "invoke_workflow"}, {"gen_ai.workflow.name", "rag_pipeline"}},
      {.start_time = t0});
  ContextScope in_workflow = workflow.Activate();

  tracer
      .StartSpan("embeddings text-embedding-3-small",
                 {{"gen_ai.operation.name", "embeddings"},
                  {"gen_ai.provider.name", "openai"},
                  {"gen_ai.request.model", "text-embedding-3-small"},
                  {"gen_ai.usage.input_tokens", 14},
                  {"server.address", "api.openai.com"},
                  {"server.port", 443}},
                 {.kind = SpanKind::kClient, .start_time = t0 + milliseconds(2)})
      .End(t0 + milliseconds(48));

  Span retrieval = tracer.StartSpan(
      "retrieval product_docs",
      {{"gen_ai.operation.name", "retrieval"}, {"gen_ai.data_source.id", "product_docs"}},
      {.kind = SpanKind::kClient, .start_time = t0 + milliseconds(49)});
  retrieval.AddEvent("gen_ai.retrieval.document", t0 + milliseconds(61),
                     std::initializer_list<KeyValue>{{"id", "doc-17"}, {"score", 0.91}});
  retrieval.AddEvent("gen_ai.retrieval.document", t0 + milliseconds(61),
                     std::initializer_list<KeyValue>{{"id", "doc-4"}, {"score", 0.87}});
  retrieval.SetAttribute("llmtrace.retrieval.documents", 2);
  retrieval.End(t0 + milliseconds(62));

  Span chat = tracer.StartSpan("chat gpt-4o",
                               {{"gen_ai.operation.name", "chat"},
                                {"gen_ai.provider.name", "openai"},
                                {"gen_ai.request.model", "gpt-4o"},
                                {"gen_ai.request.max_tokens", 512},
                                {"gen_ai.request.temperature", 0.2},
                                {"gen_ai.request.stream", true},
                                {"server.address", "api.openai.com"},
                                {"server.port", 443}},
                               {.kind = SpanKind::kClient, .start_time = t0 + milliseconds(63)});
  {
    ContextScope in_chat = chat.Activate();
    tracer
        .StartSpan("execute_tool get_order_status",
                   {{"gen_ai.operation.name", "execute_tool"},
                    {"gen_ai.tool.name", "get_order_status"},
                    {"gen_ai.tool.call.id", "call_8f2a"}},
                   {.start_time = t0 + milliseconds(540)})
        .End(t0 + milliseconds(587));
  }
  chat.AddEvent("gen_ai.content.first_chunk", t0 + milliseconds(412), {});
  chat.SetAttributes({{"gen_ai.response.model", "gpt-4o-2024-08-06"},
                      {"gen_ai.response.id", "chatcmpl-9xYz"},
                      {"gen_ai.response.finish_reasons", {"stop"}},
                      {"gen_ai.usage.input_tokens", 1264},
                      {"gen_ai.usage.cache_read.input_tokens", 1024},
                      {"gen_ai.usage.output_tokens", 187},
                      {"gen_ai.response.time_to_first_chunk", 0.349}});
  chat.End(t0 + milliseconds(1310));

  workflow.SetAttribute("llmtrace.workflow.answer_length", 642);
  workflow.End(t0 + milliseconds(1312));
}

}  // namespace

int main() {
  EnvironmentReader env(ProcessEnvironment::Instance());
  bool export_otlp = env.GetString("OTEL_EXPORTER_OTLP_ENDPOINT").has_value() ||
                     env.GetString("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").has_value();

  TracerProviderOptions options;
  options.resource_attributes.Set("service.name", "llmtrace-demo");
  options.resource_attributes.Set("service.version", SdkVersion());
  options.processors.push_back(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<OstreamSpanExporter>(std::cout)));

  otlp::OtlpHttpSpanExporter* otlp_exporter = nullptr;
  BatchSpanProcessor* batch = nullptr;
  if (export_otlp) {
    auto exporter = otlp::OtlpHttpSpanExporter::Create(
        otlp::OtlpHttpOptions::FromEnvironment(env, otlp::OtlpSignal::kTraces));
    if (!exporter.ok()) {
      std::fprintf(stderr, "demo: %s\n", exporter.status().ToString().c_str());
      return 2;
    }
    otlp_exporter = exporter->get();
    auto processor = BatchSpanProcessor::Create(std::move(*exporter),
                                                BatchSpanProcessorOptions::FromEnvironment(env));
    if (!processor.ok()) {
      std::fprintf(stderr, "demo: %s\n", processor.status().ToString().c_str());
      return 2;
    }
    batch = processor->get();
    options.processors.push_back(std::move(*processor));
  }
  env.LogWarnings();

  auto provider = TracerProvider::Create(std::move(options));
  if (!provider.ok()) {
    std::fprintf(stderr, "demo: %s\n", provider.status().ToString().c_str());
    return 2;
  }
  auto tracer = (*provider)->GetTracer("llmtrace.examples.genai_trace", SdkVersion());

  std::printf("llmtrace demo: one RAG question, traced with OpenTelemetry GenAI conventions\n\n");
  RecordRagTrace(*tracer, SystemClock::Instance().Now());
  Status flushed = (*provider)->Shutdown(std::chrono::seconds(15));

  if (!export_otlp) {
    std::printf(
        "\n6 spans printed. Set OTEL_EXPORTER_OTLP_ENDPOINT=http://host:4318 to also send "
        "them to an OpenTelemetry Collector.\n");
    return 0;
  }
  auto stats = otlp_exporter->stats();
  std::printf(
      "\nOTLP export to %s: %llu spans delivered, %llu lost, %llu HTTP requests "
      "(%llu retries); batch queue dropped %llu\n",
      otlp_exporter->options().endpoint.c_str(),
      static_cast<unsigned long long>(stats.items_exported),
      static_cast<unsigned long long>(stats.items_failed),
      static_cast<unsigned long long>(stats.requests),
      static_cast<unsigned long long>(stats.retries),
      static_cast<unsigned long long>(batch->stats().spans_dropped_queue_full));
  if (!flushed.ok()) std::fprintf(stderr, "demo: %s\n", flushed.ToString().c_str());
  return stats.items_failed == 0 && flushed.ok() ? 0 : 1;
}
