// SpanData: everything a span recorded, as processors and exporters see it.
//
// A recording Span writes into a SpanData; when the span ends, ownership passes (as a
// SpanDataPtr) to the span processor and from there to exporters. Strings and arrays live in the
// span's own Arena, so the views returned here stay valid as long as the SpanData does.
// SpanData objects are pooled: when a SpanDataPtr is destroyed the object is reset and reused,
// keeping the capacity of its vectors and arena, so recording a span costs no allocation in
// steady state. resource() and scope() point into the TracerProvider, which outlives every span
// it created while the span sits in a processor or exporter.
// Thread-safety: owned by one thread at a time (the span's owner, then the processor).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/arena.h"
#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/common/resource.h"
#include "llmtrace/trace/span_context.h"
#include "llmtrace/trace/span_limits.h"

namespace llmtrace::trace {

// Values match OTLP's Span.SpanKind.
enum class SpanKind : std::uint8_t {
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};
std::string_view SpanKindName(SpanKind kind) noexcept;  // "internal", "client", ...

// Values match OTLP's Status.StatusCode.
enum class SpanStatus : std::uint8_t { kUnset = 0, kOk = 1, kError = 2 };

struct SpanEvent {
  std::string_view name;
  Timestamp time;
  std::span<const KeyValue> attributes;
  std::uint32_t dropped_attributes = 0;
};

struct SpanLink {
  SpanContext context;
  std::span<const KeyValue> attributes;
  std::uint32_t dropped_attributes = 0;
};

class SpanData {
 public:
  SpanData() = default;
  SpanData(const SpanData&) = delete;
  SpanData& operator=(const SpanData&) = delete;

  const SpanContext& context() const noexcept { return context_; }
  // Invalid (all zero) for a root span.
  const SpanId& parent_span_id() const noexcept { return parent_span_id_; }
  bool parent_is_remote() const noexcept { return parent_is_remote_; }
  std::string_view name() const noexcept { return name_; }
  SpanKind kind() const noexcept { return kind_; }
  Timestamp start_time() const noexcept { return start_time_; }
  Timestamp end_time() const noexcept { return end_time_; }

  std::span<const KeyValue> attributes() const noexcept { return attributes_; }
  const AttributeValue* FindAttribute(std::string_view key) const noexcept;
  std::uint32_t dropped_attributes() const noexcept { return dropped_attributes_; }
  std::span<const SpanEvent> events() const noexcept { return events_; }
  std::uint32_t dropped_events() const noexcept { return dropped_events_; }
  std::span<const SpanLink> links() const noexcept { return links_; }
  std::uint32_t dropped_links() const noexcept { return dropped_links_; }

  SpanStatus status() const noexcept { return status_; }
  std::string_view status_description() const noexcept { return status_description_; }

  const Resource& resource() const noexcept { return *resource_; }
  const InstrumentationScope& scope() const noexcept { return *scope_; }

  // --- Recording (used by Span and by tests that build spans by hand). ---
  void Begin(const SpanContext& context, const SpanId& parent_span_id, bool parent_is_remote,
             std::string_view name, SpanKind kind, Timestamp start_time, const SpanLimits& limits,
             const Resource& resource, const InstrumentationScope& scope) noexcept;
  void SetName(std::string_view name) noexcept;
  void SetAttribute(std::string_view key, const AttributeValue& value) noexcept;
  void AddEvent(std::string_view name, Timestamp time,
                std::span<const KeyValue> attributes) noexcept;
  void AddLink(const SpanContext& context, std::span<const KeyValue> attributes) noexcept;
  // OK is final; ERROR can be replaced only by OK; UNSET is ignored (OTel spec rules).
  void SetStatus(SpanStatus status, std::string_view description) noexcept;
  void SetEndTime(Timestamp end_time) noexcept { end_time_ = end_time; }

  // A deep copy (for processors that fan out to several pipelines). Returns null on allocation
  // failure.
  std::unique_ptr<SpanData> Clone() const noexcept;

  // Forgets the recorded content, keeping capacity; called when the object leaves the pool.
  void Reset() noexcept;

 private:
  std::span<const KeyValue> CopyAttributes(std::span<const KeyValue> attributes, std::size_t limit,
                                           std::uint32_t& dropped);

  SpanContext context_;
  SpanId parent_span_id_;
  bool parent_is_remote_ = false;
  SpanKind kind_ = SpanKind::kInternal;
  SpanStatus status_ = SpanStatus::kUnset;
  std::string_view name_;
  std::string_view status_description_;
  Timestamp start_time_{};
  Timestamp end_time_{};
  std::vector<KeyValue> attributes_;
  // One bit per key held (KeyFilterBit in span_data.cc): a clear bit proves a key is new.
  std::uint64_t key_filter_ = 0;
  std::vector<SpanEvent> events_;
  std::vector<SpanLink> links_;
  std::uint32_t dropped_attributes_ = 0;
  std::uint32_t dropped_events_ = 0;
  std::uint32_t dropped_links_ = 0;
  SpanLimits limits_;
  const Resource* resource_ = nullptr;
  const InstrumentationScope* scope_ = nullptr;
  Arena arena_{2048};
};

// Returns a SpanData to the pool instead of freeing it.
struct SpanDataRecycler {
  void operator()(SpanData* data) const noexcept;
};
using SpanDataPtr = std::unique_ptr<SpanData, SpanDataRecycler>;

// A reset SpanData from the pool; null only if memory is exhausted.
SpanDataPtr AcquireSpanData() noexcept;

}  // namespace llmtrace::trace
