#include "llmtrace/common/clock.h"

#include "src/common/tsc_clock.h"

namespace llmtrace {

Timestamp SystemClock::Now() const noexcept { return internal::TscWallClock::Instance().Now(); }

const SystemClock& SystemClock::Instance() noexcept {
  static const SystemClock clock;
  return clock;
}

}  // namespace llmtrace
