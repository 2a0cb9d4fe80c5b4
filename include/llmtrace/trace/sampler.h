// Sampler: decides at span start whether a span is recorded and exported.
//
// The standard samplers of the OpenTelemetry spec: AlwaysOn, AlwaysOff, TraceIdRatioBased and
// ParentBased, and SamplerFromEnvironment for OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG.
// TraceIdRatioBased follows the spec's consistent-probability algorithm: the least significant 56
// bits of the trace id are compared with the threshold (1 - ratio) * 2^56, so every service that
// samples the same trace at a ratio >= r keeps it whenever a service at ratio r does.
// Samplers run on the span-start hot path: ShouldSample is noexcept and must not allocate.
// Thread-safety: ShouldSample may be called from any number of threads at once.
//
//   auto sampler = ParentBasedSampler::Create(std::make_shared<TraceIdRatioSampler>(0.1));
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/span_context.h"
#include "llmtrace/trace/span_data.h"

namespace llmtrace::trace {

enum class SamplingDecision { kDrop, kRecordOnly, kRecordAndSample };

struct SamplingParameters {
  const SpanContext& parent;  // invalid for a root span
  const TraceId& trace_id;
  std::string_view name;
  SpanKind kind;
  std::span<const KeyValue> attributes;  // those given at span start
};

struct SamplingResult {
  SamplingDecision decision = SamplingDecision::kDrop;
  // Attributes to add to the span; the sampler owns them and keeps them alive.
  std::span<const KeyValue> attributes;
  // The trace state for the new span; null keeps the parent's.
  std::shared_ptr<const TraceState> trace_state;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual SamplingResult ShouldSample(const SamplingParameters& params) const noexcept = 0;
  // "AlwaysOnSampler", "TraceIdRatioBased{0.25}", ... (for diagnostics).
  virtual std::string Description() const = 0;
};

class AlwaysOnSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters&) const noexcept override {
    return {SamplingDecision::kRecordAndSample};
  }
  std::string Description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOffSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters&) const noexcept override {
    return {SamplingDecision::kDrop};
  }
  std::string Description() const override { return "AlwaysOffSampler"; }
};

class TraceIdRatioSampler final : public Sampler {
 public:
  // `ratio` is clamped to [0, 1].
  explicit TraceIdRatioSampler(double ratio) noexcept;
  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override;
  double ratio() const noexcept { return ratio_; }

 private:
  double ratio_;
  std::uint64_t threshold_;  // reject when randomness < threshold (56-bit space)
};

// Follows the parent's sampled flag when there is a parent, else asks `root`.
class ParentBasedSampler final : public Sampler {
 public:
  struct Delegates {
    std::shared_ptr<const Sampler> root;
    std::shared_ptr<const Sampler> remote_parent_sampled;      // default AlwaysOn
    std::shared_ptr<const Sampler> remote_parent_not_sampled;  // default AlwaysOff
    std::shared_ptr<const Sampler> local_parent_sampled;       // default AlwaysOn
    std::shared_ptr<const Sampler> local_parent_not_sampled;   // default AlwaysOff
  };
  explicit ParentBasedSampler(std::shared_ptr<const Sampler> root);
  explicit ParentBasedSampler(Delegates delegates);
  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override;

 private:
  Delegates delegates_;
};

// OTEL_TRACES_SAMPLER (always_on, always_off, traceidratio, parentbased_always_on [default],
// parentbased_always_off, parentbased_traceidratio, and llmtrace's llmtrace_llm_aware and
// parentbased_llmtrace_llm_aware, see llm_aware_sampler.h) and OTEL_TRACES_SAMPLER_ARG (the ratio,
// default 1.0; 0.1 for the llm_aware ones). An unknown sampler name or a bad ratio falls back to
// the default, with a warning in `env`.
std::shared_ptr<const Sampler> SamplerFromEnvironment(EnvironmentReader& env);

}  // namespace llmtrace::trace
