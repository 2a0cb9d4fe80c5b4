// Helpers shared by the trace tests: a provider wired to an in-memory exporter and a ManualClock.
#pragma once

#include <memory>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/trace/in_memory_span_exporter.h"
#include "llmtrace/trace/simple_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::trace::testing {

struct TestPipeline {
  ManualClock clock;
  MapEnvironment env;
  std::shared_ptr<InMemorySpanData> spans = std::make_shared<InMemorySpanData>();
  std::shared_ptr<TracerProvider> provider;
  std::shared_ptr<Tracer> tracer;

  explicit TestPipeline(TracerProviderOptions options = {}) {
    options.clock = &clock;
    if (options.environment == nullptr) options.environment = &env;
    options.processors.push_back(
        std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(spans)));
    provider = *TracerProvider::Create(std::move(options));
    tracer = provider->GetTracer("test-scope", "1.0.0");
  }
};

}  // namespace llmtrace::trace::testing
