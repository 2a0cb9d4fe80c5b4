#include "llmtrace/logs/logger.h"

#include "llmtrace/logs/log_record_data.h"
#include "src/logs/logger_core.h"

namespace llmtrace::logs {

namespace {

void EmitRecord(const internal::LoggerCore& core, const InstrumentationScope& scope,
                const trace::SpanContext& span_context, Severity severity,
                const AttributeValue& body, std::span<const KeyValue> attributes) noexcept {
  if (core.disabled || core.shut_down.load(std::memory_order_relaxed)) return;
  LogRecordDataPtr record = AcquireLogRecordData();
  if (!record) return;  // out of memory
  // The event happens now: one clock reading serves as both timestamps.
  const Timestamp now = core.clock->Now();
  record->Begin(now, now, severity, core.limits, core.resource, scope);
  record->SetBody(body);
  for (const KeyValue& kv : attributes) record->SetAttribute(kv.key, kv.value);
  if (span_context.IsValid()) {
    record->SetTraceIds(span_context.trace_id(), span_context.span_id(), span_context.flags());
  }
  core.processor->OnEmit(std::move(record));
}

}  // namespace

void Logger::Emit(Severity severity, const AttributeValue& body,
                  std::span<const KeyValue> attributes) const noexcept {
  EmitRecord(*core_, scope_, trace::internal::CurrentContextRef().span_context(), severity, body,
             attributes);
}

void Logger::Emit(const trace::Context& context, Severity severity, const AttributeValue& body,
                  std::span<const KeyValue> attributes) const noexcept {
  EmitRecord(*core_, scope_, context.span_context(), severity, body, attributes);
}

bool Logger::Enabled() const noexcept {
  return !core_->disabled && !core_->shut_down.load(std::memory_order_relaxed);
}

}  // namespace llmtrace::logs
