#include "llmtrace/trace/tail_sampling_processor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/trace/sampler.h"
#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The downstream: remembers what it was given, per trace.
class RecordingProcessor final : public SpanProcessor {
 public:
  struct State {
    std::mutex mutex;
    std::map<TraceId, std::vector<std::string>> spans;  // names, in arrival order
    std::size_t total = 0;
    int flushes = 0;
    int shutdowns = 0;
  };
  explicit RecordingProcessor(std::shared_ptr<State> state) : state_(std::move(state)) {}
  void OnEnd(SpanDataPtr span) noexcept override {
    std::lock_guard lock(state_->mutex);
    state_->spans[span->context().trace_id()].emplace_back(span->name());
    ++state_->total;
  }
  Status ForceFlush(milliseconds) noexcept override {
    std::lock_guard lock(state_->mutex);
    ++state_->flushes;
    return Status::Ok();
  }
  Status Shutdown(milliseconds) noexcept override {
    std::lock_guard lock(state_->mutex);
    ++state_->shutdowns;
    return Status::Ok();
  }

 private:
  std::shared_ptr<State> state_;
};

TraceId TraceIdWithRandomness(std::uint64_t randomness56, std::uint8_t tag) {
  TraceId id;
  auto bytes = id.mutable_bytes();
  bytes[0] = tag;  // distinct ids with the same randomness
  bytes[1] = 1;
  for (int i = 15; i >= 9; --i) {
    bytes[i] = static_cast<std::uint8_t>(randomness56 & 0xFF);
    randomness56 >>= 8;
  }
  return id;
}
// At ratio 0.5 the first kind is dropped and the second kept.
TraceId LowTrace(std::uint8_t tag) { return TraceIdWithRandomness(1, tag); }
TraceId HighTrace(std::uint8_t tag) {
  return TraceIdWithRandomness((std::uint64_t{1} << 56) - 1, tag);
}

struct SpanSpec {
  std::string name = "work";
  bool root = false;           // no parent
  bool remote_parent = false;  // a local root under a remote parent
  Timestamp start = Timestamp{seconds(100)};
  Timestamp end = Timestamp{seconds(100) + milliseconds(10)};
  bool error = false;
  bool genai = false;
  std::optional<double> cost;
  bool sampled = true;
};

class TailSamplingTest : public ::testing::Test {
 protected:
  void Make(TailSamplingOptions options) {
    options.clock = &clock_;
    auto created = TailSamplingProcessor::Create(std::make_unique<RecordingProcessor>(downstream_),
                                                 std::move(options));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    processor_ = std::move(*created);
  }

  SpanDataPtr Span(const TraceId& trace_id, const SpanSpec& spec) {
    SpanDataPtr span = AcquireSpanData();
    std::array<std::uint8_t, 8> id{};
    std::uint64_t n = ++next_span_id_;
    for (int i = 7; i >= 0; --i, n >>= 8) id[i] = static_cast<std::uint8_t>(n);
    std::array<std::uint8_t, 8> parent{};
    if (!spec.root) parent[0] = 0xEE;  // some parent; the tests do not need the real one
    span->Begin(SpanContext(trace_id, SpanId(id), TraceFlags(spec.sampled ? 1 : 0), false),
                SpanId(parent), spec.remote_parent, spec.name, SpanKind::kInternal, spec.start,
                SpanLimits{}, resource_, scope_);
    if (spec.genai) span->SetAttribute("gen_ai.operation.name", "chat");
    if (spec.cost) span->SetAttribute("gen_ai.usage.cost.amount", *spec.cost);
    if (spec.error) span->SetStatus(SpanStatus::kError, "boom");
    span->SetEndTime(spec.end);
    return span;
  }

  void End(const TraceId& trace_id, SpanSpec spec) { processor_->OnEnd(Span(trace_id, spec)); }
  void EndRoot(const TraceId& trace_id, SpanSpec spec = {}) {
    spec.root = true;
    spec.name = "root";
    End(trace_id, spec);
  }

  std::vector<std::string> Forwarded(const TraceId& trace_id) {
    std::lock_guard lock(downstream_->mutex);
    auto it = downstream_->spans.find(trace_id);
    return it == downstream_->spans.end() ? std::vector<std::string>{} : it->second;
  }
  std::size_t ForwardedTotal() {
    std::lock_guard lock(downstream_->mutex);
    return downstream_->total;
  }

