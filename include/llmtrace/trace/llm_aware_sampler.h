// LlmAwareSampler: a head sampler that always records GenAI spans and samples the rest by ratio.
//
// The seed's "LLM spans must be 100% sampled" rule, done so that it composes with the standard
// samplers. A span is GenAI when the attributes given at start hold gen_ai.operation.name,
// gen_ai.provider.name or the deprecated gen_ai.system, or (option match_span_names, on by
// default) when its name is a GenAI operation followed by a space ("chat gpt-4o",
// "embeddings text-embedding-3-small", "execute_tool search", "invoke_agent planner", ...): the
// span name convention, for instrumentations that set their attributes after start.
// Every other span goes to `others`: a TraceIdRatioSampler by default (consistent across
// services), or an AdaptiveSampler (adaptive_sampler.h).
// It does not look at the parent. Used alone, the children of a kept GenAI span are sampled by
// ratio (broken traces); use ParentBasedLlmAwareSampler below, which keeps whole traces under a
// sampled parent and still records a GenAI span whose parent was dropped.
// A head sampler cannot see errors, latency or cost: they are known only when spans end. For
// those, record everything and decide at the end with TailSamplingProcessor.
// ShouldSample is noexcept and does not allocate. Thread-safety: any number of threads at once.
//
//   auto sampler = ParentBasedLlmAwareSampler(0.1);  // GenAI always, other traces 10 %
//   TracerProviderOptions options;
//   options.sampler = sampler;
#pragma once

#include <memory>
#include <string>

#include "llmtrace/trace/sampler.h"

namespace llmtrace::trace {

struct LlmAwareSamplerOptions {
  // The sampler for non-GenAI spans; null means TraceIdRatioSampler(ratio).
  std::shared_ptr<const Sampler> others;
  double ratio = 0.1;  // used only when `others` is null (the seed's hard-coded 10 %)
  // Also treat "<operation> ..." span names as GenAI (see the header comment).
  bool match_span_names = true;
};

class LlmAwareSampler final : public Sampler {
 public:
  explicit LlmAwareSampler(LlmAwareSamplerOptions options = {});
  // GenAI spans always, the rest TraceIdRatioSampler(ratio).
  explicit LlmAwareSampler(double ratio)
      : LlmAwareSampler(LlmAwareSamplerOptions{.ratio = ratio}) {}

  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override;

  // The GenAI test ShouldSample applies; exposed for tests and for other samplers.
  static bool IsGenAiSpan(std::string_view name, std::span<const KeyValue> attributes,
                          bool match_span_names = true) noexcept;

 private:
  std::shared_ptr<const Sampler> others_;
  bool match_span_names_;
};

// The recommended composition: ParentBased with
//   root                      -> LlmAwareSampler(ratio)
//   local/remote parent sampled     -> AlwaysOn  (whole traces stay whole)
//   local/remote parent not sampled -> LlmAwareSampler(0): GenAI spans only, the rest dropped
// so a trace the ratio keeps is complete, and a GenAI span in a dropped trace is still recorded
// (its parent is missing: backends show it as an orphan, which beats losing the LLM call).
// `others` (optional) replaces the ratio sampler at the root, e.g. an AdaptiveSampler.
std::shared_ptr<const Sampler> ParentBasedLlmAwareSampler(
    double ratio, std::shared_ptr<const Sampler> others = nullptr);

}  // namespace llmtrace::trace
