// The state a TracerProvider shares with its Tracers and live Spans. Spans keep it alive, so a
// span that outlives its provider still ends safely (its data goes to a shut-down processor,
// which drops and counts it).
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/ids.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/trace/sampler.h"
#include "llmtrace/trace/span_limits.h"
#include "llmtrace/trace/span_processor.h"

namespace llmtrace::trace::internal {

class TracerCore {
 public:
  // Member order matters: the processor is destroyed (flushing its queue) before the resource
  // and scopes its spans point to.
  Resource resource;
  std::shared_ptr<const Sampler> sampler;
  std::shared_ptr<IdGenerator> id_generator;
  const Clock* clock = nullptr;
  SpanLimits limits;
  bool disabled = false;
  std::atomic<bool> shut_down{false};

  std::mutex scopes_mutex;
  std::deque<InstrumentationScope> scopes;  // a deque: addresses stay stable as it grows

  std::unique_ptr<SpanProcessor> processor;  // never null; one processor or a fan-out
};

}  // namespace llmtrace::trace::internal
