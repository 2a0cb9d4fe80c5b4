// The sliding time windows behind the SLA monitor: per model, a ring of 10-second slices for the
// 5-minute rules (counts and quantile sketches) and a ring of 1-minute slices for the burn-rate
// windows up to 3 days (counts only); and one ring of 1-minute spend for the cost rules.
//
// A slice remembers which period it holds; a write to a slice from an older period clears it
// first, and reads skip slices outside the window, so nothing needs a timer to expire data.
// Windows are "the last N slices including the current one", so a 5-minute window spans
// between 4m50s and 5m of calls. Memory per model: about 104 KB of 1-minute slices, plus up to
// 8 KB per 10-second slice that saw calls (the sketches).
// Thread-safety: none; the monitor guards them.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/genai/sla_monitor.h"
#include "src/genai/quantile_sketch.h"

namespace llmtrace::genai::internal {

inline constexpr std::chrono::seconds kFastSlice{10};
inline constexpr std::size_t kFastSlices = 30;  // 5 minutes
inline constexpr std::chrono::minutes kSlowSlice{1};
inline constexpr std::size_t kSlowSlices = 3 * 24 * 60 + 1;  // 3 days and the current minute

struct FastTotals {
  std::uint64_t calls = 0;
  std::uint64_t failed = 0;
  std::uint64_t judged = 0;        // calls with a hallucination verdict
  std::uint64_t hallucinated = 0;  // of those, judged unsupported
  QuantileSketch latency;
  QuantileSketch ttft;
};

struct CallCounts {
  std::uint64_t calls = 0;
  std::uint64_t failed = 0;
  double ErrorRatio() const noexcept {
    return calls == 0 ? 0 : static_cast<double>(failed) / static_cast<double>(calls);
  }
};

class ModelWindows {
 public:
  void Record(const SlaObservation& call, Timestamp now) noexcept;
  void RecordVerdict(bool hallucinated, Timestamp now) noexcept;
  FastTotals Last5Minutes(Timestamp now) const noexcept;
  // Calls and failures in the last `window` (at most 3 days), at 1-minute resolution.
  CallCounts Last(Timestamp now, std::chrono::minutes window) const noexcept;

 private:
  struct FastSlice {
    std::int64_t period = -1;
    std::uint64_t calls = 0, failed = 0, judged = 0, hallucinated = 0;
    QuantileSketch latency, ttft;
  };
  struct SlowSlice {
    std::int64_t period = -1;
    CallCounts counts;
  };
  FastSlice& FastSliceAt(Timestamp now) noexcept;  // cleared when it held an older period
  std::array<FastSlice, kFastSlices> fast_;
  std::vector<SlowSlice> slow_ = std::vector<SlowSlice>(kSlowSlices);
};

// Spend per minute over the last 25 hours (the cost anomaly compares the last hour with the
// 24 before it).
class SpendWindow {
 public:
  void Add(double usd, Timestamp now) noexcept;
  // Spend in the minutes [now - to, now - from), e.g. (0, 24h) is the last 24 hours.
  double Between(Timestamp now, std::chrono::minutes from, std::chrono::minutes to) const noexcept;

 private:
  struct Slice {
    std::int64_t period = -1;
    double usd = 0;
  };
  static constexpr std::size_t kSlices = 25 * 60 + 1;
  std::vector<Slice> slices_ = std::vector<Slice>(kSlices);
};

}  // namespace llmtrace::genai::internal