  ManualClock clock_;
  Resource resource_ = Resource::Default();
  InstrumentationScope scope_{"tail-test", "1"};
  std::shared_ptr<RecordingProcessor::State> downstream_ =
      std::make_shared<RecordingProcessor::State>();
  std::unique_ptr<TailSamplingProcessor> processor_;
  std::atomic<std::uint64_t> next_span_id_{0};
};

TEST_F(TailSamplingTest, HoldsATraceUntilItsRootEndsThenKeepsItWholeForAGenAiSpan) {
  Make({.ratio = 0.0});
  TraceId t = LowTrace(1);
  End(t, {.name = "retrieve"});
  End(t, {.name = "chat gpt-4o", .genai = true});
  EXPECT_EQ(ForwardedTotal(), 0u);
  EXPECT_EQ(processor_->stats().spans_buffered, 2u);
  EXPECT_EQ(processor_->stats().traces_buffered, 1u);
  EndRoot(t);
  EXPECT_EQ(Forwarded(t), (std::vector<std::string>{"retrieve", "chat gpt-4o", "root"}));
  TailSamplingStats stats = processor_->stats();
  EXPECT_EQ(stats.traces_kept_genai, 1u);
  EXPECT_EQ(stats.spans_forwarded, 3u);
  EXPECT_EQ(stats.spans_buffered, 0u);
  EXPECT_EQ(stats.traces_buffered, 0u);
}

TEST_F(TailSamplingTest, DropsAPlainTraceTheRatioRejectsAndForwardsNoneOfIt) {
  Make({.ratio = 0.5});
  TraceId t = LowTrace(1);
  End(t, {});
  End(t, {});
  EndRoot(t);
  EXPECT_TRUE(Forwarded(t).empty());
  TailSamplingStats stats = processor_->stats();
  EXPECT_EQ(stats.traces_dropped_by_ratio, 1u);
  EXPECT_EQ(stats.spans_dropped, 3u);
  EXPECT_EQ(stats.traces_kept(), 0u);
}

TEST_F(TailSamplingTest, KeepsPlainTracesByTheSameTraceIdRatioAsTheHeadSampler) {
  Make({.ratio = 0.5});
  TraceIdRatioSampler head(0.5);
  int kept = 0;
  for (int i = 0; i < 200; ++i) {
    TraceId t = RandomIdGenerator::Instance().NewTraceId();
    EndRoot(t);
    bool head_keeps =
        head.ShouldSample({SpanContext::Invalid(), t, "root", SpanKind::kInternal, {}}).decision ==
        SamplingDecision::kRecordAndSample;
    ASSERT_EQ(!Forwarded(t).empty(), head_keeps);
    kept += head_keeps;
  }
  EXPECT_EQ(processor_->stats().traces_kept_ratio, static_cast<std::uint64_t>(kept));
  EXPECT_EQ(processor_->stats().traces_dropped_by_ratio, static_cast<std::uint64_t>(200 - kept));
}

TEST_F(TailSamplingTest, KeepsTracesWithAnErrorSpan) {
  Make({.ratio = 0.0});
  TraceId t = LowTrace(1);
  End(t, {.name = "db", .error = true});
  EndRoot(t);
  EXPECT_EQ(Forwarded(t).size(), 2u);
  EXPECT_EQ(processor_->stats().traces_kept_error, 1u);
}

TEST_F(TailSamplingTest, KeepsTracesThatLastedAtLeastTheLatencyThreshold) {
  Make({.ratio = 0.0, .latency_threshold = seconds(2)});
  TraceId slow = LowTrace(1), fast = LowTrace(2);
  // The trace's span is earliest start to latest end, whichever spans they belong to.
  End(slow, {.start = Timestamp{seconds(100)}, .end = Timestamp{seconds(101)}});
  EndRoot(slow,
          {.start = Timestamp{seconds(100) + milliseconds(500)}, .end = Timestamp{seconds(102)}});
  End(fast, {.start = Timestamp{seconds(100)}, .end = Timestamp{seconds(101)}});
  EndRoot(fast,
          {.start = Timestamp{seconds(100)}, .end = Timestamp{seconds(102)} - milliseconds(1)});
  EXPECT_EQ(Forwarded(slow).size(), 2u);
  EXPECT_TRUE(Forwarded(fast).empty());
  EXPECT_EQ(processor_->stats().traces_kept_latency, 1u);
  EXPECT_EQ(processor_->stats().traces_dropped_by_ratio, 1u);
}

