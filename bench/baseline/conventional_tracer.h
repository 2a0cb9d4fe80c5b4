// The baseline the trace benchmarks compare against, measured in the same run: a tracer built
// the conventional way (the shape of opentelemetry-cpp's SDK and most tracers): a heap-allocated
// span behind a shared_ptr, attributes in a std::map of std::string to std::variant, and a batch
// processor queue guarded by a mutex with a condition variable notified on every span.
// It does the same work as llmtrace per span (ids, two clock reads, attribute copies, queueing,
// a background export thread), so the ratio shows what the design choices buy.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace llmtrace::bench {

using ConventionalValue = std::variant<bool, std::int64_t, double, std::string>;

struct ConventionalEvent {
  std::string name;
  std::chrono::system_clock::time_point time;
  std::map<std::string, ConventionalValue> attributes;
};

struct ConventionalSpan {
  std::string name;
  std::uint64_t trace_id_hi = 0, trace_id_lo = 0, span_id = 0, parent_id = 0;
  std::chrono::system_clock::time_point start, end;
  std::map<std::string, ConventionalValue> attributes;
  std::vector<ConventionalEvent> events;
};

class ConventionalBatchProcessor {
 public:
  explicit ConventionalBatchProcessor(std::size_t max_queue = 2048, std::size_t batch = 512)
      : max_queue_(max_queue), batch_(batch), thread_([this] { Run(); }) {}
  ~ConventionalBatchProcessor() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void OnEnd(std::shared_ptr<ConventionalSpan> span) {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= max_queue_) {
        ++dropped_;
        return;
      }
      queue_.push_back(std::move(span));
    }
    cv_.notify_one();
  }
  std::uint64_t dropped() {
    std::lock_guard lock(mutex_);
    return dropped_;
  }

 private:
  void Run() {
    std::vector<std::shared_ptr<ConventionalSpan>> batch;
    while (true) {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, std::chrono::milliseconds(5000),
                   [&] { return stop_ || queue_.size() >= batch_; });
      while (!queue_.empty() && batch.size() < batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      bool stop = stop_ && queue_.empty();
      lock.unlock();
      batch.clear();  // "export"
      if (stop) return;
    }
  }

  std::size_t max_queue_, batch_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<ConventionalSpan>> queue_;
  bool stop_ = false;
  std::uint64_t dropped_ = 0;
  std::thread thread_;
};

class ConventionalTracer {
 public:
  explicit ConventionalTracer(ConventionalBatchProcessor& processor) : processor_(processor) {}

  std::shared_ptr<ConventionalSpan> Start(std::string name, std::uint64_t parent = 0) {
    auto span = std::make_shared<ConventionalSpan>();
    span->name = std::move(name);
    span->trace_id_hi = rng_();
    span->trace_id_lo = rng_();
    span->span_id = rng_();
    span->parent_id = parent;
    span->start = std::chrono::system_clock::now();
    return span;
  }
  void End(std::shared_ptr<ConventionalSpan> span) {
    span->end = std::chrono::system_clock::now();
    processor_.OnEnd(std::move(span));
  }

 private:
  ConventionalBatchProcessor& processor_;
  std::mt19937_64 rng_{42};
};

}  // namespace llmtrace::bench
