// Built against an installed llmtrace (find_package and pkg-config): runs the README's snippet
// with the OTLP exporter pointed at a closed port, so it also links curl, zlib and simdjson.
#include <cstdio>
#include <cstdlib>

#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

int main() {
  setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", 1);  // discard port: nothing there
  setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "200", 1);
  setenv("OTEL_LOG_LEVEL", "error", 1);  // the failed export is expected; keep the output clean

  // --- README snippet ---
  using namespace llmtrace;
  EnvironmentReader env(ProcessEnvironment::Instance());
  trace::TracerProviderOptions options;
  options.processors.push_back(*trace::BatchSpanProcessor::Create(
      *otlp::OtlpHttpSpanExporter::Create(
          otlp::OtlpHttpOptions::FromEnvironment(env, otlp::OtlpSignal::kTraces)),
      trace::BatchSpanProcessorOptions::FromEnvironment(env)));
  auto provider = *trace::TracerProvider::Create(std::move(options));
  auto tracer = provider->GetTracer("my-app");

  trace::Span span = tracer->StartSpan(
      "chat gpt-4o", {{"gen_ai.operation.name", "chat"}, {"gen_ai.request.model", "gpt-4o"}},
      {.kind = trace::SpanKind::kClient});
  span.SetAttribute("gen_ai.usage.output_tokens", 187);
  span.End();
  // --- end of snippet ---

  if (!span.context().IsValid() || span.IsRecording()) return 1;
  (void)provider->Shutdown(std::chrono::seconds(5));
  std::puts("consumer: built against the installed llmtrace; recorded and exported 1 span");
  return 0;
}
