// Built against an installed llmtrace: records one span into memory and checks it arrived.
#include <cstdio>

#include "llmtrace/otlp/trace_encoder.h"
#include "llmtrace/trace/in_memory_span_exporter.h"
#include "llmtrace/trace/simple_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

int main() {
  using namespace llmtrace::trace;
  auto spans = std::make_shared<InMemorySpanData>();
  TracerProviderOptions options;
  options.processors.push_back(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(spans)));
  auto provider = TracerProvider::Create(std::move(options));
  if (!provider.ok()) return 1;
  (*provider)->GetTracer("consumer")->StartSpan("chat gpt-4o", {{"gen_ai.operation.name", "chat"}})
      .End();
  if (spans->size() != 1) return 1;
  std::puts("consumer: linked against the installed llmtrace and recorded 1 span");
  return 0;
}
