#include "llmtrace/otlp/trace_encoder.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "llmtrace/trace/trace_state.h"
#include "src/otlp/common_encoding.h"
#include "src/otlp/json_writer.h"
#include "src/otlp/partial_success.h"
#include "src/otlp/proto_writer.h"

namespace llmtrace::otlp {
namespace {

using internal::JsonWriter;
using internal::ProtoWriter;
using internal::WireType;

// Field numbers from opentelemetry-proto v1.x (opentelemetry/proto/trace/v1/trace.proto and
// collector/trace/v1/trace_service.proto).
constexpr std::uint32_t kRequestResourceSpans = 1;
constexpr std::uint32_t kResourceSpansResource = 1;
constexpr std::uint32_t kResourceSpansScopeSpans = 2;
constexpr std::uint32_t kResourceSpansSchemaUrl = 3;
constexpr std::uint32_t kScopeSpansScope = 1;
constexpr std::uint32_t kScopeSpansSpans = 2;
constexpr std::uint32_t kScopeSpansSchemaUrl = 3;
constexpr std::uint32_t kSpanTraceId = 1;
constexpr std::uint32_t kSpanSpanId = 2;
constexpr std::uint32_t kSpanTraceState = 3;
constexpr std::uint32_t kSpanParentSpanId = 4;
constexpr std::uint32_t kSpanName = 5;
constexpr std::uint32_t kSpanKind = 6;
constexpr std::uint32_t kSpanStartTime = 7;
constexpr std::uint32_t kSpanEndTime = 8;
constexpr std::uint32_t kSpanAttributes = 9;
constexpr std::uint32_t kSpanDroppedAttributesCount = 10;
constexpr std::uint32_t kSpanEvents = 11;
constexpr std::uint32_t kSpanDroppedEventsCount = 12;
constexpr std::uint32_t kSpanLinks = 13;
constexpr std::uint32_t kSpanDroppedLinksCount = 14;
constexpr std::uint32_t kSpanStatus = 15;
constexpr std::uint32_t kSpanFlags = 16;
constexpr std::uint32_t kEventTime = 1;
constexpr std::uint32_t kEventName = 2;
constexpr std::uint32_t kEventAttributes = 3;
constexpr std::uint32_t kEventDroppedAttributesCount = 4;
constexpr std::uint32_t kLinkTraceId = 1;
constexpr std::uint32_t kLinkSpanId = 2;
constexpr std::uint32_t kLinkTraceState = 3;
constexpr std::uint32_t kLinkAttributes = 4;
constexpr std::uint32_t kLinkDroppedAttributesCount = 5;
constexpr std::uint32_t kLinkFlags = 6;
constexpr std::uint32_t kStatusMessage = 2;
constexpr std::uint32_t kStatusCode = 3;

// SpanFlags: bits 0-7 are the W3C trace flags; bit 8 says bit 9 is meaningful; bit 9 says the
// parent (for a span) or the linked span (for a link) is remote.
constexpr std::uint32_t kFlagsContextHasIsRemote = 0x100;
constexpr std::uint32_t kFlagsContextIsRemote = 0x200;

std::uint32_t SpanFlags(trace::TraceFlags flags, bool remote) noexcept {
  return flags.bits() | kFlagsContextHasIsRemote | (remote ? kFlagsContextIsRemote : 0);
}

// The tracestate header text. Joined into `scratch` (capacity reused across spans) rather than
// through TraceState::ToHeader, which allocates; ToHeader only when the W3C size cap applies.
std::string_view TraceStateHeader(const std::shared_ptr<const trace::TraceState>& state,
                                  std::string& scratch) {
  scratch.clear();
  if (!state || state->empty()) return {};
  std::size_t size = 0;
  for (const trace::TraceState::Entry& entry : state->entries()) {
    size += entry.key.size() + entry.value.size() + 2;
  }
  if (size - 1 > trace::TraceState::kMaxHeaderSize) {
    scratch = state->ToHeader();
    return scratch;
  }
  for (const trace::TraceState::Entry& entry : state->entries()) {
    if (!scratch.empty()) scratch.push_back(',');
    scratch.append(entry.key);
    scratch.push_back('=');
    scratch.append(entry.value);
  }
  return scratch;
}

// --- Grouping: ResourceSpans per resource, ScopeSpans per scope, in order of first appearance.

struct Group {
  const Resource* resource;
  const InstrumentationScope* scope;
  std::uint32_t resource_rank;  // first-appearance order of the resource
  std::uint32_t first;          // index of the group's first span in `order`
  std::uint32_t count;
};

// Scratch reused by every batch on this thread, so steady-state encoding does not allocate.
struct Grouping {
  std::vector<Group> groups;            // in first-appearance order of (resource, scope)
  std::vector<std::uint32_t> group_of;  // per span
  std::vector<std::uint32_t> order;     // span indices, grouped
  std::vector<std::uint32_t> group_order;
};

// Calls visit(resource, scope, spans, indices, count) once per group, groups of one resource
// consecutively; the group's spans are spans[indices[0..count)], or every non-null span of
// `spans` when indices is null (the whole batch is one group).
template <typename Visit>
void ForEachGroup(std::span<const trace::SpanDataPtr> spans, Visit&& visit) {
  const trace::SpanData* first = nullptr;
  bool uniform = true;
  for (const trace::SpanDataPtr& span : spans) {
    if (!span) continue;
    if (first == nullptr) {
      first = span.get();
    } else if (&span->resource() != &first->resource() || &span->scope() != &first->scope()) {
      uniform = false;
      break;
    }
  }
  if (first == nullptr) return;
  if (uniform) {  // the usual batch: one provider, one tracer
    visit(first->resource(), first->scope(), spans, nullptr, 0);
    return;
  }

  thread_local Grouping g;
  g.groups.clear();
  g.group_of.assign(spans.size(), 0);
  std::uint32_t resources = 0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const trace::SpanData* span = spans[i].get();
    if (span == nullptr) continue;
    const Resource* resource = &span->resource();
    const InstrumentationScope* scope = &span->scope();
    if (last < g.groups.size() && g.groups[last].resource == resource &&
        g.groups[last].scope == scope) {
      g.group_of[i] = static_cast<std::uint32_t>(last);
      ++g.groups[last].count;
      continue;
    }
    auto found = std::find_if(g.groups.begin(), g.groups.end(), [&](const Group& group) {
      return group.resource == resource && group.scope == scope;
    });
    if (found == g.groups.end()) {
      auto same_resource = std::find_if(g.groups.begin(), g.groups.end(), [&](const Group& group) {
        return group.resource == resource;
      });
      const std::uint32_t rank =
          same_resource != g.groups.end() ? same_resource->resource_rank : resources++;
      g.groups.push_back(Group{resource, scope, rank, 0, 0});
      found = g.groups.end() - 1;
    }
    last = static_cast<std::size_t>(found - g.groups.begin());
    g.group_of[i] = static_cast<std::uint32_t>(last);
    ++found->count;
  }
  // Counting sort of the span indices by group.
  std::uint32_t offset = 0;
  for (Group& group : g.groups) {
    group.first = offset;
    offset += group.count;
    group.count = 0;
  }
  g.order.assign(offset, 0);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (!spans[i]) continue;
    Group& group = g.groups[g.group_of[i]];
    g.order[group.first + group.count++] = static_cast<std::uint32_t>(i);
  }
  g.group_order.resize(g.groups.size());
  for (std::uint32_t i = 0; i < g.group_order.size(); ++i) g.group_order[i] = i;
  std::stable_sort(g.group_order.begin(), g.group_order.end(),
                   [&](std::uint32_t a, std::uint32_t b) {
                     return g.groups[a].resource_rank < g.groups[b].resource_rank;
                   });
  for (std::uint32_t index : g.group_order) {
    const Group& group = g.groups[index];
    visit(*group.resource, *group.scope, spans, g.order.data() + group.first, group.count);
  }
}

