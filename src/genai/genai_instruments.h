// The metric instruments the genai layer records into, created once per Instrumentation for the
// chosen semantic-convention flavour. Instruments of the flavour not chosen stay no-op handles,
// so recording into them costs one branch.
#pragma once

#include <cstdint>

#include "llmtrace/genai/semconv.h"
#include "llmtrace/metrics/meter.h"

namespace llmtrace::genai::internal {

struct GenAiInstruments {
  GenAiInstruments() = default;
  GenAiInstruments(metrics::Meter& meter, SemconvFlavour flavour);

  // v1.41.
  metrics::Histogram<std::int64_t> token_usage;  // gen_ai.token.type = input | output
  metrics::Histogram<double> operation_duration;
  metrics::Histogram<double> time_to_first_chunk;
  metrics::Histogram<double> time_per_output_chunk;
  // Latest.
  metrics::Histogram<double> inference_duration;
  metrics::Histogram<double> inference_time_to_first_chunk;
  metrics::Histogram<double> inference_time_per_output_chunk;
  metrics::Counter<std::int64_t> usage_input_tokens;
  metrics::Counter<std::int64_t> usage_output_tokens;
  metrics::Counter<std::int64_t> usage_cache_read_input_tokens;
  metrics::Counter<std::int64_t> usage_cache_write_input_tokens;
  metrics::Counter<std::int64_t> usage_reasoning_output_tokens;
  metrics::Histogram<std::int64_t> operation_input_tokens;
  metrics::Histogram<std::int64_t> operation_output_tokens;
  metrics::Histogram<double> execute_tool_duration;
  metrics::Histogram<double> invoke_agent_duration;
  // llmtrace's own, in every flavour.
  metrics::Counter<double> cost;
  metrics::Counter<std::int64_t> calls;
  metrics::Counter<std::int64_t> errors;  // once per failed operation, at its end
  metrics::Counter<std::int64_t> unpriced_calls;
  metrics::Counter<std::int64_t> budget_rejections;
};

}  // namespace llmtrace::genai::internal
