#include "llmtrace/trace/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "llmtrace/common/strings.h"
#include "llmtrace/trace/llm_aware_sampler.h"

namespace llmtrace::trace {

namespace {

constexpr std::uint64_t kRandomnessBits = 56;
constexpr std::uint64_t kMaxThreshold = std::uint64_t{1} << kRandomnessBits;

// The least significant 56 bits of the trace id (bytes 9..15, big-endian), the randomness
// value R of the OTel consistent-probability sampling spec.
std::uint64_t TraceIdRandomness(const TraceId& trace_id) noexcept {
  std::uint64_t r = 0;
  for (std::size_t i = 9; i < 16; ++i) r = (r << 8) | trace_id.bytes()[i];
  return r;
}

}  // namespace

TraceIdRatioSampler::TraceIdRatioSampler(double ratio) noexcept
    : ratio_(std::isnan(ratio) ? 0.0 : std::clamp(ratio, 0.0, 1.0)) {
  // Rejection threshold T = (1 - ratio) * 2^56; keep when R >= T.
  long double t =
      (1.0L - static_cast<long double>(ratio_)) * static_cast<long double>(kMaxThreshold);
  threshold_ = t >= static_cast<long double>(kMaxThreshold)
                   ? kMaxThreshold
                   : static_cast<std::uint64_t>(std::llround(t));
}

SamplingResult TraceIdRatioSampler::ShouldSample(const SamplingParameters& params) const noexcept {
  if (threshold_ >= kMaxThreshold) return {SamplingDecision::kDrop};
  return {TraceIdRandomness(params.trace_id) >= threshold_ ? SamplingDecision::kRecordAndSample
                                                           : SamplingDecision::kDrop};
}

std::string TraceIdRatioSampler::Description() const {
  return "TraceIdRatioBased{" + FormatDouble(ratio_) + "}";
}

ParentBasedSampler::ParentBasedSampler(std::shared_ptr<const Sampler> root)
    : ParentBasedSampler(Delegates{.root = std::move(root)}) {}

ParentBasedSampler::ParentBasedSampler(Delegates delegates) : delegates_(std::move(delegates)) {
  auto on = std::make_shared<AlwaysOnSampler>();
  auto off = std::make_shared<AlwaysOffSampler>();
  if (!delegates_.root) delegates_.root = on;
  if (!delegates_.remote_parent_sampled) delegates_.remote_parent_sampled = on;
  if (!delegates_.remote_parent_not_sampled) delegates_.remote_parent_not_sampled = off;
  if (!delegates_.local_parent_sampled) delegates_.local_parent_sampled = on;
  if (!delegates_.local_parent_not_sampled) delegates_.local_parent_not_sampled = off;
}

SamplingResult ParentBasedSampler::ShouldSample(const SamplingParameters& params) const noexcept {
  const SpanContext& parent = params.parent;
  const Sampler* delegate;
  if (!parent.IsValid()) {
    delegate = delegates_.root.get();
  } else if (parent.remote()) {
    delegate = parent.sampled() ? delegates_.remote_parent_sampled.get()
                                : delegates_.remote_parent_not_sampled.get();
  } else {
    delegate = parent.sampled() ? delegates_.local_parent_sampled.get()
                                : delegates_.local_parent_not_sampled.get();
  }
  return delegate->ShouldSample(params);
}

std::string ParentBasedSampler::Description() const {
  return "ParentBased{root:" + delegates_.root->Description() +
         ",remoteParentSampled:" + delegates_.remote_parent_sampled->Description() +
         ",remoteParentNotSampled:" + delegates_.remote_parent_not_sampled->Description() +
         ",localParentSampled:" + delegates_.local_parent_sampled->Description() +
         ",localParentNotSampled:" + delegates_.local_parent_not_sampled->Description() + "}";
}

std::shared_ptr<const Sampler> SamplerFromEnvironment(EnvironmentReader& env) {
  std::string name =
      ToLowerAscii(env.GetString("OTEL_TRACES_SAMPLER").value_or("parentbased_always_on"));
  auto ratio = [&env] { return env.GetDouble("OTEL_TRACES_SAMPLER_ARG", 1.0, 0.0, 1.0); };
  if (name == "always_on") return std::make_shared<AlwaysOnSampler>();
  if (name == "always_off") return std::make_shared<AlwaysOffSampler>();
  if (name == "traceidratio") return std::make_shared<TraceIdRatioSampler>(ratio());
  if (name == "parentbased_always_off") {
    return std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOffSampler>());
  }
  if (name == "parentbased_traceidratio") {
    return std::make_shared<ParentBasedSampler>(std::make_shared<TraceIdRatioSampler>(ratio()));
  }
  // llmtrace's own: GenAI spans always, the rest at the ratio (default 0.1, the seed's 10 %).
  auto llm_ratio = [&env] { return env.GetDouble("OTEL_TRACES_SAMPLER_ARG", 0.1, 0.0, 1.0); };
  if (name == "llmtrace_llm_aware") return std::make_shared<LlmAwareSampler>(llm_ratio());
  if (name == "parentbased_llmtrace_llm_aware") return ParentBasedLlmAwareSampler(llm_ratio());
  if (name != "parentbased_always_on") {
    env.AddWarning("OTEL_TRACES_SAMPLER: unknown sampler '" + name +
                   "' (expected always_on, always_off, traceidratio, parentbased_always_on, "
                   "parentbased_always_off, parentbased_traceidratio, llmtrace_llm_aware or "
                   "parentbased_llmtrace_llm_aware); using "
                   "parentbased_always_on");
  }
  return std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>());
}

}  // namespace llmtrace::trace