// Iterates a group's spans: all non-null spans, or the listed indices.
template <typename Fn>
void ForEachSpan(std::span<const trace::SpanDataPtr> spans, const std::uint32_t* indices,
                 std::size_t count, Fn&& fn) {
  if (indices == nullptr) {
    for (const trace::SpanDataPtr& span : spans) {
      if (span) fn(*span);
    }
  } else {
    for (std::size_t i = 0; i < count; ++i) fn(*spans[indices[i]]);
  }
}

// --- Protobuf. ---

void WriteIdsProto(ProtoWriter& w, std::uint32_t trace_field, const TraceId& trace_id,
                   std::uint32_t span_field, const SpanId& span_id) {
  w.BytesField(trace_field, trace_id.bytes());
  w.BytesField(span_field, span_id.bytes());
}

void EncodeEventProto(ProtoWriter& w, const trace::SpanEvent& event) {
  auto message = w.BeginMessage(kSpanEvents, event.name.size() + 16 + 32 * event.attributes.size());
  w.OptionalFixed64Field(kEventTime, ToUnixNanos(event.time));
  w.OptionalStringField(kEventName, event.name);
  internal::EncodeAttributesProto(w, kEventAttributes, event.attributes);
  w.OptionalVarintField(kEventDroppedAttributesCount, event.dropped_attributes);
  w.EndMessage(message);
}

