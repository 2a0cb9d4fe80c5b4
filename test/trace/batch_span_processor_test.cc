#include "llmtrace/trace/batch_span_processor.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "test/trace/trace_test_util.h"

namespace llmtrace::trace {
namespace {

// Counts exported spans; can be held closed to simulate a slow or stuck collector.
class GatedExporter final : public SpanExporter {
 public:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    bool open = true;
    bool shut_down = false;
    std::size_t exported = 0;
    std::vector<std::size_t> batch_sizes;
    std::vector<std::string> names;
  };
  explicit GatedExporter(std::shared_ptr<State> state) : state_(std::move(state)) {}

  ExportResult Export(std::span<const SpanDataPtr> batch,
                      MonotonicTime deadline) noexcept override {
    std::unique_lock lock(state_->mutex);
    if (!state_->changed.wait_until(lock, deadline,
                                    [&] { return state_->open || state_->shut_down; }) ||
        state_->shut_down) {
      return ExportResult::kFailure;
    }
    state_->exported += batch.size();
    state_->batch_sizes.push_back(batch.size());
    for (const SpanDataPtr& s : batch) state_->names.emplace_back(s->name());
    state_->changed.notify_all();
    return ExportResult::kSuccess;
  }
  Status Shutdown(std::chrono::milliseconds) noexcept override {
    std::lock_guard lock(state_->mutex);
    state_->shut_down = true;
    state_->changed.notify_all();
    return Status::Ok();
  }

 private:
  std::shared_ptr<State> state_;
};

struct BatchPipeline {
  std::shared_ptr<GatedExporter::State> state = std::make_shared<GatedExporter::State>();
  BatchSpanProcessor* processor = nullptr;
  MapEnvironment env;
  std::shared_ptr<TracerProvider> provider;
  std::shared_ptr<Tracer> tracer;

  explicit BatchPipeline(BatchSpanProcessorOptions options) {
    auto created = BatchSpanProcessor::Create(std::make_unique<GatedExporter>(state), options);
    processor = created->get();
    TracerProviderOptions provider_options;
    provider_options.environment = &env;
    provider_options.processors.push_back(std::move(*created));
    provider = *TracerProvider::Create(std::move(provider_options));
    tracer = provider->GetTracer("test");
  }

  void EndSpans(int count, const std::string& prefix = "s") {
    for (int i = 0; i < count; ++i) tracer->StartSpan(prefix + std::to_string(i)).End();
  }

  // Waits (bounded) until `count` spans were exported.
  bool WaitForExported(std::size_t count) {
    std::unique_lock lock(state->mutex);
    return state->changed.wait_for(lock, std::chrono::seconds(10),
                                   [&] { return state->exported >= count; });
  }
  void SetOpen(bool open) {
    std::lock_guard lock(state->mutex);
    state->open = open;
    state->changed.notify_all();
  }
};

TEST(BatchSpanProcessorTest, ExportsAFullBatchWithoutWaitingForTheSchedule) {
  BatchPipeline p(
      {.max_queue_size = 64, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 8});
  p.EndSpans(8);
  ASSERT_TRUE(p.WaitForExported(8));
  EXPECT_EQ(p.state->batch_sizes.front(), 8u);
}

TEST(BatchSpanProcessorTest, ExportsAPartialBatchWhenTheScheduleDelayPasses) {
  BatchPipeline p({.max_queue_size = 64,
                   .schedule_delay = std::chrono::milliseconds(20),
                   .max_export_batch_size = 512});
  p.EndSpans(3);
  ASSERT_TRUE(p.WaitForExported(3));
}

TEST(BatchSpanProcessorTest, ForceFlushExportsEverythingQueuedInOrder) {
  BatchPipeline p({.max_queue_size = 1024,
                   .schedule_delay = std::chrono::hours(1),
                   .max_export_batch_size = 100});
  p.EndSpans(250);
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(10)).ok());
  std::lock_guard lock(p.state->mutex);
  ASSERT_EQ(p.state->exported, 250u);
  for (int i = 0; i < 250; ++i) EXPECT_EQ(p.state->names[i], "s" + std::to_string(i));
  for (std::size_t size : p.state->batch_sizes) EXPECT_LE(size, 100u);
}

