// TailSamplingProcessor: decides which traces to keep once they have ended, when errors, latency
// and cost are known, and passes the kept spans to a downstream processor (usually Batch).
//
// A head sampler decides at span start, before anything went wrong. This processor buffers each
// trace's ended spans (in bounded memory) until the trace's local root ends (a span whose parent
// is invalid or remote), then keeps the trace if any of its spans is a GenAI span (has
// gen_ai.operation.name), has status ERROR, if the trace lasted (latest end - earliest start)
// at least latency_threshold, or if the cost attribute summed over its spans reaches
// cost_threshold; otherwise it keeps the trace by the consistent trace-id ratio (the same rule as
// TraceIdRatioSampler, so it agrees with ratio-sampling services). Kept traces go downstream
// whole; no span of a dropped trace is ever forwarded.
// Bounds: at most max_traces traces and max_spans spans wait. When either is exceeded, the
// oldest trace is decided early on what has been seen so far (so a GenAI or failed trace is still
// kept, partially) and counted in traces_evicted. A trace whose root does not end here within
// decision_timeout (its root is in another process, or never ends) is decided on the next OnEnd
// or ForceFlush after that. Spans that arrive after their trace was decided follow the
// remembered decision (the last decision_cache_size traces); a late GenAI or ERROR span of a
// dropped trace is forwarded anyway, and the trace kept from then on.
// ForceFlush and Shutdown decide everything pending, forward it, then flush / shut down the
// downstream. Unsampled spans (a RecordOnly head decision) are passed straight through: the
// standard processors never export them. So the head sampler must sample what the tail should
// see: use AlwaysOnSampler (or ParentBased(AlwaysOn)) in front of this processor.
// Thread-safety: OnEnd from any number of threads. One mutex guards the buffers; the downstream
// processor is never called with it held.
//
//   auto batch = *BatchSpanProcessor::Create(std::move(exporter));
//   auto tail = *TailSamplingProcessor::Create(std::move(batch), {.ratio = 0.05});
//   options.processors.push_back(std::move(tail));  // with options.sampler = AlwaysOn
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/span_processor.h"

namespace llmtrace::trace {

struct TailSamplingOptions {
  // Traces with no reason to keep are kept at this ratio (consistent on the trace id).
  double ratio = 0.1;
  bool keep_genai = true;
  bool keep_errors = true;
  // Keep traces that lasted at least this long; nullopt disables (the seed used 5 s).
  std::optional<std::chrono::nanoseconds> latency_threshold = std::chrono::seconds(5);
  // Keep traces whose summed `cost_attribute` reaches this; nullopt (the default) disables.
  std::optional<double> cost_threshold;
  // The span attribute genai's inference and retrieval spans set (semconv attr::kUsageCostAmount).
  std::string cost_attribute = "gen_ai.usage.cost.amount";
  std::size_t max_traces = 1024;                      // > 0
  std::size_t max_spans = 16384;                      // > 0
  std::chrono::milliseconds decision_timeout{30000};  // > 0
  std::size_t decision_cache_size = 8192;             // decided trace ids remembered for late spans
  const Clock* clock = nullptr;  // null: SystemClock::Instance(); must outlive the processor
};

// Counters since start. Each decision is counted once in kept_* or dropped_by_ratio (a trace is
// decided again only if its decision was forgotten from the cache before a late span came).
struct TailSamplingStats {
  std::uint64_t traces_kept_genai = 0;
  std::uint64_t traces_kept_error = 0;    // no GenAI span, but an ERROR status
  std::uint64_t traces_kept_latency = 0;  // neither of the above, but slow
  std::uint64_t traces_kept_cost = 0;     // none of the above, but costly
  std::uint64_t traces_kept_ratio = 0;
  std::uint64_t traces_dropped_by_ratio = 0;
  // How decisions were made when the local root had not ended (also counted above).
  std::uint64_t traces_evicted = 0;    // the buffer was full
  std::uint64_t traces_timed_out = 0;  // decision_timeout passed
  std::uint64_t traces_flushed = 0;    // ForceFlush or Shutdown
  std::uint64_t late_spans = 0;        // arrived after their trace was decided
  std::uint64_t spans_forwarded = 0;   // sampled spans handed downstream
  // Spans of dropped traces, spans after Shutdown, spans lost to allocation failure.
  std::uint64_t spans_dropped = 0;
  std::size_t traces_buffered = 0;  // now
  std::size_t spans_buffered = 0;   // now

  std::uint64_t traces_kept() const noexcept {
    return traces_kept_genai + traces_kept_error + traces_kept_latency + traces_kept_cost +
           traces_kept_ratio;
  }
};

class TailSamplingProcessor final : public SpanProcessor {
 public:
  // Fails (naming the field) on a null downstream, zero bounds or timeout, or a ratio outside
  // 0..1.
  static Result<std::unique_ptr<TailSamplingProcessor>> Create(
      std::unique_ptr<SpanProcessor> downstream, TailSamplingOptions options = {});
  ~TailSamplingProcessor() override;

  void OnStart(SpanData& span, const Context& parent) noexcept override;
  void OnEnd(SpanDataPtr span) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  TailSamplingStats stats() const noexcept;

 private:
  class State;
  TailSamplingProcessor(std::unique_ptr<SpanProcessor> downstream, std::unique_ptr<State> state);
  void Forward(std::vector<SpanDataPtr>& spans) noexcept;

  std::unique_ptr<SpanProcessor> downstream_;
  std::unique_ptr<State> state_;
};

}  // namespace llmtrace::trace
