// LogRecordData: one emitted log record, as processors and exporters see it (the OpenTelemetry
// LogRecord data model): timestamps, severity, body, attributes, the trace context it belongs
// to, and the resource and instrumentation scope that produced it.
//
// Logger::Emit fills one and hands it (as a LogRecordDataPtr) to the log record processor, and
// from there to exporters. Strings and arrays live in the record's own Arena, so the views
// returned here stay valid as long as the record does. Records are pooled: when a
// LogRecordDataPtr is destroyed the object is reset and reused, keeping the capacity of its
// attribute vector and arena, so emitting costs no allocation in steady state. resource() and
// scope() point into the LoggerProvider, which outlives the records it created while they sit
// in a processor or exporter.
// Thread-safety: owned by one thread at a time (the emitter, then the processor).
//
//   LogRecordDataPtr record = AcquireLogRecordData();
//   record->Begin(now, now, Severity::kInfo, limits, resource, scope);
//   record->SetBody("LLM call completed");
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "llmtrace/common/arena.h"
#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/common/ids.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/logs/log_record_limits.h"
#include "llmtrace/logs/severity.h"
#include "llmtrace/trace/span_context.h"

namespace llmtrace::logs {

class LogRecordData {
 public:
  LogRecordData() = default;
  LogRecordData(const LogRecordData&) = delete;
  LogRecordData& operator=(const LogRecordData&) = delete;

  // When the event happened; zero (the epoch) when unknown.
  Timestamp timestamp() const noexcept { return timestamp_; }
  // When the SDK saw it.
  Timestamp observed_timestamp() const noexcept { return observed_timestamp_; }
  Severity severity() const noexcept { return severity_; }
  // SeverityText(severity()) unless set otherwise; "" for kUnspecified.
  std::string_view severity_text() const noexcept { return severity_text_; }
  bool has_body() const noexcept { return has_body_; }
  // Meaningful only when has_body().
  const AttributeValue& body() const noexcept { return body_; }

  std::span<const KeyValue> attributes() const noexcept { return attributes_; }
  const AttributeValue* FindAttribute(std::string_view key) const noexcept;
  std::uint32_t dropped_attributes() const noexcept { return dropped_attributes_; }

  // All zero (invalid) when the record is not correlated with a span.
  const TraceId& trace_id() const noexcept { return trace_id_; }
  const SpanId& span_id() const noexcept { return span_id_; }
  trace::TraceFlags trace_flags() const noexcept { return trace_flags_; }

  const Resource& resource() const noexcept { return *resource_; }
  const InstrumentationScope& scope() const noexcept { return *scope_; }

  // --- Recording (used by Logger and by tests that build records by hand). ---
  void Begin(Timestamp timestamp, Timestamp observed_timestamp, Severity severity,
             const LogRecordLimits& limits, const Resource& resource,
             const InstrumentationScope& scope) noexcept;
  void SetTimestamp(Timestamp timestamp) noexcept { timestamp_ = timestamp; }
  void SetObservedTimestamp(Timestamp timestamp) noexcept { observed_timestamp_ = timestamp; }
  // Also resets the text to SeverityText(severity).
  void SetSeverity(Severity severity) noexcept;
  // The original text of the source's level ("warning", "E"), when it differs from the scale's.
  void SetSeverityText(std::string_view text) noexcept;
  void SetBody(const AttributeValue& body) noexcept;
  // The last value of a key wins; a new key beyond the count limit is dropped and counted.
  void SetAttribute(std::string_view key, const AttributeValue& value) noexcept;
  // Takes the ids and flags of a valid context; an invalid one clears them.
  void SetSpanContext(const trace::SpanContext& context) noexcept;
  void SetTraceIds(const TraceId& trace_id, const SpanId& span_id,
                   trace::TraceFlags flags) noexcept;
  // For records received from elsewhere that already lost attributes.
  void AddDroppedAttributes(std::uint32_t count) noexcept { dropped_attributes_ += count; }

  // A deep copy (for processors that fan out, and in-memory exporters); null on allocation
  // failure.
  std::unique_ptr<LogRecordData> Clone() const noexcept;

  // Forgets the recorded content, keeping capacity; called when the object leaves the pool.
  void Reset() noexcept;

 private:
  Timestamp timestamp_{};
  Timestamp observed_timestamp_{};
  Severity severity_ = Severity::kUnspecified;
  bool has_body_ = false;
  trace::TraceFlags trace_flags_;
  std::uint32_t dropped_attributes_ = 0;
  std::string_view severity_text_;
  AttributeValue body_;
  TraceId trace_id_;
  SpanId span_id_;
  std::vector<KeyValue> attributes_;
  // One bit per key held (KeyFilterBit in src/common/attribute_key_ops.h): a clear bit proves a
  // key is new, so most sets skip the duplicate scan.
  std::uint64_t key_filter_ = 0;
  LogRecordLimits limits_;
  const Resource* resource_ = nullptr;
  const InstrumentationScope* scope_ = nullptr;
  Arena arena_{1024};
};

// Returns a LogRecordData to the pool instead of freeing it.
struct LogRecordDataRecycler {
  void operator()(LogRecordData* data) const noexcept;
};
using LogRecordDataPtr = std::unique_ptr<LogRecordData, LogRecordDataRecycler>;

// A reset LogRecordData from the pool; null only if memory is exhausted.
LogRecordDataPtr AcquireLogRecordData() noexcept;

}  // namespace llmtrace::logs
