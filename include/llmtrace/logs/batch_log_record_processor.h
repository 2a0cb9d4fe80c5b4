// BatchLogRecordProcessor: the production log record processor. OnEmit puts the record in a
// bounded lock-free queue and returns; a background thread exports batches.
//
// The caller never blocks: when the queue is full the record is dropped, counted in stats() and
// reported in the internal log at a limited rate. A batch is exported as soon as
// max_export_batch_size records are queued, or when schedule_delay has passed since the last
// export. ForceFlush and Shutdown wait at most their timeout; Shutdown exports what is queued
// first, then interrupts an export still retrying past the deadline.
// Options come from OTEL_BLRP_* when built with FromEnvironment (the spec defaults: queue 2048,
// delay 1000 ms, batch 512, export timeout 30000 ms). The queue capacity is rounded up to a
// power of two. The design is BatchSpanProcessor's (docs/design.md).
// Thread-safety: OnEmit from any number of threads; ForceFlush/Shutdown from any thread.
//
//   auto processor = BatchLogRecordProcessor::Create(
//       std::move(exporter), BatchLogRecordProcessorOptions::FromEnvironment(env));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/logs/log_record_exporter.h"
#include "llmtrace/logs/log_record_processor.h"

namespace llmtrace::logs {

struct BatchLogRecordProcessorOptions {
  std::size_t max_queue_size = 2048;                // OTEL_BLRP_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{1000};   // OTEL_BLRP_SCHEDULE_DELAY
  std::size_t max_export_batch_size = 512;          // OTEL_BLRP_MAX_EXPORT_BATCH_SIZE
  std::chrono::milliseconds export_timeout{30000};  // OTEL_BLRP_EXPORT_TIMEOUT

  static BatchLogRecordProcessorOptions FromEnvironment(EnvironmentReader& env);
};

// Counters since start. records_dropped_* and records_export_failed are the records that will
// never be exported. Every received record ends up exported, dropped or failed: once emitting
// has stopped and a ForceFlush has returned, received == exported + dropped_queue_full +
// dropped_shutdown + export_failed.
struct BatchLogRecordProcessorStats {
  std::uint64_t records_received = 0;            // given to OnEmit
  std::uint64_t records_exported = 0;            // accepted by the exporter
  std::uint64_t records_dropped_queue_full = 0;  // queue was full
  std::uint64_t records_dropped_shutdown = 0;    // arrived after Shutdown
  std::uint64_t records_export_failed = 0;       // the exporter gave up on them
  std::uint64_t export_calls = 0;
  std::size_t queue_size = 0;
  std::size_t queue_capacity = 0;
};

class BatchLogRecordProcessor final : public LogRecordProcessor {
 public:
  // Fails on a null exporter or zero sizes; a batch larger than the queue is cut to the queue.
  static Result<std::unique_ptr<BatchLogRecordProcessor>> Create(
      std::unique_ptr<LogRecordExporter> exporter, BatchLogRecordProcessorOptions options = {});
  ~BatchLogRecordProcessor() override;

  void OnEmit(LogRecordDataPtr record) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  BatchLogRecordProcessorStats stats() const noexcept;
  // A function that reads stats() for as long as the processor lives, and zeros after: what
  // self-observability metrics hold, so a metric collection never touches a destroyed processor.
  std::function<BatchLogRecordProcessorStats()> StatsReader() const;

 private:
  class Worker;
  explicit BatchLogRecordProcessor(std::shared_ptr<Worker> worker);
  std::shared_ptr<Worker> worker_;
};

}  // namespace llmtrace::logs
