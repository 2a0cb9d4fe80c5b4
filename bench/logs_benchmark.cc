// Cost of emitting one structured log record on the application's thread, next to a
// conventional baseline measured in the same run.
//
//   Llmtrace_EmitWith3AttributesInSpan: Logger::Emit with 3 attributes inside an active span
//     (so the record is correlated with it), through the BatchLogRecordProcessor (spec defaults:
//     queue 2048, batch 512) to an exporter that accepts and discards.
//   Conventional_EmitWith3AttributesInSpan: the usual shape of the seed's structured logger — a
//     std::map<std::string, std::string> record with the trace and span ids formatted as hex, a
//     timestamp, the message and the same 3 attributes, pushed into a std::deque behind a mutex
//     with a condition variable notified on every record, drained by a background thread.
// Both report "dropped": a run that dropped records did not measure a sustainable rate.
#include <benchmark/benchmark.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "bench/discarding_exporters.h"
#include "llmtrace/common/strings.h"
#include "llmtrace/logs/batch_log_record_processor.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/trace/tracer_provider.h"

namespace llmtrace::bench {
namespace {

// A span to be inside of, from a real tracer provider that exports nowhere.
struct ActiveSpan {
  MapEnvironment env;
  std::shared_ptr<trace::TracerProvider> provider;
  trace::Span span;

  ActiveSpan() {
    trace::TracerProviderOptions options;
    options.environment = &env;
    provider = *trace::TracerProvider::Create(std::move(options));
    span = provider->GetTracer("bench")->StartSpan("chat gpt-4o-mini");
  }
  ~ActiveSpan() { span.End(); }
};

void Llmtrace_EmitWith3AttributesInSpan(benchmark::State& state) {
  MapEnvironment env;
  auto processor_result =
      logs::BatchLogRecordProcessor::Create(std::make_unique<DiscardingLogExporter>());
  logs::BatchLogRecordProcessor* processor = processor_result->get();
  logs::LoggerProviderOptions options;
  options.environment = &env;
  options.processors.push_back(std::move(*processor_result));
  auto provider = *logs::LoggerProvider::Create(std::move(options));
  auto logger = provider->GetLogger("bench.llm_calls");

  ActiveSpan active;
  trace::ContextScope scope = active.span.Activate();
  for (auto _ : state) {
    logger->Emit(logs::Severity::kInfo, "LLM call completed",
                 {{"gen_ai.request.model", "gpt-4o-mini"},
                  {"gen_ai.usage.input_tokens", 1200},
                  {"gen_ai.usage.output_tokens", 350}});
  }
  (void)provider->ForceFlush(std::chrono::seconds(30));
  state.counters["dropped"] = static_cast<double>(processor->stats().records_dropped_queue_full);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_EmitWith3AttributesInSpan);

// The conventional pipeline: map records, a locked deque, a consumer thread, the same queue
// bound (2048) and batch size (512) as the batch processor.
class ConventionalLogQueue {
 public:
  using Record = std::map<std::string, std::string>;
  static constexpr std::size_t kCapacity = 2048;
  static constexpr std::size_t kBatch = 512;

  ConventionalLogQueue() : thread_([this] { Run(); }) {}
  ~ConventionalLogQueue() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void Push(Record record) {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= kCapacity) {
        ++dropped_;
        return;
      }
      queue_.push_back(std::move(record));
    }
    wake_.notify_one();
  }
  void Flush() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [&] { return queue_.empty(); });
  }
  std::uint64_t dropped() {
    std::lock_guard lock(mutex_);
    return dropped_;
  }

 private:
  void Run() {
    std::vector<Record> batch;
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < kBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      lock.unlock();
      benchmark::DoNotOptimize(batch.data());
      batch.clear();  // "export" and free
      lock.lock();
      if (queue_.empty()) drained_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<Record> queue_;
  std::uint64_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

void Conventional_EmitWith3AttributesInSpan(benchmark::State& state) {
  ConventionalLogQueue queue;
  ActiveSpan active;
  trace::ContextScope scope = active.span.Activate();
  for (auto _ : state) {
    ConventionalLogQueue::Record record;
    const trace::Context context = trace::Context::Current();
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    record["timestamp"] =
        std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    record["severity"] = "INFO";
    record["body"] = "LLM call completed";
    record["trace_id"] = context.span_context().trace_id().ToHex();
    record["span_id"] = context.span_context().span_id().ToHex();
    record["gen_ai.request.model"] = "gpt-4o-mini";
    record["gen_ai.usage.input_tokens"] = std::to_string(1200);
    record["gen_ai.usage.output_tokens"] = std::to_string(350);
    queue.Push(std::move(record));
  }
  queue.Flush();
  state.counters["dropped"] = static_cast<double>(queue.dropped());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Conventional_EmitWith3AttributesInSpan);

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
