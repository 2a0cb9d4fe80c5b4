// Span: the handle an application holds while an operation runs.
//
// A Span is move-only. A sampled-in span records into a pooled SpanData; a sampled-out span is a
// cheap non-recording handle that still carries a valid SpanContext, so propagation keeps
// working. End() hands the data to the processors; the destructor ends a span that was not
// ended, so early returns and exceptions never leak a span. Every method is noexcept and cannot
// fail: limits drop and count (see span_limits.h).
// Thread-safety: like std::string, a Span is used by one thread at a time. Hand it to another
// thread by moving it; to continue a trace elsewhere, pass span.context() as a parent.
//
//   Span span = tracer->StartSpan("chat gpt-4o", {{"gen_ai.operation.name", "chat"}},
//                                 {.kind = SpanKind::kClient});
//   span.SetAttribute("gen_ai.usage.output_tokens", 42);
//   span.End();
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/trace/context.h"
#include "llmtrace/trace/span_context.h"
#include "llmtrace/trace/span_data.h"

namespace llmtrace::trace {

namespace internal {
class TracerCore;
}

class Span {
 public:
  // A non-recording span with an invalid context (what a disabled SDK hands out).
  Span() noexcept = default;
  Span(Span&& other) noexcept = default;
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { End(); }

  const SpanContext& context() const noexcept { return context_; }
  // True until End() for sampled-in spans; attributes of non-recording spans are discarded.
  bool IsRecording() const noexcept { return data_ != nullptr; }

  void SetAttribute(std::string_view key, const AttributeValue& value) noexcept {
    if (data_) data_->SetAttribute(key, value);
  }
  void SetAttributes(std::initializer_list<KeyValue> attributes) noexcept {
    if (data_) {
      for (const KeyValue& kv : attributes) data_->SetAttribute(kv.key, kv.value);
    }
  }
  void AddEvent(std::string_view name, std::initializer_list<KeyValue> attributes = {}) noexcept;
  void AddEvent(std::string_view name, Timestamp time,
                std::span<const KeyValue> attributes = {}) noexcept;
  void AddLink(const SpanContext& linked, std::span<const KeyValue> attributes = {}) noexcept {
    if (data_ && linked.IsValid()) data_->AddLink(linked, attributes);
  }
  void SetStatus(SpanStatus status, std::string_view description = {}) noexcept {
    if (data_) data_->SetStatus(status, description);
  }
  // The "exception" event (exception.type, exception.message, exception.stacktrace) and an
  // ERROR status with the message, as the OTel exception conventions describe.
  void RecordException(std::string_view type, std::string_view message,
                       std::string_view stacktrace = {}) noexcept;
  void UpdateName(std::string_view name) noexcept {
    if (data_) data_->SetName(name);
  }

  // Ends the span now, or at `end_time`. Later calls do nothing.
  void End(std::optional<Timestamp> end_time = std::nullopt) noexcept;

  // Makes this span the current span of the calling thread for the scope's lifetime.
  ContextScope Activate() const noexcept;

 private:
  friend class Tracer;
  Span(SpanDataPtr data, SpanContext context,
       std::shared_ptr<const internal::TracerCore> core) noexcept
      : data_(std::move(data)), context_(std::move(context)), core_(std::move(core)) {}

  SpanDataPtr data_;
  SpanContext context_;
  std::shared_ptr<const internal::TracerCore> core_;
};

}  // namespace llmtrace::trace
