// Helpers shared by the logs tests: a LoggerProvider wired to an in-memory exporter and a
// ManualClock, and a TracerProvider to make spans to correlate with.
#pragma once

#include <memory>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/logs/in_memory_log_record_exporter.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/logs/simple_log_record_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::logs::testing {

struct LogPipeline {
  ManualClock clock;
  MapEnvironment env;
  std::shared_ptr<InMemoryLogRecordData> records = std::make_shared<InMemoryLogRecordData>();
  std::shared_ptr<LoggerProvider> provider;
  std::shared_ptr<Logger> logger;
  std::shared_ptr<trace::TracerProvider> tracer_provider;
  std::shared_ptr<trace::Tracer> tracer;

  explicit LogPipeline(LoggerProviderOptions options = {}, MapEnvironment environment = {})
      : env(std::move(environment)) {
    options.clock = &clock;
    if (options.environment == nullptr) options.environment = &env;
    options.processors.push_back(std::make_unique<SimpleLogRecordProcessor>(
        std::make_unique<InMemoryLogRecordExporter>(records)));
    provider = *LoggerProvider::Create(std::move(options));
    logger = provider->GetLogger("test-scope", "1.0.0");

    trace::TracerProviderOptions trace_options;
    trace_options.clock = &clock;
    trace_options.environment = &env;
    tracer_provider = *trace::TracerProvider::Create(std::move(trace_options));
    tracer = tracer_provider->GetTracer("test-tracer");
  }

  std::shared_ptr<const LogRecordData> Only() const {
    auto all = records->Records();
    return all.size() == 1 ? all.front() : nullptr;
  }
};

}  // namespace llmtrace::logs::testing
