#include "llmtrace/trace/batch_span_processor.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/common/internal_log.h"
#include "src/trace/bounded_queue.h"

namespace llmtrace::trace {

BatchSpanProcessorOptions BatchSpanProcessorOptions::FromEnvironment(EnvironmentReader& env) {
  BatchSpanProcessorOptions o;
  o.max_queue_size = static_cast<std::size_t>(env.GetInt(
      "OTEL_BSP_MAX_QUEUE_SIZE", static_cast<std::int64_t>(o.max_queue_size), 1, 1 << 24));
  o.schedule_delay = env.GetMilliseconds("OTEL_BSP_SCHEDULE_DELAY", o.schedule_delay);
  o.max_export_batch_size = static_cast<std::size_t>(
      env.GetInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
                 static_cast<std::int64_t>(o.max_export_batch_size), 1, 1 << 24));
  o.export_timeout = env.GetMilliseconds("OTEL_BSP_EXPORT_TIMEOUT", o.export_timeout);
  return o;
}

// The queue, the export thread and the counters. Producers (OnEnd) only touch the queue and,
// when a batch is ready and the thread sleeps, the wake-up mutex.
class BatchSpanProcessor::Worker {
 public:
  Worker(std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options)
      : exporter_(std::move(exporter)), options_(options), queue_(options.max_queue_size) {
    batch_.reserve(options_.max_export_batch_size);
    thread_ = std::thread([this] { Run(); });
  }

