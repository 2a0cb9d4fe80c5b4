// The Prometheus names of the metrics the SLA rules and dashboard read, as llmtrace's exposition
// renders them (src/metrics/prometheus_exposition.cc: dots to underscores, "s" to _seconds,
// "{...}" units dropped, _total on counters). sla_rules_test.cc checks each one against the
// exposition of a live Instrumentation, so a renamed metric cannot leave the rules reading
// nothing.
#pragma once

#include <string_view>

#include "llmtrace/genai/semconv.h"

namespace llmtrace::genai::internal {

struct SlaMetricNames {
  std::string_view duration;             // histogram, seconds
  std::string_view time_to_first_chunk;  // histogram, seconds
  // v1.41: one histogram labelled gen_ai_token_type; latest: a counter per token type.
  std::string_view token_usage_histogram;
  std::string_view input_tokens_counter;
  std::string_view output_tokens_counter;
};

inline SlaMetricNames SlaMetricNamesFor(SemconvFlavour flavour) {
  if (flavour == SemconvFlavour::kLatest) {
    return {"gen_ai_client_inference_duration_seconds",
            "gen_ai_client_inference_time_to_first_chunk_seconds", "",
            "gen_ai_client_inference_usage_input_tokens_total",
            "gen_ai_client_inference_usage_output_tokens_total"};
  }
  return {"gen_ai_client_operation_duration_seconds",
          "gen_ai_client_operation_time_to_first_chunk_seconds", "gen_ai_client_token_usage", "",
          ""};
}

inline constexpr std::string_view kPromCalls = "llmtrace_genai_calls_total";
inline constexpr std::string_view kPromCost = "llmtrace_genai_cost_total";
inline constexpr std::string_view kPromBudgetRemaining = "llmtrace_budget_remaining";
inline constexpr std::string_view kPromBudgetLimit = "llmtrace_budget_limit";

// Label names as the exposition writes the attribute keys.
inline constexpr std::string_view kPromModel = "gen_ai_request_model";
inline constexpr std::string_view kPromErrorType = "error_type";
inline constexpr std::string_view kPromTokenType = "gen_ai_token_type";
inline constexpr std::string_view kPromBudgetName = "llmtrace_budget_name";

}  // namespace llmtrace::genai::internal