void EncodeLinkProto(ProtoWriter& w, const trace::SpanLink& link, std::string& scratch) {
  auto message = w.BeginMessage(kSpanLinks, 40 + 32 * link.attributes.size());
  WriteIdsProto(w, kLinkTraceId, link.context.trace_id(), kLinkSpanId, link.context.span_id());
  w.OptionalStringField(kLinkTraceState, TraceStateHeader(link.context.trace_state(), scratch));
  internal::EncodeAttributesProto(w, kLinkAttributes, link.attributes);
  w.OptionalVarintField(kLinkDroppedAttributesCount, link.dropped_attributes);
  w.Fixed32Field(kLinkFlags, SpanFlags(link.context.flags(), link.context.remote()));
  w.EndMessage(message);
}

void EncodeSpanProto(ProtoWriter& w, const trace::SpanData& span, std::string& scratch) {
  // Most spans are 128 bytes to 16 KiB: two length bytes.
  auto message = w.BeginMessage(kScopeSpansSpans, 1000);
  const trace::SpanContext& context = span.context();
  WriteIdsProto(w, kSpanTraceId, context.trace_id(), kSpanSpanId, context.span_id());
  w.OptionalStringField(kSpanTraceState, TraceStateHeader(context.trace_state(), scratch));
  if (span.parent_span_id().IsValid())
    w.BytesField(kSpanParentSpanId, span.parent_span_id().bytes());
  w.OptionalStringField(kSpanName, span.name());
  w.OptionalVarintField(kSpanKind, static_cast<std::uint64_t>(span.kind()));
  w.OptionalFixed64Field(kSpanStartTime, ToUnixNanos(span.start_time()));
  w.OptionalFixed64Field(kSpanEndTime, ToUnixNanos(span.end_time()));
  internal::EncodeAttributesProto(w, kSpanAttributes, span.attributes());
  w.OptionalVarintField(kSpanDroppedAttributesCount, span.dropped_attributes());
  for (const trace::SpanEvent& event : span.events()) EncodeEventProto(w, event);
  w.OptionalVarintField(kSpanDroppedEventsCount, span.dropped_events());
  for (const trace::SpanLink& link : span.links()) EncodeLinkProto(w, link, scratch);
  w.OptionalVarintField(kSpanDroppedLinksCount, span.dropped_links());
  if (span.status() != trace::SpanStatus::kUnset || !span.status_description().empty()) {
    auto status = w.BeginMessage(kSpanStatus, span.status_description().size() + 2);
    w.OptionalStringField(kStatusMessage, span.status_description());
    w.OptionalVarintField(kStatusCode, static_cast<std::uint64_t>(span.status()));
    w.EndMessage(status);
  }
  w.Fixed32Field(kSpanFlags, SpanFlags(context.flags(), span.parent_is_remote()));
  w.EndMessage(message);
}

// --- OTLP/JSON. ---

void EncodeEventJson(JsonWriter& w, const trace::SpanEvent& event) {
  w.BeginObject();
  w.OptionalUint64String("timeUnixNano", ToUnixNanos(event.time));
  w.OptionalString("name", event.name);
  internal::EncodeAttributesJson(w, "attributes", event.attributes);
  w.OptionalUint("droppedAttributesCount", event.dropped_attributes);
  w.EndObject();
}

void EncodeLinkJson(JsonWriter& w, const trace::SpanLink& link, std::string& scratch) {
  w.BeginObject();
  w.Key("traceId");
  w.HexString(link.context.trace_id().bytes());
  w.Key("spanId");
  w.HexString(link.context.span_id().bytes());
  w.OptionalString("traceState", TraceStateHeader(link.context.trace_state(), scratch));
  internal::EncodeAttributesJson(w, "attributes", link.attributes);
  w.OptionalUint("droppedAttributesCount", link.dropped_attributes);
  w.Key("flags");
  w.Uint(SpanFlags(link.context.flags(), link.context.remote()));
  w.EndObject();
}

