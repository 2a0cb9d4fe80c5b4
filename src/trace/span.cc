#include "llmtrace/trace/span.h"

#include "src/trace/tracer_core.h"

namespace llmtrace::trace {

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    data_ = std::move(other.data_);
    context_ = std::move(other.context_);
    core_ = std::move(other.core_);
  }
  return *this;
}

void Span::AddEvent(std::string_view name, std::initializer_list<KeyValue> attributes) noexcept {
  if (!data_) return;
  data_->AddEvent(name, core_->clock->Now(),
                  std::span<const KeyValue>(attributes.begin(), attributes.size()));
}

void Span::AddEvent(std::string_view name, Timestamp time,
                    std::span<const KeyValue> attributes) noexcept {
  if (data_) data_->AddEvent(name, time, attributes);
}

void Span::RecordException(std::string_view type, std::string_view message,
                           std::string_view stacktrace) noexcept {
  if (!data_) return;
  KeyValue attributes[3] = {{"exception.type", type},
                            {"exception.message", message},
                            {"exception.stacktrace", stacktrace}};
  std::size_t count = stacktrace.empty() ? 2 : 3;
  data_->AddEvent("exception", core_->clock->Now(), std::span<const KeyValue>(attributes, count));
  data_->SetStatus(SpanStatus::kError, message);
}

void Span::End(std::optional<Timestamp> end_time) noexcept {
  if (!data_) return;
  Timestamp end = end_time ? *end_time : core_->clock->Now();
  // A wall clock stepped backwards must not produce a negative duration.
  if (end < data_->start_time()) end = data_->start_time();
  data_->SetEndTime(end);
  core_->processor->OnEnd(std::move(data_));
  core_.reset();
}

ContextScope Span::Activate() const noexcept {
  return ContextScope(internal::CurrentContextRef().WithSpanContext(context_));
}

}  // namespace llmtrace::trace
