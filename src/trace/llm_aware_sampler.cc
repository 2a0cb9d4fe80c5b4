#include "llmtrace/trace/llm_aware_sampler.h"

#include <array>
#include <string_view>

namespace llmtrace::trace {

namespace {

// The trace layer sits below genai, so these mirror genai/semconv.h (attr::kOperationName,
// attr::kProviderName and the op:: values, plus create_agent); keep them in step by hand.
constexpr std::array<std::string_view, 3> kGenAiStartKeys = {
    "gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.system"};
constexpr std::array<std::string_view, 10> kGenAiOperations = {
    "chat",         "text_completion", "generate_content", "embeddings",   "retrieval",
    "execute_tool", "invoke_agent",    "invoke_workflow",  "create_agent", "rerank"};

bool NameIsGenAiOperation(std::string_view name) noexcept {
  std::size_t space = name.find(' ');
  std::string_view first = name.substr(0, space);
  // A bare operation name ("chat") counts too: the convention drops the model when unknown.
  for (std::string_view op : kGenAiOperations) {
    if (first == op) return true;
  }
  return false;
}

}  // namespace

LlmAwareSampler::LlmAwareSampler(LlmAwareSamplerOptions options)
    : others_(options.others ? std::move(options.others)
                             : std::make_shared<TraceIdRatioSampler>(options.ratio)),
      match_span_names_(options.match_span_names) {}

bool LlmAwareSampler::IsGenAiSpan(std::string_view name, std::span<const KeyValue> attributes,
                                  bool match_span_names) noexcept {
  for (const KeyValue& kv : attributes) {
    for (std::string_view key : kGenAiStartKeys) {
      if (kv.key == key) return true;
    }
  }
  return match_span_names && NameIsGenAiOperation(name);
}

SamplingResult LlmAwareSampler::ShouldSample(const SamplingParameters& params) const noexcept {
  if (IsGenAiSpan(params.name, params.attributes, match_span_names_)) {
    return {SamplingDecision::kRecordAndSample};
  }
  return others_->ShouldSample(params);
}

std::string LlmAwareSampler::Description() const {
  return "LlmAwareSampler{genai:AlwaysOn,others:" + others_->Description() + "}";
}

std::shared_ptr<const Sampler> ParentBasedLlmAwareSampler(double ratio,
                                                          std::shared_ptr<const Sampler> others) {
  auto root = std::make_shared<LlmAwareSampler>(
      LlmAwareSamplerOptions{.others = std::move(others), .ratio = ratio});
  auto genai_only = std::make_shared<LlmAwareSampler>(0.0);
  return std::make_shared<ParentBasedSampler>(ParentBasedSampler::Delegates{
      .root = std::move(root),
      .remote_parent_not_sampled = genai_only,
      .local_parent_not_sampled = genai_only,
  });
}

}  // namespace llmtrace::trace
