// AdaptiveSampler: a trace-id ratio sampler whose ratio follows the load, to export about
// `target_spans_per_second`.
//
// It counts the spans it is asked about in a window (default 10 s, read from an injected Clock);
// when the window ends, the next call sets ratio = target / offered-rate, clamped to
// [min_ratio, max_ratio], and the window restarts. Decisions use the spec's consistent-
// probability rule on the trace id (as TraceIdRatioSampler does), so within a window every span
// of a trace gets the same answer, and any service at a higher ratio keeps what this one keeps.
// Lock-free: a few relaxed atomics; one caller per window wins a compare-exchange and computes the
// next ratio. ShouldSample is noexcept and does not allocate.
// Limits: the ratio lags the load by one window, with no smoothing (a burst after an idle window
// is sampled at max_ratio for up to one window); a trace that spans a window change may be cut
// unless children follow the parent (compose under ParentBasedSampler); and like every head
// sampler it cannot see errors, latency or cost (use TailSamplingProcessor for those).
// The seed's "AdaptiveLLMSampler" did not adapt at all: see docs/sampling.md.
// It sees only the spans it is asked about: as the `others` of an LlmAwareSampler, GenAI spans
// are kept on top of the target.
// Thread-safety: any number of threads at once.
//
//   auto adaptive = *AdaptiveSampler::Create({.target_spans_per_second = 200});
//   auto sampler = ParentBasedLlmAwareSampler(0.0, adaptive);  // GenAI always, rest ~200/s
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/sampler.h"

namespace llmtrace::trace {

struct AdaptiveSamplerOptions {
  double target_spans_per_second = 100.0;   // > 0
  std::chrono::milliseconds window{10000};  // > 0
  double min_ratio = 0.001;                 // 0 <= min_ratio <= max_ratio <= 1
  double max_ratio = 1.0;
  double initial_ratio = 1.0;    // clamped to [min_ratio, max_ratio]; used for the first window
  const Clock* clock = nullptr;  // null: SystemClock::Instance(); must outlive the sampler
};

class AdaptiveSampler final : public Sampler {
 public:
  // Fails (naming the field) on a non-positive target or window, or ratios outside 0..1 or
  // min > max.
  static Result<std::shared_ptr<AdaptiveSampler>> Create(AdaptiveSamplerOptions options);

  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override;

  // The ratio in force now.
  double ratio() const noexcept { return ratio_.load(std::memory_order_relaxed); }
  // How many windows have ended (how often the ratio was recomputed).
  std::uint64_t adjustments() const noexcept {
    return adjustments_.load(std::memory_order_relaxed);
  }

 private:
  explicit AdaptiveSampler(const AdaptiveSamplerOptions& options);
  void EndWindow(std::int64_t window_start, std::int64_t now) const noexcept;

  const Clock& clock_;
  const double target_;
  const std::int64_t window_ns_;
  const double min_ratio_;
  const double max_ratio_;
  // Mutable: ShouldSample is const in the Sampler interface, and the window is its own state.
  mutable std::atomic<std::int64_t> window_start_ns_;
  mutable std::atomic<std::uint64_t> offered_in_window_{0};
  mutable std::atomic<std::uint64_t> threshold_;
  mutable std::atomic<double> ratio_;
  mutable std::atomic<std::uint64_t> adjustments_{0};
};

}  // namespace llmtrace::trace
