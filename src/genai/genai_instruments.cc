#include "src/genai/genai_instruments.h"

#include <iterator>
#include <vector>

namespace llmtrace::genai::internal {
namespace {

template <std::size_t N>
std::vector<double> Buckets(const double (&bounds)[N]) {
  return std::vector<double>(std::begin(bounds), std::end(bounds));
}

}  // namespace

GenAiInstruments::GenAiInstruments(metrics::Meter& meter, SemconvFlavour flavour) {
  const auto seconds = [](std::string_view description, std::vector<double> buckets) {
    return metrics::InstrumentOptions{description, "s", std::move(buckets)};
  };
  if (EmitsV141(flavour)) {
    token_usage = meter.CreateInt64Histogram(
        metric::kClientTokenUsage,
        {"Number of input and output tokens used.", "{token}", Buckets(kTokenUsageBuckets)});
    operation_duration = meter.CreateDoubleHistogram(
        metric::kClientOperationDuration,
        seconds("GenAI operation duration.", Buckets(kDurationBuckets)));
    time_to_first_chunk = meter.CreateDoubleHistogram(
        metric::kClientTimeToFirstChunk,
        seconds("Time to receive the first chunk of a streamed response.",
                Buckets(kTimeToFirstTokenBuckets)));
    time_per_output_chunk = meter.CreateDoubleHistogram(
        metric::kClientTimePerOutputChunk,
        seconds("Time between consecutive chunks of a streamed response.",
                Buckets(kTimePerOutputTokenBuckets)));
  }
  if (EmitsLatest(flavour)) {
    inference_duration = meter.CreateDoubleHistogram(
        metric::kInferenceDuration,
        seconds("GenAI inference duration.", Buckets(kDurationBuckets)));
    inference_time_to_first_chunk = meter.CreateDoubleHistogram(
        metric::kInferenceTimeToFirstChunk,
        seconds("Time to receive the first chunk of a streamed response.",
                Buckets(kDurationBuckets)));
    inference_time_per_output_chunk = meter.CreateDoubleHistogram(
        metric::kInferenceTimePerOutputChunk,
        seconds("Time between consecutive chunks of a streamed response.",
                Buckets(kDurationBuckets)));
    const auto tokens = [](std::string_view description) {
      return metrics::InstrumentOptions{description, "{token}", {}};
    };
    usage_input_tokens =
        meter.CreateInt64Counter(metric::kInferenceUsageInputTokens, tokens("Input tokens used."));
    usage_output_tokens = meter.CreateInt64Counter(metric::kInferenceUsageOutputTokens,
                                                   tokens("Output tokens used."));
    usage_cache_read_input_tokens = meter.CreateInt64Counter(
        metric::kInferenceUsageCacheReadInputTokens, tokens("Input tokens read from a cache."));
    usage_cache_write_input_tokens = meter.CreateInt64Counter(
        metric::kInferenceUsageCacheWriteInputTokens, tokens("Input tokens written to a cache."));
    usage_reasoning_output_tokens = meter.CreateInt64Counter(
        metric::kInferenceUsageReasoningOutputTokens, tokens("Reasoning output tokens."));
    operation_input_tokens = meter.CreateInt64Histogram(
        metric::kInferenceOperationInputTokens,
        {"Input tokens per inference.", "{token}", Buckets(kTokenUsageBuckets)});
    operation_output_tokens = meter.CreateInt64Histogram(
        metric::kInferenceOperationOutputTokens,
        {"Output tokens per inference.", "{token}", Buckets(kTokenUsageBuckets)});
    execute_tool_duration =
        meter.CreateDoubleHistogram(metric::kExecuteToolDuration,
                                    seconds("Tool execution duration.", Buckets(kDurationBuckets)));
    invoke_agent_duration = meter.CreateDoubleHistogram(
        metric::kInvokeAgentDuration,
        seconds("Agent invocation duration.", Buckets(kDurationBuckets)));
  }
  cost = meter.CreateDoubleCounter(
      metric::kCost,
      {"Cost of GenAI calls by provider, model and token class, from the pricing catalog.",
       "{USD}",
       {}});
  calls = meter.CreateInt64Counter(metric::kCalls, {"GenAI operations by outcome.", "{call}", {}});
  errors = meter.CreateInt64Counter(
      metric::kErrors,
      {"Failed GenAI operations by error.type, provider, model and operation.", "{error}", {}});
  unpriced_calls = meter.CreateInt64Counter(
      metric::kUnpricedCalls,
      {"Inference calls whose model is not in the pricing catalog (cost unknown).", "{call}", {}});
  budget_rejections = meter.CreateInt64Counter(
      metric::kBudgetRejections,
      {"Calls refused because a hard budget limit was reached.", "{call}", {}});
}

}  // namespace llmtrace::genai::internal