TEST_F(TailSamplingTest, KeepsTracesWhoseSummedCostReachesTheThreshold) {
  Make({.ratio = 0.0, .latency_threshold = std::nullopt, .cost_threshold = 0.05});
  TraceId costly = LowTrace(1), cheap = LowTrace(2);
  // Cost without gen_ai.operation.name, so only the cost rule can keep these.
  End(costly, {.cost = 0.03});
  End(costly, {.cost = 0.02});
  EndRoot(costly);
  End(cheap, {.cost = 0.03});
  EndRoot(cheap, {.cost = 0.01});
  EXPECT_EQ(Forwarded(costly).size(), 3u);
  EXPECT_TRUE(Forwarded(cheap).empty());
  EXPECT_EQ(processor_->stats().traces_kept_cost, 1u);
}

TEST_F(TailSamplingTest, CountsEachKeptTraceUnderItsFirstReason) {
  Make({.ratio = 0.0, .latency_threshold = seconds(0)});
  TraceId t = LowTrace(1);
  End(t, {.error = true, .genai = true});
  EndRoot(t);
  TailSamplingStats stats = processor_->stats();
  EXPECT_EQ(stats.traces_kept_genai, 1u);
  EXPECT_EQ(stats.traces_kept_error + stats.traces_kept_latency, 0u);
}

TEST_F(TailSamplingTest, ALocalRootUnderARemoteParentEndsTheTrace) {
  Make({.ratio = 1.0});
  TraceId t = LowTrace(1);
  End(t, {.name = "child"});
  End(t, {.name = "server", .remote_parent = true});
  EXPECT_EQ(Forwarded(t), (std::vector<std::string>{"child", "server"}));
}

TEST_F(TailSamplingTest, PassesUnsampledSpansStraightThrough) {
  Make({.ratio = 0.0});
  TraceId t = LowTrace(1);
  End(t, {.sampled = false});
  EXPECT_EQ(Forwarded(t).size(), 1u);
  EXPECT_EQ(processor_->stats().spans_buffered, 0u);
}

TEST_F(TailSamplingTest, LateSpansFollowTheDecisionExceptThatGenAiAndErrorsAreNeverLost) {
  Make({.ratio = 0.5});
  TraceId kept = HighTrace(1), dropped = LowTrace(2);
  EndRoot(kept);
  EndRoot(dropped);
  End(kept, {.name = "late"});
  End(dropped, {.name = "late"});
  EXPECT_EQ(Forwarded(kept), (std::vector<std::string>{"root", "late"}));
  EXPECT_TRUE(Forwarded(dropped).empty());
  End(dropped, {.name = "late chat", .genai = true});
  End(dropped, {.name = "after the chat"});  // the trace is kept from then on
  EXPECT_EQ(Forwarded(dropped), (std::vector<std::string>{"late chat", "after the chat"}));
  TailSamplingStats stats = processor_->stats();
  EXPECT_EQ(stats.late_spans, 4u);
  EXPECT_EQ(stats.spans_dropped, 2u);  // the dropped root and its first late span
  EXPECT_EQ(stats.traces_buffered, 0u);
}

TEST_F(TailSamplingTest, AFullTraceTableEvictsTheOldestTraceDecidedOnWhatWasSeen) {
  Make({.ratio = 0.0, .max_traces = 2});
  TraceId a = LowTrace(1), b = LowTrace(2), c = LowTrace(3);
  End(a, {.name = "a chat", .genai = true});
  End(b, {.name = "b plain"});
  EXPECT_EQ(ForwardedTotal(), 0u);
  End(c, {.name = "c plain"});  // a third trace: `a`, the oldest, is decided now
  EXPECT_EQ(Forwarded(a), (std::vector<std::string>{"a chat"}));
  End(c, {.name = "c plain 2"});
  End(a, {.name = "a late"});  // follows the kept decision
  End(b, {.name = "b 2"});     // still pending: no eviction needed for it
  EXPECT_EQ(Forwarded(a), (std::vector<std::string>{"a chat", "a late"}));
  End(LowTrace(4), {});  // evicts `b`, dropped by ratio 0
  TailSamplingStats stats = processor_->stats();
  EXPECT_EQ(stats.traces_evicted, 2u);
  EXPECT_EQ(stats.traces_kept_genai, 1u);
  EXPECT_EQ(stats.traces_dropped_by_ratio, 1u);
  EXPECT_EQ(stats.spans_dropped, 2u);
  EXPECT_EQ(stats.traces_buffered, 2u);
  EXPECT_EQ(stats.spans_buffered, 3u);  // c: 2, the fourth trace: 1
  EXPECT_TRUE(Forwarded(b).empty());
}

