#include "llmtrace/trace/tail_sampling_processor.h"

#include <cmath>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "llmtrace/common/strings.h"
#include "src/trace/consistent_probability.h"

namespace llmtrace::trace {

namespace {

// Mirrors genai/semconv.h attr::kOperationName (the trace layer sits below genai).
constexpr std::string_view kGenAiOperationName = "gen_ai.operation.name";

struct TraceIdHash {
  std::size_t operator()(const TraceId& id) const noexcept {
    std::uint64_t high, low;
    std::memcpy(&high, id.bytes().data(), 8);
    std::memcpy(&low, id.bytes().data() + 8, 8);
    return static_cast<std::size_t>((high ^ low) * 0x9E3779B97F4A7C15ull);
  }
};

// What one span tells about its trace.
struct SpanSignals {
  bool genai = false;
  bool error = false;
  double cost = 0.0;
};

std::int64_t Nanos(MonotonicTime t) noexcept { return t.time_since_epoch().count(); }

bool IsLocalRoot(const SpanData& span) noexcept {
  return !span.parent_span_id().IsValid() || span.parent_is_remote();
}

enum class Outcome { kKeepGenAi, kKeepError, kKeepLatency, kKeepCost, kKeepRatio, kDrop };

// How a trace came to be decided before its root ended.
enum class EarlyCause { kNone, kEvicted, kTimedOut, kFlushed };

}  // namespace

class TailSamplingProcessor::State {
 public:
  explicit State(TailSamplingOptions options)
      : options_(std::move(options)),
        clock_(options_.clock ? *options_.clock : SystemClock::Instance()),
        timeout_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(options_.decision_timeout)
                        .count()),
        ratio_threshold_(internal::RejectionThreshold(options_.ratio)) {
    traces_.reserve(options_.max_traces + 1);
  }

  // Takes the span; appends to `out` whatever is now decided kept.
  void Add(SpanDataPtr span, std::vector<SpanDataPtr>& out) noexcept {
    // Outside the lock. Two threads may insert with their clock readings out of order; the
    // timeout then fires a little late for one trace, which is harmless.
    const TraceId trace_id = span->context().trace_id();
    const SpanSignals signals = SignalsOf(*span);
    const std::int64_t now = Nanos(clock_.MonotonicNow());
    std::lock_guard lock(mutex_);
    if (shut_down_) {
      ++stats_.spans_dropped;
      return;
    }
    try {
      if (auto decided = decided_.find(trace_id); decided != decided_.end()) {
        AddLate(span, signals, decided->second, out);
      } else {
        AddPending(trace_id, span, signals, now, out);
      }
      DecideTimedOut(now, out);
      EvictWhileFull(out);
    } catch (...) {
      // Allocation failed: the span (if still ours) is lost; the buffers stay consistent.
      if (span) ++stats_.spans_dropped;
    }
  }

  // Decides every pending trace (ForceFlush, Shutdown).
  void DecideAll(std::vector<SpanDataPtr>& out, bool shut_down) noexcept {
    std::lock_guard lock(mutex_);
    if (shut_down) shut_down_ = true;
    try {
      DecideTimedOut(Nanos(clock_.MonotonicNow()), out);
      while (!order_.empty()) DecideOldest(EarlyCause::kFlushed, out);
    } catch (...) {
      // `out` could not grow: what is left stays buffered for the next flush.
    }
  }

  TailSamplingStats stats() const noexcept {
    std::lock_guard lock(mutex_);
    TailSamplingStats s = stats_;
    s.traces_buffered = traces_.size();
    s.spans_buffered = spans_buffered_;
    return s;
  }

 private:
  struct PendingTrace {
    std::vector<SpanDataPtr> spans;
    std::list<TraceId>::iterator order;  // position in order_ (oldest first)
    std::int64_t first_seen_ns = 0;
    Timestamp earliest_start = Timestamp::max();
    Timestamp latest_end = Timestamp::min();
    SpanSignals signals;
  };

  SpanSignals SignalsOf(const SpanData& span) const noexcept {
    SpanSignals s;
    s.genai = span.FindAttribute(kGenAiOperationName) != nullptr;
    s.error = span.status() == SpanStatus::kError;
    if (options_.cost_threshold) {
      if (const AttributeValue* cost = span.FindAttribute(options_.cost_attribute)) {
        if (cost->type() == AttributeValue::Type::kDouble) s.cost = cost->AsDouble();
        if (cost->type() == AttributeValue::Type::kInt) s.cost = static_cast<double>(cost->AsInt());
        if (!std::isfinite(s.cost)) s.cost = 0.0;
      }
    }
    return s;
  }

