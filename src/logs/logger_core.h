// The state a LoggerProvider shares with its Loggers. Loggers keep it alive, so a logger that
// outlives its provider still emits safely (into a shut-down pipeline, which discards).
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/logs/log_record_limits.h"
#include "llmtrace/logs/log_record_processor.h"

namespace llmtrace::logs::internal {

class LoggerCore {
 public:
  // Member order matters: the processor is destroyed (flushing its queue) before the resource
  // and scopes its records point to.
  Resource resource;
  const Clock* clock = nullptr;
  LogRecordLimits limits;
  bool disabled = false;
  std::atomic<bool> shut_down{false};

  std::mutex scopes_mutex;
  std::deque<InstrumentationScope> scopes;  // a deque: addresses stay stable as it grows

  std::unique_ptr<LogRecordProcessor> processor;  // never null; one processor or a fan-out
};

}  // namespace llmtrace::logs::internal