TEST_F(TailSamplingTest, AFullSpanBufferEvictsOldestTracesUntilItFits) {
  Make({.ratio = 1.0, .max_spans = 4});
  TraceId a = LowTrace(1), b = LowTrace(2);
  for (int i = 0; i < 3; ++i) End(a, {});
  End(b, {});
  EXPECT_EQ(ForwardedTotal(), 0u);
  End(b, {});  // 5 spans > 4: `a` (3 spans) goes
  EXPECT_EQ(Forwarded(a).size(), 3u);
  EXPECT_TRUE(Forwarded(b).empty());
  for (int i = 0; i < 3; ++i) End(b, {});  // one trace larger than the buffer decides itself
  EXPECT_EQ(Forwarded(b).size(), 5u);
  EXPECT_EQ(processor_->stats().traces_evicted, 2u);
  EXPECT_EQ(processor_->stats().spans_buffered, 0u);
}

TEST_F(TailSamplingTest, DecidesTracesWhoseRootNeverEndsAfterTheTimeout) {
  Make({.ratio = 0.0, .decision_timeout = seconds(30)});
  TraceId orphan = LowTrace(1), other = LowTrace(2);
  End(orphan, {.name = "chat", .genai = true});
  clock_.Advance(seconds(29));
  End(other, {});
  EXPECT_EQ(ForwardedTotal(), 0u);
  clock_.Advance(seconds(1));
  End(other, {});  // any OnEnd checks the oldest pending traces
  EXPECT_EQ(Forwarded(orphan), (std::vector<std::string>{"chat"}));
  EXPECT_EQ(processor_->stats().traces_timed_out, 1u);
  EXPECT_EQ(processor_->stats().traces_buffered, 1u);  // `other` is younger
  clock_.Advance(seconds(29));
  ASSERT_TRUE(processor_->ForceFlush(seconds(1)).ok());  // times out `other`, then flushes
  EXPECT_EQ(processor_->stats().traces_timed_out, 2u);
  EXPECT_EQ(processor_->stats().traces_flushed, 0u);
  EXPECT_EQ(processor_->stats().traces_dropped_by_ratio, 1u);
}

TEST_F(TailSamplingTest, ForceFlushDecidesEverythingPendingThenFlushesDownstream) {
  Make({.ratio = 0.0});
  TraceId a = LowTrace(1), b = LowTrace(2);
  End(a, {.error = true});
  End(b, {});
  ASSERT_TRUE(processor_->ForceFlush(seconds(1)).ok());
  EXPECT_EQ(Forwarded(a).size(), 1u);
  EXPECT_TRUE(Forwarded(b).empty());
  EXPECT_EQ(processor_->stats().traces_flushed, 2u);
  EXPECT_EQ(downstream_->flushes, 1);
  EXPECT_EQ(processor_->stats().spans_buffered, 0u);
}

TEST_F(TailSamplingTest, ShutdownFlushesPendingTracesThenDropsAndCountsLaterSpans) {
  Make({.ratio = 1.0});
  TraceId t = LowTrace(1);
  End(t, {});
  End(t, {});
  ASSERT_TRUE(processor_->Shutdown(seconds(1)).ok());
  EXPECT_EQ(Forwarded(t).size(), 2u);
  EXPECT_EQ(downstream_->shutdowns, 1);
  EndRoot(t);
  EXPECT_EQ(Forwarded(t).size(), 2u);
  EXPECT_EQ(processor_->stats().spans_dropped, 1u);
}

TEST_F(TailSamplingTest, RejectsInvalidOptions) {
  auto null_downstream = TailSamplingProcessor::Create(nullptr);
  EXPECT_FALSE(null_downstream.ok());
  auto bad_ratio = TailSamplingProcessor::Create(std::make_unique<RecordingProcessor>(downstream_),
                                                 {.ratio = 2});
  ASSERT_FALSE(bad_ratio.ok());
  EXPECT_NE(bad_ratio.status().message().find("ratio"), std::string::npos);
  auto no_room = TailSamplingProcessor::Create(std::make_unique<RecordingProcessor>(downstream_),
                                               {.max_traces = 0});
  EXPECT_FALSE(no_room.ok());
}

// --- Several threads, interleaved traces. Trace k of thread t: GenAI when k % 3 == 0, an error
// when k % 3 == 1, plain otherwise (dropped: ratio 0). The signal is on the first span to end,
// so even a trace decided early (evicted) is decided right, and the assertions are exact.
constexpr int kThreads = 4;
constexpr int kTracesPerThread = 60;
constexpr int kOpenAtOnce = 3;  // each thread interleaves three traces

