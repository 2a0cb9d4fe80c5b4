// TscWallClock: wall-clock time from the CPU's time-stamp counter, for span timestamps.
//
// clock_gettime costs about 30 ns on a KVM guest (kvm-clock) and a span reads the clock twice;
// rdtsc plus a multiply costs about half. The counter is turned into wall time with an anchor
// (a counter value and the wall time read together) and a ticks-to-nanoseconds rate measured
// against the system clock over a baseline that grows for the life of the process, so the rate
// error shrinks to parts per million. Every second the anchor is re-read, so drift and clock
// steps (NTP, VM migration) are corrected within a second; a prediction off by more than a
// millisecond restarts the calibration.
// It is used only where the kernel reports an invariant TSC (constant_tsc and nonstop_tsc), and
// falls back to the system clock until calibrated, while re-anchoring, or on any surprise.
// Thread-safety: Now() is lock-free and may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "llmtrace/common/clock.h"

namespace llmtrace::internal {

class TscWallClock {
 public:
  static TscWallClock& Instance() noexcept;

  Timestamp Now() noexcept;
  // Whether readings come from the counter (false: the system clock is used throughout).
  bool enabled() const noexcept { return enabled_; }
  bool calibrated() const noexcept { return calibrated_.load(std::memory_order_acquire); }

  // For tests: builds a clock regardless of CPU flags.
  explicit TscWallClock(bool enabled) noexcept;

 private:
  struct Sample {
    std::uint64_t tsc;
    std::int64_t wall_ns;
  };
  static Sample ReadPair() noexcept;
  static std::int64_t SystemNanos() noexcept;
  void Reanchor(std::uint64_t tsc_now) noexcept;

  const bool enabled_;
  std::atomic<bool> calibrated_{false};
  // The anchor, published under a sequence lock: odd while being written.
  std::atomic<std::uint64_t> sequence_{0};
  std::atomic<std::uint64_t> anchor_tsc_{0};
  std::atomic<std::int64_t> anchor_wall_ns_{0};
  std::atomic<std::uint64_t> ns_per_tick_bits_{0};  // a double's bits
  std::atomic<std::uint64_t> reanchor_after_ticks_{0};

  std::mutex reanchor_mutex_;  // one re-anchoring thread at a time (try_lock only)
  Sample baseline_{};          // first sample of the current calibration, under the mutex
};

}  // namespace llmtrace::internal