TEST(BatchSpanProcessorTest, DropsAndCountsWhenQueueIsFull) {
  BatchPipeline p(
      {.max_queue_size = 8, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 8});
  p.SetOpen(false);  // the collector is stuck
  p.EndSpans(8);     // one batch: taken by the export thread, which then blocks
  {
    std::unique_lock lock(p.state->mutex);
    // Give the thread a bounded chance to pick the batch up so the queue is empty again.
    for (int i = 0; i < 200 && p.processor->stats().queue_size > 0; ++i) {
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      lock.lock();
    }
  }
  p.EndSpans(20, "late");  // 8 fit in the queue, 12 are dropped
  BatchSpanProcessorStats stats = p.processor->stats();
  EXPECT_EQ(stats.spans_received, 28u);
  EXPECT_EQ(stats.spans_dropped_queue_full, 12u);
  EXPECT_EQ(stats.queue_capacity, 8u);

  p.SetOpen(true);
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(10)).ok());
  stats = p.processor->stats();
  EXPECT_EQ(stats.spans_exported, 16u);
  EXPECT_EQ(stats.spans_exported + stats.spans_dropped_queue_full, stats.spans_received);
}

TEST(BatchSpanProcessorTest, ForceFlushGivesUpAtItsDeadlineWhenTheExporterIsStuck) {
  BatchPipeline p({.max_queue_size = 64,
                   .schedule_delay = std::chrono::hours(1),
                   .max_export_batch_size = 64,
                   .export_timeout = std::chrono::seconds(30)});
  p.SetOpen(false);
  p.EndSpans(3);
  Status s = p.provider->ForceFlush(std::chrono::milliseconds(50));
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  p.SetOpen(true);
}

TEST(BatchSpanProcessorTest, ShutdownExportsWhatIsQueuedAndThenDropsAndCounts) {
  BatchPipeline p(
      {.max_queue_size = 64, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 64});
  p.EndSpans(5);
  ASSERT_TRUE(p.provider->Shutdown(std::chrono::seconds(10)).ok());
  EXPECT_EQ(p.processor->stats().spans_exported, 5u);
  // The provider is shut down, so the tracer no longer records; feed the processor directly.
  SpanDataPtr late = AcquireSpanData();
  late->Begin(SpanContext(RandomIdGenerator::Instance().NewTraceId(),
                          RandomIdGenerator::Instance().NewSpanId(), TraceFlags(1), false),
              SpanId(), false, "late", SpanKind::kInternal, Timestamp{}, SpanLimits{},
              p.provider->resource(), p.tracer->scope());
  p.processor->OnEnd(std::move(late));
  EXPECT_EQ(p.processor->stats().spans_dropped_shutdown, 1u);
  // A span refused after shutdown was still received: every received span is accounted for.
  EXPECT_EQ(p.processor->stats().spans_received, 6u);
}

