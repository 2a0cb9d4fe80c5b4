#include "llmtrace/logs/batch_log_record_processor.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/logs/logger_provider.h"

namespace llmtrace::logs {
namespace {

// Counts exported records; can be held closed to simulate a slow or stuck collector.
class GatedExporter final : public LogRecordExporter {
 public:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    bool open = true;
    bool shut_down = false;
    std::size_t exported = 0;
    std::vector<std::size_t> batch_sizes;
    std::vector<std::string> bodies;
  };
  explicit GatedExporter(std::shared_ptr<State> state) : state_(std::move(state)) {}

  ExportResult Export(std::span<const LogRecordDataPtr> batch,
                      MonotonicTime deadline) noexcept override {
    std::unique_lock lock(state_->mutex);
    if (!state_->changed.wait_until(lock, deadline,
                                    [&] { return state_->open || state_->shut_down; }) ||
        state_->shut_down) {
      return ExportResult::kFailure;
    }
    state_->exported += batch.size();
    state_->batch_sizes.push_back(batch.size());
    for (const LogRecordDataPtr& r : batch) state_->bodies.emplace_back(r->body().AsString());
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
  BatchLogRecordProcessor* processor = nullptr;
  MapEnvironment env;
  std::shared_ptr<LoggerProvider> provider;
  std::shared_ptr<Logger> logger;

  explicit BatchPipeline(BatchLogRecordProcessorOptions options) {
    auto created = BatchLogRecordProcessor::Create(std::make_unique<GatedExporter>(state), options);
    processor = created->get();
    LoggerProviderOptions provider_options;
    provider_options.environment = &env;
    provider_options.processors.push_back(std::move(*created));
    provider = *LoggerProvider::Create(std::move(provider_options));
    logger = provider->GetLogger("test");
  }

  void Emit(int count, const std::string& prefix = "r") {
    for (int i = 0; i < count; ++i) {
      logger->Emit(Severity::kInfo, prefix + std::to_string(i), {{"i", i}});
    }
  }
  // Waits (bounded) until `count` records were exported.
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

TEST(BatchLogRecordProcessorTest, ExportsAFullBatchWithoutWaitingForTheSchedule) {
  BatchPipeline p(
      {.max_queue_size = 64, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 8});
  p.Emit(8);
  ASSERT_TRUE(p.WaitForExported(8));
  std::lock_guard lock(p.state->mutex);
  EXPECT_EQ(p.state->batch_sizes, std::vector<std::size_t>{8});
}

TEST(BatchLogRecordProcessorTest, ExportsAPartialBatchWhenTheScheduleDelayPasses) {
  BatchPipeline p({.max_queue_size = 64,
                   .schedule_delay = std::chrono::milliseconds(20),
                   .max_export_batch_size = 64});
  p.Emit(3);
  EXPECT_TRUE(p.WaitForExported(3));
}

TEST(BatchLogRecordProcessorTest, ForceFlushExportsEverythingQueuedInOrder) {
  BatchPipeline p(
      {.max_queue_size = 64, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 4});
  p.Emit(10);
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(10)).ok());
  std::lock_guard lock(p.state->mutex);
  ASSERT_EQ(p.state->bodies.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(p.state->bodies[i], "r" + std::to_string(i));
  EXPECT_EQ(p.processor->stats().records_exported, 10u);
}

TEST(BatchLogRecordProcessorTest, DropsAndCountsWhenTheQueueIsFull) {
  BatchPipeline p(
      {.max_queue_size = 8, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 8});
  p.SetOpen(false);  // the collector is stuck
  p.Emit(8);         // one batch: taken by the export thread, which then blocks
  for (int i = 0; i < 400 && p.processor->stats().queue_size > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(p.processor->stats().queue_size, 0u);
  p.Emit(20, "late");  // 8 fit in the queue, 12 are dropped
  BatchLogRecordProcessorStats stats = p.processor->stats();
  EXPECT_EQ(stats.records_received, 28u);
  EXPECT_EQ(stats.records_dropped_queue_full, 12u);
  EXPECT_EQ(stats.queue_capacity, 8u);

  p.SetOpen(true);
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(10)).ok());
  stats = p.processor->stats();
  EXPECT_EQ(stats.records_exported, 16u);
  EXPECT_EQ(stats.records_exported + stats.records_dropped_queue_full, stats.records_received);
}

TEST(BatchLogRecordProcessorTest, ForceFlushGivesUpAtItsDeadlineWhenTheExporterIsStuck) {
  BatchPipeline p({.max_queue_size = 64,
                   .schedule_delay = std::chrono::hours(1),
                   .max_export_batch_size = 64,
                   .export_timeout = std::chrono::seconds(30)});
  p.SetOpen(false);
  p.Emit(3);
  Status s = p.provider->ForceFlush(std::chrono::milliseconds(50));
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  p.SetOpen(true);
}

TEST(BatchLogRecordProcessorTest, ShutdownExportsWhatIsQueuedAndThenDropsAndCounts) {
  BatchPipeline p(
      {.max_queue_size = 64, .schedule_delay = std::chrono::hours(1), .max_export_batch_size = 64});
  p.Emit(5);
  ASSERT_TRUE(p.provider->Shutdown(std::chrono::seconds(10)).ok());
  EXPECT_EQ(p.processor->stats().records_exported, 5u);
  // The provider is shut down, so the logger discards; feed the processor directly.
  LogRecordDataPtr late = AcquireLogRecordData();
  late->Begin(Timestamp{}, Timestamp{}, Severity::kInfo, LogRecordLimits{}, p.provider->resource(),
              p.logger->scope());
  p.processor->OnEmit(std::move(late));
  EXPECT_EQ(p.processor->stats().records_dropped_shutdown, 1u);
}

TEST(BatchLogRecordProcessorTest, ShutdownIsBoundedEvenWhenTheExporterHangs) {
  BatchPipeline p({.max_queue_size = 64,
                   .schedule_delay = std::chrono::hours(1),
                   .max_export_batch_size = 64,
                   .export_timeout = std::chrono::hours(1)});
  p.SetOpen(false);
  p.Emit(3);
  auto started = std::chrono::steady_clock::now();
  Status s = p.provider->Shutdown(std::chrono::milliseconds(100));
  auto took = std::chrono::steady_clock::now() - started;
  // The stuck export is cut at the shutdown deadline rather than hanging for the hour-long
  // export timeout; its records are counted as failed.
  EXPECT_TRUE(s.ok() || s.code() == StatusCode::kDeadlineExceeded) << s.ToString();
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_EQ(p.processor->stats().records_export_failed, 3u);
  EXPECT_EQ(p.processor->stats().records_exported, 0u);
}

TEST(BatchLogRecordProcessorTest, ManyThreadsLoseNoRecordThatWasNotCountedAsDropped) {
  BatchPipeline p({.max_queue_size = 2048,
                   .schedule_delay = std::chrono::milliseconds(5),
                   .max_export_batch_size = 512});
  constexpr int kThreads = 4, kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) p.logger->Emit(Severity::kInfo, "m", {{"i", i}});
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(p.provider->ForceFlush(std::chrono::seconds(30)).ok());
  BatchLogRecordProcessorStats stats = p.processor->stats();
  EXPECT_EQ(stats.records_received, std::uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats.records_exported + stats.records_dropped_queue_full, stats.records_received);
  std::lock_guard lock(p.state->mutex);
  EXPECT_EQ(stats.records_exported, p.state->exported);
}

