// Sleeper: waiting that can be cut short, injected wherever code backs off (export retries).
//
// InterruptibleSleeper is the real one: Interrupt() wakes every current and future SleepFor at
// once, which is how Shutdown stops a retry wait. ManualSleeper (for tests) does not wait at all:
// it advances a ManualClock by the requested time and records it.
// Thread-safety: SleepFor and Interrupt may be called from different threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "llmtrace/common/clock.h"

namespace llmtrace {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // False when interrupted before the time passed.
  virtual bool SleepFor(std::chrono::nanoseconds duration) noexcept = 0;
  virtual void Interrupt() noexcept = 0;
};

class InterruptibleSleeper final : public Sleeper {
 public:
  bool SleepFor(std::chrono::nanoseconds duration) noexcept override {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, duration, [this] { return interrupted_; });
  }
  void Interrupt() noexcept override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    wake_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool interrupted_ = false;
};

class ManualSleeper final : public Sleeper {
 public:
  explicit ManualSleeper(ManualClock& clock) : clock_(clock) {}
  bool SleepFor(std::chrono::nanoseconds duration) noexcept override {
    std::lock_guard lock(mutex_);
    if (interrupted_) return false;
    sleeps_.push_back(duration);
    clock_.Advance(duration);
    return true;
  }
  void Interrupt() noexcept override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  std::vector<std::chrono::nanoseconds> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  ManualClock& clock_;
  mutable std::mutex mutex_;
  std::vector<std::chrono::nanoseconds> sleeps_;
  bool interrupted_ = false;
};

}  // namespace llmtrace
