// Context: what is "current" on a thread (the active span's context and the baggage), and the
// RAII scope that makes a context current.
//
// New spans take the current context's span as their parent unless given an explicit parent,
// which is how asynchronous code (callbacks, thread pools, coroutines) keeps traces connected:
// capture Context::Current() where the work is scheduled and pass it as the parent, or activate
// it with a ContextScope where the work runs.
// Thread-safety: each thread has its own current context. Scopes must end in reverse order of
// creation on the thread that created them (they are stack objects in practice).
//
//   Span span = tracer->StartSpan("invoke_agent planner");
//   ContextScope scope = span.Activate();   // children started below nest under `span`
//   Context captured = Context::Current();  // hand this to another thread as an explicit parent
#pragma once

#include <memory>

#include "llmtrace/trace/span_context.h"

namespace llmtrace::trace {

class Baggage;  // baggage.h

class Context {
 public:
  Context() noexcept = default;
  explicit Context(SpanContext span_context, std::shared_ptr<const Baggage> baggage = nullptr)
      : span_context_(std::move(span_context)), baggage_(std::move(baggage)) {}

  // A copy of the calling thread's current context (empty if none is active).
  static Context Current() noexcept;

  const SpanContext& span_context() const noexcept { return span_context_; }
  // Null when there is no baggage.
  const std::shared_ptr<const Baggage>& baggage() const noexcept { return baggage_; }

  Context WithSpanContext(SpanContext span_context) const {
    return Context(std::move(span_context), baggage_);
  }
  Context WithBaggage(std::shared_ptr<const Baggage> baggage) const {
    return Context(span_context_, std::move(baggage));
  }

 private:
  SpanContext span_context_;
  std::shared_ptr<const Baggage> baggage_;
};

// Makes a context current for its lifetime, then restores the previous one.
class [[nodiscard]] ContextScope {
 public:
  explicit ContextScope(Context context) noexcept;
  ~ContextScope();
  ContextScope(ContextScope&& other) noexcept;
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;
  ContextScope& operator=(ContextScope&&) = delete;

 private:
  Context previous_;
  bool active_ = true;
};

namespace internal {
// The calling thread's current context, without a copy (valid until the next scope change).
const Context& CurrentContextRef() noexcept;
}  // namespace internal

}  // namespace llmtrace::trace
