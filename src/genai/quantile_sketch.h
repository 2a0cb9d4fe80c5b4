// QuantileSketch: a mergeable sketch of non-negative values with a bounded relative error, for
// the SLA monitor's latency and TTFT quantiles over sliding windows.
//
// The design of DDSketch (Masson, Rim, Lee; VLDB 2019): values fall into logarithmic buckets
// [gamma^(i-1), gamma^i) with gamma = (1 + a) / (1 - a), so any quantile is reported within a
// relative error a (1%) of a value of the right rank, whatever the distribution. Two sketches
// merge by adding bucket counts, which is what a sliding window needs: one sketch per time slice,
// merged over the slices in the window when a rule is evaluated. Values from 100 µs to about
// 21 hours keep the 1% guarantee; smaller ones count as 0 and larger ones as the largest bucket.
// Thread-safety: none; the monitor guards its sketches.
#pragma once

#include <cstdint>
#include <vector>

namespace llmtrace::genai::internal {

class QuantileSketch {
 public:
  static constexpr double kRelativeAccuracy = 0.01;
  static constexpr double kMinValue = 1e-4;

  void Add(double value) noexcept;  // negative or NaN values are ignored
  void Merge(const QuantileSketch& other) noexcept;
  void Clear() noexcept;

  // The q-quantile (0 <= q <= 1) of what was added: the value of rank floor(q * (count - 1)),
  // within kRelativeAccuracy. NaN when empty.
  double Quantile(double q) const noexcept;
  std::uint64_t count() const noexcept { return count_; }

 private:
  std::vector<std::uint32_t> buckets_;  // sized on first Add: a slice without data costs nothing
  std::uint64_t zero_count_ = 0;        // values below kMinValue
  std::uint64_t count_ = 0;
};

}  // namespace llmtrace::genai::internal
