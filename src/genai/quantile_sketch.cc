#include "src/genai/quantile_sketch.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace llmtrace::genai::internal {
namespace {

constexpr double kGamma =
    (1 + QuantileSketch::kRelativeAccuracy) / (1 - QuantileSketch::kRelativeAccuracy);
const double kLogGamma = std::log(kGamma);
// Bucket i holds values in [kMinValue * gamma^i, kMinValue * gamma^(i+1)).
constexpr std::size_t kBuckets = 1024;  // kMinValue * gamma^1024 is about 7.8e4 s

std::size_t BucketOf(double value) noexcept {
  const double index = std::floor(std::log(value / QuantileSketch::kMinValue) / kLogGamma);
  return static_cast<std::size_t>(std::clamp(index, 0.0, static_cast<double>(kBuckets - 1)));
}

// The representative of bucket i: the point with the same relative distance to both ends.
double ValueOf(std::size_t bucket) noexcept {
  const double lower = QuantileSketch::kMinValue * std::pow(kGamma, static_cast<double>(bucket));
  return lower * 2 * kGamma / (kGamma + 1);
}

}  // namespace

void QuantileSketch::Add(double value) noexcept {
  if (!(value >= 0)) return;  // negative or NaN
  ++count_;
  if (value < kMinValue) {
    ++zero_count_;
    return;
  }
  try {
    if (buckets_.empty()) buckets_.assign(kBuckets, 0);
  } catch (...) {  // out of memory: the value still counts, as a zero
    ++zero_count_;
    return;
  }
  ++buckets_[BucketOf(value)];
}

void QuantileSketch::Merge(const QuantileSketch& other) noexcept {
  if (other.count_ == 0) return;
  if (!other.buckets_.empty()) {
    try {
      if (buckets_.empty()) buckets_.assign(kBuckets, 0);
    } catch (...) {
      zero_count_ += other.count_;
      count_ += other.count_;
      return;
    }
    for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  }
  zero_count_ += other.zero_count_;
  count_ += other.count_;
}

void QuantileSketch::Clear() noexcept {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  zero_count_ = 0;
  count_ = 0;
}

double QuantileSketch::Quantile(double q) const noexcept {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  q = std::clamp(q, 0.0, 1.0);
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1));
  std::uint64_t seen = zero_count_;
  if (rank < seen) return 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (rank < seen) return ValueOf(i);
  }
  return ValueOf(kBuckets - 1);
}

}  // namespace llmtrace::genai::internal
