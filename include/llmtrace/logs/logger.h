// Logger: emits structured log records for one instrumentation scope. Get one from a
// LoggerProvider and keep it; Emit is the hot path (no locks, no allocation in steady state).
//
// Correlation: a record emitted while a span is active on the calling thread (inside a
// ContextScope, see trace/context.h) carries that span's trace id, span id and trace flags, so
// a log backend can jump from the line to the trace. Pass a Context explicitly for work that
// runs away from the span's thread (callbacks, thread pools). Outside any span the ids are
// empty.
// Emit never fails and never throws: a disabled or shut-down provider makes it a no-op, and a
// full pipeline drops the record and counts it (see BatchLogRecordProcessor::stats()).
// Thread-safety: a Logger may be used from any number of threads at once.
//
//   auto logger = provider->GetLogger("rag-app.llm_calls", "1.2.0");
//   logger->Emit(Severity::kInfo, "LLM call completed",
//                {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.usage.output_tokens", 87}});
#pragma once

#include <initializer_list>
#include <memory>
#include <span>

#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/logs/severity.h"
#include "llmtrace/trace/context.h"

namespace llmtrace::logs {

namespace internal {
class LoggerCore;
}

class Logger {
 public:
  Logger(std::shared_ptr<const internal::LoggerCore> core, const InstrumentationScope& scope)
      : core_(std::move(core)), scope_(scope) {}

  // Correlated with the calling thread's current span, if any.
  void Emit(Severity severity, const AttributeValue& body,
            std::initializer_list<KeyValue> attributes = {}) const noexcept {
    Emit(severity, body, std::span<const KeyValue>(attributes.begin(), attributes.size()));
  }
  void Emit(Severity severity, const AttributeValue& body,
            std::span<const KeyValue> attributes) const noexcept;

  // Correlated with `context`'s span (none if its span context is invalid), whatever is
  // current on this thread.
  void Emit(const trace::Context& context, Severity severity, const AttributeValue& body,
            std::initializer_list<KeyValue> attributes = {}) const noexcept {
    Emit(context, severity, body, std::span<const KeyValue>(attributes.begin(), attributes.size()));
  }
  void Emit(const trace::Context& context, Severity severity, const AttributeValue& body,
            std::span<const KeyValue> attributes) const noexcept;

  // False when records would be discarded anyway (disabled or shut-down provider): lets callers
  // skip building expensive attributes.
  bool Enabled() const noexcept;

  const InstrumentationScope& scope() const noexcept { return scope_; }

 private:
  std::shared_ptr<const internal::LoggerCore> core_;
  const InstrumentationScope& scope_;
};

}  // namespace llmtrace::logs
