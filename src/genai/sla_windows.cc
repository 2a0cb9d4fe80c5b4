#include "src/genai/sla_windows.h"

namespace llmtrace::genai::internal {
namespace {

template <typename Duration>
std::int64_t PeriodOf(Timestamp now, Duration slice) noexcept {
  const auto since_epoch = now.time_since_epoch();
  return static_cast<std::int64_t>(since_epoch / slice);
}

template <typename Slice>
Slice& SliceFor(std::vector<Slice>& ring, std::int64_t period) noexcept {
  return ring[static_cast<std::size_t>(period) % ring.size()];
}

}  // namespace

ModelWindows::FastSlice& ModelWindows::FastSliceAt(Timestamp now) noexcept {
  const std::int64_t period = PeriodOf(now, kFastSlice);
  FastSlice& fast = fast_[static_cast<std::size_t>(period) % kFastSlices];
  if (fast.period != period) {  // the slot held an older period: start it afresh
    fast.period = period;
    fast.calls = fast.failed = fast.judged = fast.hallucinated = 0;
    fast.latency.Clear();
    fast.ttft.Clear();
  }
  return fast;
}

void ModelWindows::RecordVerdict(bool hallucinated, Timestamp now) noexcept {
  FastSlice& fast = FastSliceAt(now);
  ++fast.judged;
  fast.hallucinated += hallucinated ? 1 : 0;
}

void ModelWindows::Record(const SlaObservation& call, Timestamp now) noexcept {
  FastSlice& fast = FastSliceAt(now);
  ++fast.calls;
  fast.failed += call.failed ? 1 : 0;
  if (call.hallucinated) {
    ++fast.judged;
    fast.hallucinated += *call.hallucinated ? 1 : 0;
  }
  // Failed calls count in the error rate but not in the latency quantiles: a fast failure
  // would otherwise make the latency look better than what users who got answers saw.
  if (!call.failed) fast.latency.Add(call.latency_seconds);
  if (call.ttft_seconds) fast.ttft.Add(*call.ttft_seconds);

  const std::int64_t slow_period = PeriodOf(now, kSlowSlice);
  SlowSlice& slow = SliceFor(slow_, slow_period);
  if (slow.period != slow_period) slow = SlowSlice{slow_period, {}};
  ++slow.counts.calls;
  slow.counts.failed += call.failed ? 1 : 0;
}

FastTotals ModelWindows::Last5Minutes(Timestamp now) const noexcept {
  FastTotals totals;
  const std::int64_t current = PeriodOf(now, kFastSlice);
  for (const FastSlice& slice : fast_) {
    if (slice.period > current ||
        slice.period <= current - static_cast<std::int64_t>(kFastSlices)) {
      continue;
    }
    totals.calls += slice.calls;
    totals.failed += slice.failed;
    totals.judged += slice.judged;
    totals.hallucinated += slice.hallucinated;
    totals.latency.Merge(slice.latency);
    totals.ttft.Merge(slice.ttft);
  }
  return totals;
}

CallCounts ModelWindows::Last(Timestamp now, std::chrono::minutes window) const noexcept {
  CallCounts counts;
  const std::int64_t current = PeriodOf(now, kSlowSlice);
  const std::int64_t slices = std::min<std::int64_t>(window / kSlowSlice, kSlowSlices);
  for (std::int64_t period = current - slices + 1; period <= current; ++period) {
    if (period < 0) continue;
    const SlowSlice& slice = slow_[static_cast<std::size_t>(period) % kSlowSlices];
    if (slice.period != period) continue;
    counts.calls += slice.counts.calls;
    counts.failed += slice.counts.failed;
  }
  return counts;
}

void SpendWindow::Add(double usd, Timestamp now) noexcept {
  if (!(usd > 0)) return;
  const std::int64_t period = PeriodOf(now, kSlowSlice);
  Slice& slice = SliceFor(slices_, period);
  if (slice.period != period) slice = Slice{period, 0};
  slice.usd += usd;
}

double SpendWindow::Between(Timestamp now, std::chrono::minutes from,
                            std::chrono::minutes to) const noexcept {
  const std::int64_t current = PeriodOf(now, kSlowSlice);
  double total = 0;
  for (std::int64_t back = from.count(); back < to.count() && back < std::int64_t{kSlices};
       ++back) {
    const std::int64_t period = current - back;
    if (period < 0) break;
    const Slice& slice = slices_[static_cast<std::size_t>(period) % kSlices];
    if (slice.period == period) total += slice.usd;
  }
  return total;
}

}  // namespace llmtrace::genai::internal