  bool HasKeepSignal(const SpanSignals& s) const noexcept {
    return (options_.keep_genai && s.genai) || (options_.keep_errors && s.error);
  }

  // `span` is taken only on success, so a throw leaves it with the caller to count.
  void AddLate(SpanDataPtr& span, const SpanSignals& signals, bool& keep,
               std::vector<SpanDataPtr>& out) {
    ++stats_.late_spans;
    if (!keep && HasKeepSignal(signals)) keep = true;  // never lose a GenAI or failed span
    if (!keep) {
      ++stats_.spans_dropped;
      return;
    }
    out.push_back(std::move(span));
    ++stats_.spans_forwarded;
  }

  void AddPending(const TraceId& trace_id, SpanDataPtr& span, const SpanSignals& signals,
                  std::int64_t now, std::vector<SpanDataPtr>& out) {
    auto [it, inserted] = traces_.try_emplace(trace_id);
    PendingTrace& trace = it->second;
    if (inserted) {
      try {
        trace.order = order_.insert(order_.end(), trace_id);
      } catch (...) {
        traces_.erase(it);
        throw;
      }
      trace.first_seen_ns = now;
    }
    const bool root = IsLocalRoot(*span);
    trace.earliest_start = std::min(trace.earliest_start, span->start_time());
    trace.latest_end = std::max(trace.latest_end, span->end_time());
    trace.signals.genai |= signals.genai;
    trace.signals.error |= signals.error;
    trace.signals.cost += signals.cost;
    try {
      trace.spans.push_back(std::move(span));  // strong guarantee: `span` kept if this throws
    } catch (...) {
      if (trace.spans.empty()) {
        order_.erase(trace.order);
        traces_.erase(it);
      }
      throw;
    }
    ++spans_buffered_;
    if (root) Decide(it, EarlyCause::kNone, out);
  }

  void DecideTimedOut(std::int64_t now, std::vector<SpanDataPtr>& out) {
    while (!order_.empty() &&
           now - traces_.find(order_.front())->second.first_seen_ns >= timeout_ns_) {
      DecideOldest(EarlyCause::kTimedOut, out);
    }
  }

  void EvictWhileFull(std::vector<SpanDataPtr>& out) {
    while (!order_.empty() &&
           (traces_.size() > options_.max_traces || spans_buffered_ > options_.max_spans)) {
      DecideOldest(EarlyCause::kEvicted, out);
    }
  }

  void DecideOldest(EarlyCause cause, std::vector<SpanDataPtr>& out) {
    Decide(traces_.find(order_.front()), cause, out);
  }

  Outcome Judge(const TraceId& trace_id, const PendingTrace& trace) const noexcept {
    const SpanSignals& s = trace.signals;
    if (options_.keep_genai && s.genai) return Outcome::kKeepGenAi;
    if (options_.keep_errors && s.error) return Outcome::kKeepError;
    if (options_.latency_threshold &&
        trace.latest_end - trace.earliest_start >= *options_.latency_threshold) {
      return Outcome::kKeepLatency;
    }
    if (options_.cost_threshold && s.cost >= *options_.cost_threshold) return Outcome::kKeepCost;
    return internal::KeptAtThreshold(trace_id, ratio_threshold_) ? Outcome::kKeepRatio
                                                                 : Outcome::kDrop;
  }

  void Decide(std::unordered_map<TraceId, PendingTrace, TraceIdHash>::iterator it, EarlyCause cause,
              std::vector<SpanDataPtr>& out) {
    const TraceId trace_id = it->first;
    PendingTrace& trace = it->second;
    const Outcome outcome = Judge(trace_id, trace);
    const bool keep = outcome != Outcome::kDrop;
    const std::size_t n = trace.spans.size();
    if (keep) {
      // Grow `out` first: if that throws, nothing has changed and the trace stays pending.
      if (out.empty()) {
        out.swap(trace.spans);
      } else {
        out.reserve(out.size() + n);
        for (SpanDataPtr& span : trace.spans) out.push_back(std::move(span));
      }
      stats_.spans_forwarded += n;
    } else {
      stats_.spans_dropped += n;
    }
    switch (outcome) {
      case Outcome::kKeepGenAi:
        ++stats_.traces_kept_genai;
        break;
      case Outcome::kKeepError:
        ++stats_.traces_kept_error;
        break;
      case Outcome::kKeepLatency:
        ++stats_.traces_kept_latency;
        break;
      case Outcome::kKeepCost:
        ++stats_.traces_kept_cost;
        break;
      case Outcome::kKeepRatio:
        ++stats_.traces_kept_ratio;
        break;
      case Outcome::kDrop:
        ++stats_.traces_dropped_by_ratio;
        break;
    }
    switch (cause) {
      case EarlyCause::kNone:
        break;
      case EarlyCause::kEvicted:
        ++stats_.traces_evicted;
        break;
      case EarlyCause::kTimedOut:
        ++stats_.traces_timed_out;
        break;
      case EarlyCause::kFlushed:
        ++stats_.traces_flushed;
        break;
    }
    spans_buffered_ -= n;
    order_.erase(trace.order);
    traces_.erase(it);  // dropped spans go back to the pool here
    Remember(trace_id, keep);
  }

