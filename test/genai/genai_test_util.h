// A complete in-memory telemetry pipeline for genai tests: spans, metrics and log records on
// one ManualClock, plus lookups into what was recorded.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/logs/in_memory_log_record_exporter.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/logs/simple_log_record_processor.h"
#include "llmtrace/trace/in_memory_span_exporter.h"
#include "llmtrace/trace/sampler.h"
#include "llmtrace/trace/simple_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"
#include "test/metrics/metrics_test_util.h"

namespace llmtrace::genai::testing {

struct GenAiPipeline {
  ManualClock clock;
  MapEnvironment env;
  std::shared_ptr<trace::InMemorySpanData> spans = std::make_shared<trace::InMemorySpanData>();
  std::shared_ptr<logs::InMemoryLogRecordData> records =
      std::make_shared<logs::InMemoryLogRecordData>();
  std::shared_ptr<trace::TracerProvider> tracer_provider;
  std::shared_ptr<logs::LoggerProvider> logger_provider;
  std::unique_ptr<metrics::testing::TestPipeline> metrics;

  GenAiPipeline() {
    trace::TracerProviderOptions tracing;
    tracing.processors.push_back(std::make_unique<trace::SimpleSpanProcessor>(
        std::make_unique<trace::InMemorySpanExporter>(spans)));
    tracing.sampler = std::make_shared<trace::AlwaysOnSampler>();
    tracing.clock = &clock;
    tracing.environment = &env;
    tracer_provider = *trace::TracerProvider::Create(std::move(tracing));
    logs::LoggerProviderOptions logging;
    logging.processors.push_back(std::make_unique<logs::SimpleLogRecordProcessor>(
        std::make_unique<logs::InMemoryLogRecordExporter>(records)));
    logging.clock = &clock;
    logging.environment = &env;
    logger_provider = *logs::LoggerProvider::Create(std::move(logging));
    metrics = std::make_unique<metrics::testing::TestPipeline>();
  }

  // Options wired to this pipeline; tests add pricing, budgets, capture.
  InstrumentationOptions Options() {
    InstrumentationOptions options;
    options.tracer_provider = tracer_provider;
    options.meter_provider = metrics->provider;
    options.logger_provider = logger_provider;
    options.clock = &clock;
    return options;
  }

  std::shared_ptr<Instrumentation> Create(InstrumentationOptions options) {
    auto created = Instrumentation::Create(std::move(options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : nullptr;
  }

  std::shared_ptr<const trace::SpanData> Span(std::string_view name) const {
    auto span = spans->Find(name);
    EXPECT_NE(span, nullptr) << "no span named '" << name << "'";
    return span;
  }
};

inline std::span<const KeyValue> AttributesOf(const trace::SpanEvent& event) {
  return event.attributes;
}
template <typename Data>
std::span<const KeyValue> AttributesOf(const Data& data) {
  return data.attributes();
}

// The attribute `key` of a span, event or log record as text ("" when absent): strings as they
// are, other types as AttributeValue::ToString() writes them (arrays as JSON).
template <typename Data>
std::string Attr(const Data& data, std::string_view key) {
  for (const KeyValue& kv : AttributesOf(data)) {
    if (kv.key != key) continue;
    if (kv.value.type() == AttributeValue::Type::kString) return std::string(kv.value.AsString());
    return kv.value.ToString();
  }
  return "";
}
template <typename Data>
bool HasAttr(const Data& data, std::string_view key) {
  for (const KeyValue& kv : AttributesOf(data)) {
    if (kv.key == key) return true;
  }
  return false;
}

}  // namespace llmtrace::genai::testing