void EncodeSpanJson(JsonWriter& w, const trace::SpanData& span, std::string& scratch) {
  const trace::SpanContext& context = span.context();
  w.BeginObject();
  w.Key("traceId");
  w.HexString(context.trace_id().bytes());
  w.Key("spanId");
  w.HexString(context.span_id().bytes());
  w.OptionalString("traceState", TraceStateHeader(context.trace_state(), scratch));
  if (span.parent_span_id().IsValid()) {
    w.Key("parentSpanId");
    w.HexString(span.parent_span_id().bytes());
  }
  w.Key("flags");
  w.Uint(SpanFlags(context.flags(), span.parent_is_remote()));
  w.OptionalString("name", span.name());
  w.OptionalUint("kind", static_cast<std::uint64_t>(span.kind()));
  w.OptionalUint64String("startTimeUnixNano", ToUnixNanos(span.start_time()));
  w.OptionalUint64String("endTimeUnixNano", ToUnixNanos(span.end_time()));
  internal::EncodeAttributesJson(w, "attributes", span.attributes());
  w.OptionalUint("droppedAttributesCount", span.dropped_attributes());
  if (!span.events().empty()) {
    w.Key("events");
    w.BeginArray();
    for (const trace::SpanEvent& event : span.events()) EncodeEventJson(w, event);
    w.EndArray();
  }
  w.OptionalUint("droppedEventsCount", span.dropped_events());
  if (!span.links().empty()) {
    w.Key("links");
    w.BeginArray();
    for (const trace::SpanLink& link : span.links()) EncodeLinkJson(w, link, scratch);
    w.EndArray();
  }
  w.OptionalUint("droppedLinksCount", span.dropped_links());
  if (span.status() != trace::SpanStatus::kUnset || !span.status_description().empty()) {
    w.Key("status");
    w.BeginObject();
    w.OptionalString("message", span.status_description());
    w.OptionalUint("code", static_cast<std::uint64_t>(span.status()));
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

void EncodeTraceRequestProto(std::span<const trace::SpanDataPtr> spans, std::string& out) {
  ProtoWriter w(out);
  std::string scratch;
  const Resource* open_resource = nullptr;
  ProtoWriter::MessageMark resource_spans{};
  ForEachGroup(spans, [&](const Resource& resource, const InstrumentationScope& scope,
                          std::span<const trace::SpanDataPtr> all, const std::uint32_t* indices,
                          std::size_t count) {
    if (open_resource != &resource) {
      if (open_resource != nullptr) {
        w.OptionalStringField(kResourceSpansSchemaUrl, open_resource->schema_url());
        w.EndMessage(resource_spans);
      }
      // Three length bytes cover batches up to 2 MiB without moving the body.
      resource_spans = w.BeginMessage(kRequestResourceSpans, 1 << 16);
      internal::EncodeResourceProto(w, kResourceSpansResource, resource);
      open_resource = &resource;
    }
    auto scope_spans = w.BeginMessage(kResourceSpansScopeSpans, 1 << 16);
    internal::EncodeScopeProto(w, kScopeSpansScope, scope.name, scope.version,
                               scope.attributes.entries(), scope.attributes.dropped());
    ForEachSpan(all, indices, count,
                [&](const trace::SpanData& span) { EncodeSpanProto(w, span, scratch); });
    w.OptionalStringField(kScopeSpansSchemaUrl, scope.schema_url);
    w.EndMessage(scope_spans);
  });
  if (open_resource != nullptr) {
    w.OptionalStringField(kResourceSpansSchemaUrl, open_resource->schema_url());
    w.EndMessage(resource_spans);
  }
}

void EncodeTraceRequestJson(std::span<const trace::SpanDataPtr> spans, std::string& out) {
  JsonWriter w(out);
  std::string scratch;
  const Resource* open_resource = nullptr;
  w.BeginObject();
  auto close_resource = [&] {
    w.EndArray();  // scopeSpans
    w.OptionalString("schemaUrl", open_resource->schema_url());
    w.EndObject();
  };
  ForEachGroup(spans, [&](const Resource& resource, const InstrumentationScope& scope,
                          std::span<const trace::SpanDataPtr> all, const std::uint32_t* indices,
                          std::size_t count) {
    if (open_resource != &resource) {
      if (open_resource != nullptr) {
        close_resource();
      } else {
        w.Key("resourceSpans");
        w.BeginArray();
      }
      w.BeginObject();
      w.Key("resource");
      internal::EncodeResourceJson(w, resource);
      w.Key("scopeSpans");
      w.BeginArray();
      open_resource = &resource;
    }
    w.BeginObject();
    w.Key("scope");
    internal::EncodeScopeJson(w, scope.name, scope.version, scope.attributes.entries(),
                              scope.attributes.dropped());
    w.Key("spans");
    w.BeginArray();
    ForEachSpan(all, indices, count,
                [&](const trace::SpanData& span) { EncodeSpanJson(w, span, scratch); });
    w.EndArray();
    w.OptionalString("schemaUrl", scope.schema_url);
    w.EndObject();
  });
  if (open_resource != nullptr) {
    close_resource();
    w.EndArray();  // resourceSpans
  }
  w.EndObject();
}

Result<PartialSuccess> DecodeTracePartialSuccessProto(std::string_view body) {
  return internal::DecodePartialSuccessProto(body, "otlp trace export response");
}

Result<PartialSuccess> DecodeTracePartialSuccessJson(std::string_view body) {
  return internal::DecodePartialSuccessJson(body, "rejectedSpans", "rejected_spans",
                                            "otlp trace export response");
}

}  // namespace llmtrace::otlp
