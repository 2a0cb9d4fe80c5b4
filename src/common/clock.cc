#include "llmtrace/common/clock.h"

namespace llmtrace {

const SystemClock& SystemClock::Instance() noexcept {
  static const SystemClock clock;
  return clock;
}

}  // namespace llmtrace