TEST(BatchLogRecordProcessorTest, StatsReaderOutlivesTheProcessorSafely) {
  auto state = std::make_shared<GatedExporter::State>();
  auto processor = *BatchLogRecordProcessor::Create(std::make_unique<GatedExporter>(state), {});
  std::function<BatchLogRecordProcessorStats()> reader = processor->StatsReader();
  EXPECT_EQ(reader().queue_capacity, 2048u);
  processor.reset();
  EXPECT_EQ(reader().queue_capacity, 0u);  // zeros, not a dangling read
}

TEST(BatchLogRecordProcessorTest, RejectsANullExporterAndZeroSizesAndCapsTheBatchAtTheQueue) {
  EXPECT_FALSE(BatchLogRecordProcessor::Create(nullptr, {}).ok());
  auto state = std::make_shared<GatedExporter::State>();
  EXPECT_FALSE(
      BatchLogRecordProcessor::Create(std::make_unique<GatedExporter>(state), {.max_queue_size = 0})
          .ok());
  EXPECT_FALSE(BatchLogRecordProcessor::Create(std::make_unique<GatedExporter>(state),
                                               {.max_export_batch_size = 0})
                   .ok());
  EXPECT_TRUE(BatchLogRecordProcessor::Create(std::make_unique<GatedExporter>(state),
                                              {.max_queue_size = 4, .max_export_batch_size = 100})
                  .ok());
}

TEST(BatchLogRecordProcessorOptionsTest, DefaultsAreTheSpecificationsBlrpValues) {
  MapEnvironment env;
  EnvironmentReader reader(env);
  auto o = BatchLogRecordProcessorOptions::FromEnvironment(reader);
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_EQ(o.schedule_delay, std::chrono::milliseconds(1000));
  EXPECT_EQ(o.max_export_batch_size, 512u);
  EXPECT_EQ(o.export_timeout, std::chrono::milliseconds(30000));
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(BatchLogRecordProcessorOptionsTest, ReadsTheOtelBlrpVariablesAndKeepsDefaultsOnBadValues) {
  MapEnvironment env{{"OTEL_BLRP_MAX_QUEUE_SIZE", "100"},
                     {"OTEL_BLRP_SCHEDULE_DELAY", "250"},
                     {"OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "-3"},
                     {"OTEL_BLRP_EXPORT_TIMEOUT", ""},
                     {"OTEL_BSP_SCHEDULE_DELAY", "7"}};
  EnvironmentReader reader(env);
  auto o = BatchLogRecordProcessorOptions::FromEnvironment(reader);
  EXPECT_EQ(o.max_queue_size, 100u);
  EXPECT_EQ(o.schedule_delay, std::chrono::milliseconds(250));
  EXPECT_EQ(o.max_export_batch_size, 512u);                       // invalid: default
  EXPECT_EQ(o.export_timeout, std::chrono::milliseconds(30000));  // empty = unset
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::logs
