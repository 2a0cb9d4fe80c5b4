#include "llmtrace/trace/context.h"

#include <utility>

namespace llmtrace::trace {

namespace {
thread_local Context current_context;
}  // namespace

Context Context::Current() noexcept { return current_context; }

const Context& internal::CurrentContextRef() noexcept { return current_context; }

ContextScope::ContextScope(Context context) noexcept
    : previous_(std::exchange(current_context, std::move(context))) {}

ContextScope::ContextScope(ContextScope&& other) noexcept
    : previous_(std::move(other.previous_)), active_(std::exchange(other.active_, false)) {}

ContextScope::~ContextScope() {
  if (active_) current_context = std::move(previous_);
}

}  // namespace llmtrace::trace
