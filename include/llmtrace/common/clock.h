// Clock: the one source of time for everything llmtrace records or schedules.
//
// Injected wherever time matters (span timestamps, batch schedules, retry backoff) so tests run
// on a ManualClock with no sleeps. SystemClock is the process default.
// Thread-safety: implementations must be safe to call from any thread.
//
//   ManualClock clock(Timestamp{std::chrono::seconds(1700000000)});
//   clock.Advance(std::chrono::milliseconds(250));
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace llmtrace {

// Wall-clock time with nanosecond resolution: what OTLP's *_unix_nano fields carry.
using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;
// Monotonic time, for deadlines and durations that must not jump with NTP.
using MonotonicTime = std::chrono::time_point<std::chrono::steady_clock, std::chrono::nanoseconds>;

inline std::uint64_t ToUnixNanos(Timestamp t) noexcept {
  return static_cast<std::uint64_t>(t.time_since_epoch().count());
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const noexcept = 0;
  virtual MonotonicTime MonotonicNow() const noexcept = 0;
};

// The real clock. Now() is derived from the CPU's invariant time-stamp counter where the kernel
// reports one (see src/common/tsc_clock.h): about half the cost of clock_gettime on a VM, and
// within microseconds of it. LLMTRACE_DISABLE_TSC_CLOCK=1 forces clock_gettime.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const noexcept override;
  MonotonicTime MonotonicNow() const noexcept override {
    return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now());
  }
  // The shared instance; lives for the whole process.
  static const SystemClock& Instance() noexcept;
};

// A clock that moves only when told to; both readings advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{std::chrono::seconds(1'700'000'000)})
      : wall_ns_(start.time_since_epoch().count()) {}

  Timestamp Now() const noexcept override {
    return Timestamp{std::chrono::nanoseconds(wall_ns_.load(std::memory_order_acquire))};
  }
  MonotonicTime MonotonicNow() const noexcept override {
    return MonotonicTime{std::chrono::nanoseconds(mono_ns_.load(std::memory_order_acquire))};
  }
  void Advance(std::chrono::nanoseconds by) noexcept {
    wall_ns_.fetch_add(by.count(), std::memory_order_acq_rel);
    mono_ns_.fetch_add(by.count(), std::memory_order_acq_rel);
  }

 private:
  std::atomic<std::int64_t> wall_ns_;
  std::atomic<std::int64_t> mono_ns_{1'000'000'000};
};

}  // namespace llmtrace
