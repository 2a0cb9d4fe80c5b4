// The consistent-probability arithmetic of the OpenTelemetry sampling spec, shared by the
// samplers and the tail-sampling processor so that all of them keep the same traces at the same
// ratio: the randomness R is the least significant 56 bits of the trace id, and a trace is kept
// at ratio p when R >= (1 - p) * 2^56 (TraceIdRatioSampler in sampler.cc does the same).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "llmtrace/trace/span_context.h"

namespace llmtrace::trace::internal {

inline constexpr std::uint64_t kRandomnessSpace = std::uint64_t{1} << 56;

inline std::uint64_t TraceIdRandomness(const TraceId& trace_id) noexcept {
  std::uint64_t r = 0;
  for (std::size_t i = 9; i < 16; ++i) r = (r << 8) | trace_id.bytes()[i];
  return r;
}

// The rejection threshold for `ratio` (clamped to [0, 1]); kRandomnessSpace rejects everything.
inline std::uint64_t RejectionThreshold(double ratio) noexcept {
  if (std::isnan(ratio)) ratio = 0.0;
  ratio = std::clamp(ratio, 0.0, 1.0);
  long double t =
      (1.0L - static_cast<long double>(ratio)) * static_cast<long double>(kRandomnessSpace);
  return t >= static_cast<long double>(kRandomnessSpace)
             ? kRandomnessSpace
             : static_cast<std::uint64_t>(std::llround(t));
}

inline bool KeptAtThreshold(const TraceId& trace_id, std::uint64_t threshold) noexcept {
  return threshold < kRandomnessSpace && TraceIdRandomness(trace_id) >= threshold;
}

}  // namespace llmtrace::trace::internal