TEST(BatchSpanProcessorTest, ShutdownIsBoundedEvenWhenTheExporterHangs) {
  BatchPipeline p({.max_queue_size = 64,
                   .schedule_delay = std::chrono::hours(1),
                   .max_export_batch_size = 64,
                   .export_timeout = std::chrono::hours(1)});
  p.SetOpen(false);
  p.EndSpans(3);
  Status s = p.provider->Shutdown(std::chrono::milliseconds(100));
  // The stuck export is cut at the shutdown deadline (by the deadline it was given, or by the
  // exporter's Shutdown, whichever comes first), so Shutdown returns and the spans are counted
  // as failed rather than hanging the process for the hour-long export timeout.
  EXPECT_TRUE(s.ok() || s.code() == StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_EQ(p.processor->stats().spans_export_failed, 3u);
  EXPECT_EQ(p.processor->stats().spans_exported, 0u);
}

TEST(BatchSpanProcessorTest, RecordOnlySpansAreNotExported) {
  class RecordOnlySampler final : public Sampler {
   public:
    SamplingResult ShouldSample(const SamplingParameters&) const noexcept override {
      return {SamplingDecision::kRecordOnly};
    }
    std::string Description() const override { return "RecordOnly"; }
  };
  auto state = std::make_shared<GatedExporter::State>();
  auto processor = BatchSpanProcessor::Create(std::make_unique<GatedExporter>(state), {});
  BatchSpanProcessor* raw = processor->get();
  MapEnvironment env;
  TracerProviderOptions options;
  options.environment = &env;
  options.sampler = std::make_shared<RecordOnlySampler>();
  options.processors.push_back(std::move(*processor));
  auto provider = *TracerProvider::Create(std::move(options));
  Span span = provider->GetTracer("t")->StartSpan("s");
  EXPECT_TRUE(span.IsRecording());
  EXPECT_FALSE(span.context().sampled());
  span.End();
  ASSERT_TRUE(provider->ForceFlush().ok());
  EXPECT_EQ(raw->stats().spans_received, 0u);
  EXPECT_EQ(state->exported, 0u);
}

TEST(BatchSpanProcessorTest, ManyThreadsLoseNoSpanThatWasNotCountedAsDropped) {
  BatchPipeline p({.max_queue_size = 2048,
                   .schedule_delay = std::chrono::milliseconds(5),
                   .max_export_batch_size = 512});
  constexpr int kThreads = 4, kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) p.tracer->StartSpan("s", {{"i", i}}).End();
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(30)).ok());
  BatchSpanProcessorStats stats = p.processor->stats();
  EXPECT_EQ(stats.spans_received, std::uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats.spans_exported + stats.spans_dropped_queue_full, stats.spans_received);
  EXPECT_EQ(stats.spans_exported, p.state->exported);
}

TEST(BatchSpanProcessorTest, RejectsNullExporterAndZeroSizesAndCapsTheBatchAtTheQueue) {
  EXPECT_FALSE(BatchSpanProcessor::Create(nullptr, {}).ok());
  auto state = std::make_shared<GatedExporter::State>();
  EXPECT_FALSE(
      BatchSpanProcessor::Create(std::make_unique<GatedExporter>(state), {.max_queue_size = 0})
          .ok());
  EXPECT_FALSE(BatchSpanProcessor::Create(std::make_unique<GatedExporter>(state),
                                          {.max_export_batch_size = 0})
                   .ok());
  EXPECT_TRUE(BatchSpanProcessor::Create(std::make_unique<GatedExporter>(state),
                                         {.max_queue_size = 4, .max_export_batch_size = 100})
                  .ok());
}

TEST(BatchSpanProcessorOptionsTest, ReadsTheOtelBspVariablesAndKeepsDefaultsOnBadValues) {
  MapEnvironment env{{"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
                     {"OTEL_BSP_SCHEDULE_DELAY", "250"},
                     {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "-3"},
                     {"OTEL_BSP_EXPORT_TIMEOUT", ""}};
  EnvironmentReader reader(env);
  auto o = BatchSpanProcessorOptions::FromEnvironment(reader);
  EXPECT_EQ(o.max_queue_size, 100u);
  EXPECT_EQ(o.schedule_delay, std::chrono::milliseconds(250));
  EXPECT_EQ(o.max_export_batch_size, 512u);                       // invalid: default
  EXPECT_EQ(o.export_timeout, std::chrono::milliseconds(30000));  // empty = unset
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::trace

namespace llmtrace::trace {
namespace {

TEST(BatchSpanProcessorTest, StatsReaderOutlivesTheProcessorSafely) {
  auto state = std::make_shared<GatedExporter::State>();
  auto processor = *BatchSpanProcessor::Create(std::make_unique<GatedExporter>(state), {});
  std::function<BatchSpanProcessorStats()> reader = processor->StatsReader();
  EXPECT_EQ(reader().queue_capacity, 2048u);
  processor.reset();
  EXPECT_EQ(reader().queue_capacity, 0u);  // zeros, not a dangling read
}

}  // namespace
}  // namespace llmtrace::trace
