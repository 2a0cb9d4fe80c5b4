#include "src/common/tsc_clock.h"

#include <x86intrin.h>

#include <bit>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

namespace llmtrace::internal {

namespace {

constexpr std::int64_t kMinCalibrationNs = 10'000'000;       // 10 ms before trusting a rate
constexpr std::int64_t kReanchorIntervalNs = 1'000'000'000;  // re-read the wall clock every 1 s
constexpr std::int64_t kMaxPredictionErrorNs = 1'000'000;    // beyond this, recalibrate

bool CpuHasInvariantTsc() {
#if defined(__x86_64__)
  if (const char* off = std::getenv("LLMTRACE_DISABLE_TSC_CLOCK"); off && *off == '1') {
    return false;
  }
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    auto has = [&line](const char* flag) {
      std::string padded = std::string(" ") + flag;
      std::size_t pos = line.find(padded);
      return pos != std::string::npos &&
             (pos + padded.size() == line.size() || line[pos + padded.size()] == ' ');
    };
    return has("constant_tsc") && has("nonstop_tsc");
  }
#endif
  return false;
}

}  // namespace

TscWallClock& TscWallClock::Instance() noexcept {
  static TscWallClock* clock = new TscWallClock(CpuHasInvariantTsc());
  return *clock;
}

TscWallClock::TscWallClock(bool enabled) noexcept : enabled_(enabled) {
  if (enabled_) {
    baseline_ = ReadPair();
    anchor_tsc_.store(baseline_.tsc, std::memory_order_relaxed);
    anchor_wall_ns_.store(baseline_.wall_ns, std::memory_order_relaxed);
  }
}

std::int64_t TscWallClock::SystemNanos() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

TscWallClock::Sample TscWallClock::ReadPair() noexcept {
  // Bracket the wall reading with two counter reads and keep the tightest of a few tries, so the
  // pair is consistent to within tens of nanoseconds.
  Sample best{};
  std::uint64_t best_gap = ~std::uint64_t{0};
  for (int i = 0; i < 5; ++i) {
    std::uint64_t before = __rdtsc();
    std::int64_t wall = SystemNanos();
    std::uint64_t after = __rdtsc();
    if (after - before < best_gap) {
      best_gap = after - before;
      best = Sample{before + (after - before) / 2, wall};
    }
  }
  return best;
}

Timestamp TscWallClock::Now() noexcept {
  if (!enabled_ || !calibrated_.load(std::memory_order_acquire)) {
    if (enabled_) Reanchor(__rdtsc());  // calibrating: try to finish
    return Timestamp{std::chrono::nanoseconds(SystemNanos())};
  }
  std::uint64_t seq = sequence_.load(std::memory_order_acquire);
  std::uint64_t tsc0 = anchor_tsc_.load(std::memory_order_relaxed);
  std::int64_t wall0 = anchor_wall_ns_.load(std::memory_order_relaxed);
  double ns_per_tick = std::bit_cast<double>(ns_per_tick_bits_.load(std::memory_order_relaxed));
  std::uint64_t limit = reanchor_after_ticks_.load(std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_acquire);
  std::uint64_t tsc = __rdtsc();
  if ((seq & 1) != 0 || seq != sequence_.load(std::memory_order_relaxed)) {
    return Timestamp{std::chrono::nanoseconds(SystemNanos())};  // being re-anchored
  }
  std::uint64_t ticks = tsc - tsc0;  // a counter behind the anchor wraps to a huge value
  if (ticks > limit) {
    Reanchor(tsc);
    return Timestamp{std::chrono::nanoseconds(SystemNanos())};
  }
  return Timestamp{std::chrono::nanoseconds(
      wall0 + static_cast<std::int64_t>(static_cast<double>(ticks) * ns_per_tick))};
}

void TscWallClock::Reanchor(std::uint64_t tsc_now) noexcept {
  std::unique_lock lock(reanchor_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another thread is at it; callers use the system clock
  Sample now = ReadPair();
  (void)tsc_now;
  std::int64_t elapsed_ns = now.wall_ns - baseline_.wall_ns;
  bool calibrated = calibrated_.load(std::memory_order_relaxed);
  if (calibrated) {
    // How far off was the prediction? A large error means the clock stepped, the VM moved or
    // the counter misbehaved: start the calibration over.
    double ns_per_tick = std::bit_cast<double>(ns_per_tick_bits_.load(std::memory_order_relaxed));
    std::int64_t predicted =
        anchor_wall_ns_.load(std::memory_order_relaxed) +
        static_cast<std::int64_t>(
            static_cast<double>(now.tsc - anchor_tsc_.load(std::memory_order_relaxed)) *
            ns_per_tick);
    std::int64_t error = predicted - now.wall_ns;
    if (error > kMaxPredictionErrorNs || error < -kMaxPredictionErrorNs ||
        now.tsc < baseline_.tsc) {
      baseline_ = now;
      calibrated_.store(false, std::memory_order_release);
      return;
    }
  } else if (elapsed_ns < kMinCalibrationNs || now.tsc <= baseline_.tsc) {
    if (now.tsc < baseline_.tsc || elapsed_ns < 0) baseline_ = now;
    return;  // not enough baseline yet
  }
  // The rate over the whole baseline: its error shrinks as the process runs.
  double ns_per_tick =
      static_cast<double>(elapsed_ns) / static_cast<double>(now.tsc - baseline_.tsc);
  auto reanchor_ticks = static_cast<std::uint64_t>(kReanchorIntervalNs / ns_per_tick);

  sequence_.fetch_add(1, std::memory_order_acq_rel);  // odd: readers fall back
  std::atomic_thread_fence(std::memory_order_release);
  anchor_tsc_.store(now.tsc, std::memory_order_relaxed);
  anchor_wall_ns_.store(now.wall_ns, std::memory_order_relaxed);
  ns_per_tick_bits_.store(std::bit_cast<std::uint64_t>(ns_per_tick), std::memory_order_relaxed);
  reanchor_after_ticks_.store(reanchor_ticks, std::memory_order_relaxed);
  sequence_.fetch_add(1, std::memory_order_release);  // even again
  calibrated_.store(true, std::memory_order_release);
}

}  // namespace llmtrace::internal
