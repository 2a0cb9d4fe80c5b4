// The baseline the metrics benchmarks compare against, measured in the same run: metrics
// aggregated the conventional way (the shape of most SDKs' first implementation): the attribute
// set copied into a sorted std::vector of std::string pairs, and one std::mutex guarding a
// std::map from that vector to the aggregate. It does the same work per measurement as llmtrace
// (order-independent attribute sets, sums, histogram count/sum/min/max/buckets), so the ratio
// shows what the lock-free index and the per-thread stripes buy.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmtrace::bench {

using ConventionalAttributes = std::vector<std::pair<std::string, std::string>>;

inline ConventionalAttributes SortedAttributes(
    std::initializer_list<std::pair<std::string_view, std::string_view>> attributes) {
  ConventionalAttributes key;
  key.reserve(attributes.size());
  for (const auto& [k, v] : attributes) key.emplace_back(std::string(k), std::string(v));
  std::sort(key.begin(), key.end());
  return key;
}

class ConventionalCounter {
 public:
  void Add(double value,
           std::initializer_list<std::pair<std::string_view, std::string_view>> attributes) {
    ConventionalAttributes key = SortedAttributes(attributes);
    std::lock_guard lock(mutex_);
    sums_[std::move(key)] += value;
  }
  double Total() {
    std::lock_guard lock(mutex_);
    double total = 0;
    for (const auto& [key, sum] : sums_) total += sum;
    return total;
  }

 private:
  std::mutex mutex_;
  std::map<ConventionalAttributes, double> sums_;
};

class ConventionalHistogram {
 public:
  explicit ConventionalHistogram(std::vector<double> boundaries)
      : boundaries_(std::move(boundaries)) {}
  void Record(double value,
              std::initializer_list<std::pair<std::string_view, std::string_view>> attributes) {
    ConventionalAttributes key = SortedAttributes(attributes);
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(boundaries_.begin(), boundaries_.end(), value) - boundaries_.begin());
    std::lock_guard lock(mutex_);
    Point& point = points_[std::move(key)];
    if (point.buckets.empty()) point.buckets.assign(boundaries_.size() + 1, 0);
    ++point.count;
    point.sum += value;
    point.min = std::min(point.min, value);
    point.max = std::max(point.max, value);
    ++point.buckets[bucket];
  }

 private:
  struct Point {
    std::uint64_t count = 0;
    double sum = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    std::vector<std::uint64_t> buckets;
  };
  std::vector<double> boundaries_;
  std::mutex mutex_;
  std::map<ConventionalAttributes, Point> points_;
};

}  // namespace llmtrace::bench
