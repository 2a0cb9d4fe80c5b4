#include "src/metrics/series_index.h"

#include <atomic>

#include "src/metrics/stripe.h"

namespace llmtrace::metrics::internal {

namespace {
std::atomic<std::size_t> next_stripe{0};
std::atomic<std::uint64_t> next_index_id{1};
RateLimitedLog overflow_log;
}  // namespace

std::size_t AssignStripe() noexcept {
  return next_stripe.fetch_add(1, std::memory_order_relaxed) % kStripes;
}

std::uint64_t NextSeriesIndexId() noexcept {
  return next_index_id.fetch_add(1, std::memory_order_relaxed);
}

void WarnCardinalityOverflow(const std::string& stream_name) noexcept {
  overflow_log.Warn([&] {
    return "metrics: " + stream_name +
           " reached its cardinality limit; new attribute sets are aggregated into the "
           "otel.metric.overflow=true series";
  });
}

}  // namespace llmtrace::metrics::internal
