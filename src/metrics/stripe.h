// Per-thread stripes: how concurrent recording avoids sharing one cache line.
//
// Each series keeps kStripes copies of its accumulators, each on its own cache line. A thread
// records into the stripe it was assigned on first use (round robin), so two threads hammering
// the same series usually write different lines; collection sums the stripes.
#pragma once

#include <cstddef>

namespace llmtrace::metrics::internal {

inline constexpr std::size_t kCacheLine = 64;
inline constexpr std::size_t kStripes = 4;

std::size_t AssignStripe() noexcept;

inline std::size_t StripeIndex() noexcept {
  // initial-exec: a plain %fs-relative load, not a __tls_get_addr call from position-independent
  // code.
  static thread_local std::size_t index __attribute__((tls_model("initial-exec"))) = kStripes;
  if (index == kStripes) [[unlikely]]
    index = AssignStripe();
  return index;
}

// Spin-wait hint for short critical sections.
inline void CpuRelax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace llmtrace::metrics::internal
