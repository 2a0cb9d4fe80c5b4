#include "llmtrace/trace/adaptive_sampler.h"

#include <algorithm>
#include <cmath>

#include "llmtrace/common/strings.h"
#include "src/trace/consistent_probability.h"

namespace llmtrace::trace {

namespace {

std::int64_t Nanos(MonotonicTime t) noexcept { return t.time_since_epoch().count(); }

bool IsRatio(double r) noexcept { return r >= 0.0 && r <= 1.0; }  // false for NaN

}  // namespace

Result<std::shared_ptr<AdaptiveSampler>> AdaptiveSampler::Create(AdaptiveSamplerOptions options) {
  if (!(options.target_spans_per_second > 0.0) || std::isinf(options.target_spans_per_second)) {
    return InvalidArgumentError("adaptive sampler: target_spans_per_second must be > 0, got " +
                                FormatDouble(options.target_spans_per_second));
  }
  if (options.window.count() <= 0) {
    return InvalidArgumentError("adaptive sampler: window must be > 0 ms, got " +
                                std::to_string(options.window.count()));
  }
  if (!IsRatio(options.min_ratio) || !IsRatio(options.max_ratio) ||
      options.min_ratio > options.max_ratio) {
    return InvalidArgumentError("adaptive sampler: need 0 <= min_ratio <= max_ratio <= 1, got " +
                                FormatDouble(options.min_ratio) + " and " +
                                FormatDouble(options.max_ratio));
  }
  if (options.clock == nullptr) options.clock = &SystemClock::Instance();
  return std::shared_ptr<AdaptiveSampler>(new AdaptiveSampler(options));
}

AdaptiveSampler::AdaptiveSampler(const AdaptiveSamplerOptions& options)
    : clock_(*options.clock),
      target_(options.target_spans_per_second),
      window_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(options.window).count()),
      min_ratio_(options.min_ratio),
      max_ratio_(options.max_ratio),
      window_start_ns_(Nanos(options.clock->MonotonicNow())) {
  double initial = std::isnan(options.initial_ratio)
                       ? max_ratio_
                       : std::clamp(options.initial_ratio, min_ratio_, max_ratio_);
  ratio_.store(initial, std::memory_order_relaxed);
  threshold_.store(internal::RejectionThreshold(initial), std::memory_order_relaxed);
}

SamplingResult AdaptiveSampler::ShouldSample(const SamplingParameters& params) const noexcept {
  std::int64_t now = Nanos(clock_.MonotonicNow());
  std::int64_t start = window_start_ns_.load(std::memory_order_relaxed);
  if (now - start >= window_ns_) EndWindow(start, now);
  offered_in_window_.fetch_add(1, std::memory_order_relaxed);
  return {internal::KeptAtThreshold(params.trace_id, threshold_.load(std::memory_order_relaxed))
              ? SamplingDecision::kRecordAndSample
              : SamplingDecision::kDrop};
}

void AdaptiveSampler::EndWindow(std::int64_t window_start, std::int64_t now) const noexcept {
  // One caller wins; the others carry on with the old ratio for this one call.
  if (!window_start_ns_.compare_exchange_strong(window_start, now, std::memory_order_relaxed)) {
    return;
  }
  // Spans counted between the exchange above and this one land in the old window: a handful at
  // most, against a whole window's worth.
  std::uint64_t offered = offered_in_window_.exchange(0, std::memory_order_relaxed);
  // The window may have lasted longer than configured (no spans to end it): divide by what it
  // really lasted.
  double seconds = static_cast<double>(now - window_start) / 1e9;
  double rate = static_cast<double>(offered) / seconds;
  double next = rate > 0.0 ? std::clamp(target_ / rate, min_ratio_, max_ratio_) : max_ratio_;
  ratio_.store(next, std::memory_order_relaxed);
  threshold_.store(internal::RejectionThreshold(next), std::memory_order_relaxed);
  adjustments_.fetch_add(1, std::memory_order_relaxed);
}

std::string AdaptiveSampler::Description() const {
  return "AdaptiveSampler{target:" + FormatDouble(target_) + "/s,ratio:" + FormatDouble(ratio()) +
         "}";
}

}  // namespace llmtrace::trace