  ~Worker() {
    (void)Shutdown(std::chrono::seconds(30));
    // Spans that raced with shutdown into the queue after the thread's last drain.
    while (SpanData* data = queue_.TryPop()) {
      SpanDataPtr recycled(data);
      dropped_shutdown_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  void Enqueue(SpanDataPtr span) noexcept {
    if (!span->context().sampled()) return;  // recorded for processors, never exported
    // No "received" counter on this path: stats() derives it from the queue's push count and the
    // rejections, which saves a locked read-modify-write per span.
    if (stopping_.load(std::memory_order_relaxed)) {
      rejected_stopping_.fetch_add(1, std::memory_order_relaxed);
      dropped_shutdown_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    std::uint64_t position = 0;
    if (!queue_.TryPush(span.get(), &position)) {
      std::uint64_t dropped = dropped_queue_full_.fetch_add(1, std::memory_order_relaxed) + 1;
      drop_log_.Warn([&] {
        return "batch span processor: queue full (" + std::to_string(queue_.capacity()) +
               " spans); " + std::to_string(dropped) + " spans dropped so far";
      });
      return;
    }
    (void)span.release();  // the queue owns it now
    // Wake the thread only when it sleeps and a full batch is waiting. The consumer's position
    // is read only then: reading it on every push would pull its cache line across cores while
    // the thread drains.
    if (waiting_.load(std::memory_order_seq_cst) &&
        position + 1 - queue_.popped() >= options_.max_export_batch_size) {
      WakeIfWaiting();
    }
  }

  Status ForceFlush(std::chrono::milliseconds timeout) noexcept {
    std::unique_lock lock(mutex_);
    if (exited_) return Status::Ok();
    std::uint64_t ticket = ++flush_requested_;
    flush_pending_.store(true, std::memory_order_release);
    wake_.notify_one();
    if (!flushed_.wait_for(lock, timeout, [&] { return flush_completed_ >= ticket || exited_; })) {
      return DeadlineExceededError("batch span processor: flush did not finish within " +
                                   std::to_string(timeout.count()) + " ms");
    }
    return Status::Ok();
  }

  Status Shutdown(std::chrono::milliseconds timeout) noexcept {
    if (stopping_.exchange(true)) return Status::Ok();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    shutdown_deadline_ns_.store(deadline.time_since_epoch().count());
    bool finished;
    {
      std::unique_lock lock(mutex_);
      wake_.notify_one();
      finished = flushed_.wait_until(lock, deadline, [&] { return exited_; });
    }
    auto left = [&] {
      return std::max(std::chrono::milliseconds(0),
                      std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now()));
    };
    // Shutting the exporter down interrupts an export still retrying past the deadline.
    Status exporter_status = exporter_->Shutdown(left());
    thread_.join();
    if (!finished) {
      return DeadlineExceededError("batch span processor: shutdown did not finish within " +
                                   std::to_string(timeout.count()) + " ms");
    }
    return exporter_status;
  }

  BatchSpanProcessorStats stats() const noexcept {
    BatchSpanProcessorStats s;
    // Outcomes first, then the pushes: a span is pushed before it is exported or fails, so the
    // snapshot never shows more spans handled than received.
    s.spans_exported = exported_.load(std::memory_order_acquire);
    s.spans_export_failed = export_failed_.load(std::memory_order_acquire);
    s.spans_dropped_shutdown = dropped_shutdown_.load(std::memory_order_acquire);
    s.spans_dropped_queue_full = dropped_queue_full_.load(std::memory_order_acquire);
    s.spans_received = queue_.pushed() + s.spans_dropped_queue_full +
                       rejected_stopping_.load(std::memory_order_acquire);
    s.export_calls = export_calls_.load(std::memory_order_relaxed);
    s.queue_size = queue_.size();
    s.queue_capacity = queue_.capacity();
    return s;
  }

 private:
  void WakeIfWaiting() noexcept {
    // The push (a seq_cst CAS) came before our seq_cst read of waiting_, and the thread's seq_cst
    // store of waiting_ comes before its re-check of the queue: either it sees our push before
    // sleeping, or we see that it sleeps and wake it.
    if (waiting_.exchange(false, std::memory_order_seq_cst)) {
      std::lock_guard lock(mutex_);
      wake_.notify_one();
    }
  }

  // After a busy cycle the thread polls this long before it sleeps: waking a sleeping thread
  // can take longer on a VM than a fast producer needs to fill the queue's headroom.
  static constexpr std::chrono::microseconds kBusyPollWindow{200};

  bool FullBatchReady() const noexcept { return queue_.HasAtLeast(options_.max_export_batch_size); }
  bool WorkPending() const noexcept {
    return FullBatchReady() || stopping_.load() || flush_pending_.load(std::memory_order_acquire);
  }

  void Run() noexcept {
    auto next_scheduled = std::chrono::steady_clock::now() + options_.schedule_delay;
    bool busy = false;
    while (true) {
      // Export every full batch.
      while (FullBatchReady()) {
        ExportBatch();
        busy = true;
      }
      if (busy) {
        auto poll_until = std::chrono::steady_clock::now() + kBusyPollWindow;
        while (!WorkPending() && std::chrono::steady_clock::now() < poll_until) {
          std::this_thread::yield();
        }
        busy = false;
        if (FullBatchReady()) continue;
      }

      std::uint64_t flush_ticket;
      {
        std::unique_lock lock(mutex_);
        waiting_.store(true, std::memory_order_seq_cst);
        wake_.wait_until(lock, next_scheduled, [&] {
          return FullBatchReady() || flush_requested_ > flush_completed_ || stopping_.load();
        });
        waiting_.store(false, std::memory_order_relaxed);
        flush_ticket = flush_requested_;
      }

      bool stopping = stopping_.load();
      bool flushing = flush_ticket > flush_completed_;
      bool timer_fired = std::chrono::steady_clock::now() >= next_scheduled;
      if (stopping || flushing || timer_fired) {
        // Drain what is queued now (not what keeps arriving, or a busy app would starve us).
        std::uint64_t target = queue_.pushed();
        while (queue_.popped() < target && queue_.size() > 0) {
          // Nothing popped: a producer has claimed a cell but not filled it yet.
          if (ExportBatch() == 0) std::this_thread::yield();
        }
        next_scheduled = std::chrono::steady_clock::now() + options_.schedule_delay;
      }
      if (flushing) {
        (void)exporter_->ForceFlush(options_.export_timeout);
        std::lock_guard lock(mutex_);
        flush_completed_ = flush_ticket;
        flush_pending_.store(flush_requested_ > flush_completed_, std::memory_order_release);
        flushed_.notify_all();
      }
      if (stopping) break;
    }
    std::lock_guard lock(mutex_);
    exited_ = true;
    flushed_.notify_all();
  }

  // Returns how many spans it exported (or tried to).
  std::size_t ExportBatch() noexcept {
    while (batch_.size() < options_.max_export_batch_size) {
      SpanData* data = queue_.TryPop();
      if (data == nullptr) break;
      batch_.emplace_back(data);
    }
    if (batch_.empty()) return 0;
    auto deadline = std::chrono::steady_clock::now() + options_.export_timeout;
    if (stopping_.load()) {
      auto shutdown_deadline = std::chrono::steady_clock::time_point(
          std::chrono::steady_clock::duration(shutdown_deadline_ns_.load()));
      deadline = std::min(deadline, shutdown_deadline);
    }
    export_calls_.fetch_add(1, std::memory_order_relaxed);
    ExportResult result = exporter_->Export(batch_, deadline);
    auto& counter = result == ExportResult::kSuccess ? exported_ : export_failed_;
    std::size_t count = batch_.size();
    counter.fetch_add(count, std::memory_order_relaxed);
    batch_.clear();  // returns the spans to the pool
    return count;
  }

  std::unique_ptr<SpanExporter> exporter_;
  const BatchSpanProcessorOptions options_;
  internal::BoundedQueue<SpanData> queue_;
  std::vector<SpanDataPtr> batch_;  // the export thread's only

  std::mutex mutex_;
  std::condition_variable wake_;     // producers, ForceFlush, Shutdown -> thread
  std::condition_variable flushed_;  // thread -> ForceFlush, Shutdown
  std::atomic<bool> waiting_{false};
  std::atomic<bool> flush_pending_{false};  // a ForceFlush waits (readable without the mutex)
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> shutdown_deadline_ns_{0};
  std::uint64_t flush_requested_ = 0;  // guarded by mutex_
  std::uint64_t flush_completed_ = 0;  // guarded by mutex_
  bool exited_ = false;                // guarded by mutex_

  std::atomic<std::uint64_t> rejected_stopping_{0};  // refused by Enqueue after Shutdown began
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> dropped_queue_full_{0};
  std::atomic<std::uint64_t> dropped_shutdown_{0};
  std::atomic<std::uint64_t> export_failed_{0};
  std::atomic<std::uint64_t> export_calls_{0};
  RateLimitedLog drop_log_;

  std::thread thread_;  // last: starts after everything above exists
};

Result<std::unique_ptr<BatchSpanProcessor>> BatchSpanProcessor::Create(
    std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options) {
  if (!exporter) return InvalidArgumentError("batch span processor: exporter is null");
  if (options.max_queue_size == 0) {
    return InvalidArgumentError("batch span processor: max_queue_size must be at least 1");
  }
  if (options.max_export_batch_size == 0) {
    return InvalidArgumentError("batch span processor: max_export_batch_size must be at least 1");
  }
  if (options.max_export_batch_size > options.max_queue_size) {
    options.max_export_batch_size = options.max_queue_size;  // what the spec prescribes
  }
  try {
    return std::unique_ptr<BatchSpanProcessor>(
        new BatchSpanProcessor(std::make_shared<Worker>(std::move(exporter), options)));
  } catch (const std::exception& e) {
    return InternalError(std::string("batch span processor: cannot start its thread: ") + e.what());
  }
}

BatchSpanProcessor::BatchSpanProcessor(std::shared_ptr<Worker> worker)
    : worker_(std::move(worker)) {}
BatchSpanProcessor::~BatchSpanProcessor() = default;

void BatchSpanProcessor::OnEnd(SpanDataPtr span) noexcept { worker_->Enqueue(std::move(span)); }
Status BatchSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return worker_->ForceFlush(timeout);
}
Status BatchSpanProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  return worker_->Shutdown(timeout);
}
BatchSpanProcessorStats BatchSpanProcessor::stats() const noexcept { return worker_->stats(); }

std::function<BatchSpanProcessorStats()> BatchSpanProcessor::StatsReader() const {
  return [weak = std::weak_ptr<const Worker>(worker_)] {
    std::shared_ptr<const Worker> worker = weak.lock();
    return worker ? worker->stats() : BatchSpanProcessorStats{};
  };
}

}  // namespace llmtrace::trace
