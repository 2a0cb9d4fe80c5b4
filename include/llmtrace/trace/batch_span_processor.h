// BatchSpanProcessor: the production span processor. OnEnd puts the finished span in a bounded
// lock-free queue and returns; a background thread exports batches.
//
// The caller never blocks: when the queue is full the span is dropped, counted in stats() and
// reported in the internal log at a limited rate. A batch is exported as soon as
// max_export_batch_size spans are queued, or when schedule_delay has passed since the last export,
// so at loads the exporter can carry nothing is dropped. Only sampled spans are exported.
// ForceFlush and Shutdown wait at most their timeout; Shutdown exports what is queued first.
// Options come from OTEL_BSP_* when built with FromEnvironment (the spec defaults: queue 2048,
// delay 5000 ms, batch 512, export timeout 30000 ms). The queue capacity is rounded up to a
// power of two.
// Thread-safety: OnEnd from any number of threads; ForceFlush/Shutdown from any thread.
//
//   auto processor = BatchSpanProcessor::Create(std::move(exporter),
//                                               BatchSpanProcessorOptions::FromEnvironment(env));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/span_exporter.h"
#include "llmtrace/trace/span_processor.h"

namespace llmtrace::trace {

struct BatchSpanProcessorOptions {
  std::size_t max_queue_size = 2048;                // OTEL_BSP_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{5000};   // OTEL_BSP_SCHEDULE_DELAY
  std::size_t max_export_batch_size = 512;          // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
  std::chrono::milliseconds export_timeout{30000};  // OTEL_BSP_EXPORT_TIMEOUT

  static BatchSpanProcessorOptions FromEnvironment(EnvironmentReader& env);
};

// Counters since start. spans_dropped_* are the spans that will never be exported.
struct BatchSpanProcessorStats {
  std::uint64_t spans_received = 0;            // sampled spans given to OnEnd
  std::uint64_t spans_exported = 0;            // accepted by the exporter
  std::uint64_t spans_dropped_queue_full = 0;  // queue was full
  std::uint64_t spans_dropped_shutdown = 0;    // arrived after Shutdown
  std::uint64_t spans_export_failed = 0;       // the exporter gave up on them
  std::uint64_t export_calls = 0;
  std::size_t queue_size = 0;
  std::size_t queue_capacity = 0;
};

class BatchSpanProcessor final : public SpanProcessor {
 public:
  // Fails on a null exporter or zero sizes; a batch larger than the queue is cut to the queue.
  static Result<std::unique_ptr<BatchSpanProcessor>> Create(std::unique_ptr<SpanExporter> exporter,
                                                            BatchSpanProcessorOptions options = {});
  ~BatchSpanProcessor() override;

  void OnEnd(SpanDataPtr span) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  BatchSpanProcessorStats stats() const noexcept;
  // A function that reads stats() for as long as the processor lives, and zeros after: what
  // self-observability metrics hold, so a metric collection never touches a destroyed processor.
  std::function<BatchSpanProcessorStats()> StatsReader() const;

 private:
  class Worker;
  explicit BatchSpanProcessor(std::shared_ptr<Worker> worker);
  std::shared_ptr<Worker> worker_;
};

}  // namespace llmtrace::trace