TraceId ThreadTraceId(int thread, int k) {
  TraceId id;
  auto bytes = id.mutable_bytes();
  bytes[0] = static_cast<std::uint8_t>(thread + 1);
  bytes[1] = static_cast<std::uint8_t>(k);
  bytes[15] = 1;  // low randomness: ratio 0 drops it whatever
  return id;
}
int ChildrenOf(int k) { return 2 + k % 3; }

void RunInterleaved(int thread, const std::function<void(const TraceId&, SpanSpec)>& end) {
  for (int first = 0; first < kTracesPerThread; first += kOpenAtOnce) {
    int max_children = 0;
    for (int k = first; k < first + kOpenAtOnce; ++k)
      max_children = std::max(max_children, ChildrenOf(k));
    for (int c = 0; c < max_children; ++c) {
      for (int k = first; k < first + kOpenAtOnce; ++k) {
        if (c >= ChildrenOf(k)) continue;
        SpanSpec spec{.name = "child " + std::to_string(c)};
        if (c == 0) {
          spec.genai = k % 3 == 0;
          spec.error = k % 3 == 1;
        }
        end(ThreadTraceId(thread, k), spec);
      }
    }
    for (int k = first; k < first + kOpenAtOnce; ++k) {
      end(ThreadTraceId(thread, k), SpanSpec{.name = "root", .root = true});
    }
  }
}

void ExpectExactOutcome(const TailSamplingStats& stats,
                        const std::function<std::vector<std::string>(const TraceId&)>& forwarded) {
  std::uint64_t spans_of_kept = 0, spans_of_dropped = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int k = 0; k < kTracesPerThread; ++k) {
      std::size_t expected = ChildrenOf(k) + 1;
      std::vector<std::string> got = forwarded(ThreadTraceId(t, k));
      if (k % 3 == 2) {
        EXPECT_TRUE(got.empty()) << "plain trace " << t << "/" << k << " leaked";
        spans_of_dropped += expected;
      } else {
        EXPECT_EQ(got.size(), expected) << "kept trace " << t << "/" << k << " incomplete";
        spans_of_kept += expected;
      }
    }
  }
  EXPECT_EQ(stats.spans_forwarded, spans_of_kept);
  EXPECT_EQ(stats.spans_dropped, spans_of_dropped);
  EXPECT_EQ(stats.traces_kept_genai, static_cast<std::uint64_t>(kThreads * kTracesPerThread / 3));
  EXPECT_EQ(stats.traces_kept_error, static_cast<std::uint64_t>(kThreads * kTracesPerThread / 3));
  EXPECT_EQ(stats.traces_dropped_by_ratio,
            static_cast<std::uint64_t>(kThreads * kTracesPerThread / 3));
  EXPECT_EQ(stats.spans_buffered, 0u);
  EXPECT_EQ(stats.traces_buffered, 0u);
}

TEST_F(TailSamplingTest, InterleavedTracesFromSeveralThreadsAreKeptWholeOrNotAtAll) {
  Make({.ratio = 0.0});
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      RunInterleaved(t, [this](const TraceId& id, SpanSpec spec) { End(id, spec); });
    });
  }
  for (auto& thread : threads) thread.join();
  TailSamplingStats stats = processor_->stats();
  EXPECT_EQ(stats.traces_evicted, 0u);
  ExpectExactOutcome(stats, [this](const TraceId& id) { return Forwarded(id); });
}

TEST_F(TailSamplingTest, InterleavedTracesWithAFullBufferEvictAndStillNeverLeakOrSplit) {
  // Two traces fit; every thread keeps three open, so evictions are certain.
  Make({.ratio = 0.0, .max_traces = 2, .max_spans = 8});
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      RunInterleaved(t, [this](const TraceId& id, SpanSpec spec) { End(id, spec); });
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(processor_->ForceFlush(seconds(1)).ok());
  TailSamplingStats stats = processor_->stats();
  EXPECT_GT(stats.traces_evicted, 0u);
  EXPECT_GT(stats.late_spans, 0u);
  // Evicted traces were decided on their first span, which carries the signal, and their late
  // spans followed that decision: still whole or nothing.
  ExpectExactOutcome(stats, [this](const TraceId& id) { return Forwarded(id); });
}

}  // namespace
}  // namespace llmtrace::trace