  void Remember(const TraceId& trace_id, bool keep) noexcept {
    if (options_.decision_cache_size == 0) return;
    try {
      if (decided_order_.size() >= options_.decision_cache_size) {
        decided_.erase(decided_order_.front());
        decided_order_.pop_front();
      }
      if (decided_.try_emplace(trace_id, keep).second) decided_order_.push_back(trace_id);
    } catch (...) {
      // Forgetting only means a late span starts a new pending trace.
      decided_.erase(trace_id);
    }
  }

  const TailSamplingOptions options_;
  const Clock& clock_;
  const std::int64_t timeout_ns_;
  const std::uint64_t ratio_threshold_;

  mutable std::mutex mutex_;
  bool shut_down_ = false;
  std::unordered_map<TraceId, PendingTrace, TraceIdHash> traces_;
  std::list<TraceId> order_;  // pending trace ids, oldest first
  std::size_t spans_buffered_ = 0;
  std::unordered_map<TraceId, bool, TraceIdHash> decided_;  // trace id -> kept
  std::deque<TraceId> decided_order_;
  TailSamplingStats stats_;
};

Result<std::unique_ptr<TailSamplingProcessor>> TailSamplingProcessor::Create(
    std::unique_ptr<SpanProcessor> downstream, TailSamplingOptions options) {
  if (!downstream) return InvalidArgumentError("tail sampling processor: downstream is null");
  if (!(options.ratio >= 0.0 && options.ratio <= 1.0)) {
    return InvalidArgumentError("tail sampling processor: ratio must be in [0, 1], got " +
                                FormatDouble(options.ratio));
  }
  if (options.max_traces == 0 || options.max_spans == 0) {
    return InvalidArgumentError(
        "tail sampling processor: max_traces and max_spans must be at least 1");
  }
  if (options.decision_timeout.count() <= 0) {
    return InvalidArgumentError("tail sampling processor: decision_timeout must be > 0 ms");
  }
  try {
    auto state = std::make_unique<State>(std::move(options));
    return std::unique_ptr<TailSamplingProcessor>(
        new TailSamplingProcessor(std::move(downstream), std::move(state)));
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("tail sampling processor: out of memory");
  }
}

TailSamplingProcessor::TailSamplingProcessor(std::unique_ptr<SpanProcessor> downstream,
                                             std::unique_ptr<State> state)
    : downstream_(std::move(downstream)), state_(std::move(state)) {}

TailSamplingProcessor::~TailSamplingProcessor() = default;

void TailSamplingProcessor::OnStart(SpanData& span, const Context& parent) noexcept {
  downstream_->OnStart(span, parent);
}

void TailSamplingProcessor::OnEnd(SpanDataPtr span) noexcept {
  if (!span) return;
  if (!span->context().sampled()) {
    downstream_->OnEnd(std::move(span));  // nothing to decide: it is never exported
    return;
  }
  std::vector<SpanDataPtr> out;
  state_->Add(std::move(span), out);
  Forward(out);
}

void TailSamplingProcessor::Forward(std::vector<SpanDataPtr>& spans) noexcept {
  for (SpanDataPtr& span : spans) downstream_->OnEnd(std::move(span));
  spans.clear();
}

Status TailSamplingProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  std::vector<SpanDataPtr> out;
  state_->DecideAll(out, /*shut_down=*/false);
  Forward(out);
  return downstream_->ForceFlush(timeout);
}

Status TailSamplingProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  std::vector<SpanDataPtr> out;
  state_->DecideAll(out, /*shut_down=*/true);
  Forward(out);
  return downstream_->Shutdown(timeout);
}

TailSamplingStats TailSamplingProcessor::stats() const noexcept { return state_->stats(); }

}  // namespace llmtrace::trace
