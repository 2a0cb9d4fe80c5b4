#include "llmtrace/otlp/logs_encoder.h"

#include <cstdint>
#include <vector>

#include "src/otlp/common_encoding.h"
#include "src/otlp/json_writer.h"
#include "src/otlp/partial_success.h"
#include "src/otlp/proto_writer.h"

namespace llmtrace::otlp {
namespace {

using internal::JsonWriter;
using internal::ProtoWriter;
using logs::LogRecordData;
using logs::LogRecordDataPtr;

// Field numbers from opentelemetry-proto v1.x (opentelemetry/proto/logs/v1/logs.proto and
// collector/logs/v1/logs_service.proto), checked against the protobufjs module generated from
// them (@opentelemetry/otlp-transformer 0.52.1, build/src/generated/root.js).
constexpr std::uint32_t kRequestResourceLogs = 1;
constexpr std::uint32_t kResourceLogsResource = 1;
constexpr std::uint32_t kResourceLogsScopeLogs = 2;
constexpr std::uint32_t kResourceLogsSchemaUrl = 3;
constexpr std::uint32_t kScopeLogsScope = 1;
constexpr std::uint32_t kScopeLogsLogRecords = 2;
constexpr std::uint32_t kScopeLogsSchemaUrl = 3;
constexpr std::uint32_t kLogTimeUnixNano = 1;            // fixed64
constexpr std::uint32_t kLogSeverityNumber = 2;          // enum
constexpr std::uint32_t kLogSeverityText = 3;            // string
constexpr std::uint32_t kLogBody = 5;                    // AnyValue
constexpr std::uint32_t kLogAttributes = 6;              // repeated KeyValue
constexpr std::uint32_t kLogDroppedAttributesCount = 7;  // uint32
constexpr std::uint32_t kLogFlags = 8;                   // fixed32
constexpr std::uint32_t kLogTraceId = 9;                 // bytes
constexpr std::uint32_t kLogSpanId = 10;                 // bytes
constexpr std::uint32_t kLogObservedTimeUnixNano = 11;   // fixed64

// LogRecordFlags: the low byte carries the W3C trace flags.
constexpr std::uint32_t kTraceFlagsMask = 0xFF;

// --- Grouping: ResourceLogs per resource, ScopeLogs per scope, in order of first appearance.

struct Group {
  const Resource* resource;
  const InstrumentationScope* scope;
  std::uint32_t resource_rank;  // first-appearance order of the resource
};

// Scratch reused by every batch on this thread, so steady-state encoding does not allocate.
struct Grouping {
  std::vector<Group> groups;            // first-appearance order of (resource, scope)
  std::vector<std::uint32_t> group_of;  // per record
};

// Calls open_resource(resource) when a new resource starts, then visit(scope, each) for each
// scope group of it, where each(fn) calls fn(record) for the group's records in batch order.
// Groups of one resource are visited consecutively.
template <typename OpenResource, typename Visit>
void ForEachGroup(std::span<const LogRecordDataPtr> records, OpenResource&& open_resource,
                  Visit&& visit) {
  const LogRecordData* first = nullptr;
  bool uniform = true;
  for (const LogRecordDataPtr& record : records) {
    if (!record) continue;
    if (first == nullptr) {
      first = record.get();
    } else if (&record->resource() != &first->resource() || &record->scope() != &first->scope()) {
      uniform = false;
      break;
    }
  }
  if (first == nullptr) return;
  if (uniform) {  // the usual batch: one provider, one logger
    open_resource(first->resource());
    visit(first->scope(), [&](auto&& fn) {
      for (const LogRecordDataPtr& record : records) {
        if (record) fn(*record);
      }
    });
    return;
  }

  thread_local Grouping g;
  g.groups.clear();
  g.group_of.assign(records.size(), 0);
  std::uint32_t resources = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!records[i]) continue;
    const Resource* resource = &records[i]->resource();
    const InstrumentationScope* scope = &records[i]->scope();
    std::size_t found = g.groups.size();
    std::uint32_t rank = resources;
    for (std::size_t j = 0; j < g.groups.size(); ++j) {
      if (g.groups[j].resource != resource) continue;
      rank = g.groups[j].resource_rank;
      if (g.groups[j].scope == scope) {
        found = j;
        break;
      }
    }
    if (found == g.groups.size()) {
      if (rank == resources) ++resources;
      g.groups.push_back(Group{resource, scope, rank});
    }
    g.group_of[i] = static_cast<std::uint32_t>(found);
  }
  for (std::uint32_t rank = 0; rank < resources; ++rank) {
    bool opened = false;
    for (std::uint32_t j = 0; j < g.groups.size(); ++j) {
      const Group& group = g.groups[j];
      if (group.resource_rank != rank) continue;
      if (!opened) {
        open_resource(*group.resource);
        opened = true;
      }
      visit(*group.scope, [&](auto&& fn) {
        for (std::size_t i = 0; i < records.size(); ++i) {
          if (records[i] && g.group_of[i] == j) fn(*records[i]);
        }
      });
    }
  }
}

// --- Protobuf. ---

void EncodeLogRecordProto(ProtoWriter& w, const LogRecordData& record) {
  auto message = w.BeginMessage(kScopeLogsLogRecords, 200 + 40 * record.attributes().size());
  w.OptionalFixed64Field(kLogTimeUnixNano, ToUnixNanos(record.timestamp()));
  w.OptionalVarintField(kLogSeverityNumber, static_cast<std::uint64_t>(record.severity()));
  w.OptionalStringField(kLogSeverityText, record.severity_text());
  if (record.has_body()) internal::EncodeAnyValueProto(w, kLogBody, record.body());
  internal::EncodeAttributesProto(w, kLogAttributes, record.attributes());
  w.OptionalVarintField(kLogDroppedAttributesCount, record.dropped_attributes());
  const std::uint32_t flags = record.trace_flags().bits() & kTraceFlagsMask;
  if (flags != 0) w.Fixed32Field(kLogFlags, flags);
  if (record.trace_id().IsValid()) w.BytesField(kLogTraceId, record.trace_id().bytes());
  if (record.span_id().IsValid()) w.BytesField(kLogSpanId, record.span_id().bytes());
  w.OptionalFixed64Field(kLogObservedTimeUnixNano, ToUnixNanos(record.observed_timestamp()));
  w.EndMessage(message);
}

// --- OTLP/JSON. ---

void EncodeLogRecordJson(JsonWriter& w, const LogRecordData& record) {
  w.BeginObject();
  w.OptionalUint64String("timeUnixNano", ToUnixNanos(record.timestamp()));
  w.OptionalUint64String("observedTimeUnixNano", ToUnixNanos(record.observed_timestamp()));
  w.OptionalUint("severityNumber", static_cast<std::uint64_t>(record.severity()));
  w.OptionalString("severityText", record.severity_text());
  if (record.has_body()) {
    w.Key("body");
    internal::EncodeAnyValueJson(w, record.body());
  }
  internal::EncodeAttributesJson(w, "attributes", record.attributes());
  w.OptionalUint("droppedAttributesCount", record.dropped_attributes());
  w.OptionalUint("flags", record.trace_flags().bits() & kTraceFlagsMask);
  if (record.trace_id().IsValid()) {
    w.Key("traceId");
    w.HexString(record.trace_id().bytes());
  }
  if (record.span_id().IsValid()) {
    w.Key("spanId");
    w.HexString(record.span_id().bytes());
  }
  w.EndObject();
}

}  // namespace

void EncodeLogsRequestProto(std::span<const LogRecordDataPtr> records, std::string& out) {
  ProtoWriter w(out);
  const Resource* open_resource = nullptr;
  ProtoWriter::MessageMark resource_logs{};
  auto close_resource = [&] {
    w.OptionalStringField(kResourceLogsSchemaUrl, open_resource->schema_url());
    w.EndMessage(resource_logs);
  };
  ForEachGroup(
      records,
      [&](const Resource& resource) {
        if (open_resource != nullptr) close_resource();
        // Three length bytes cover batches up to 2 MiB without moving the body.
        resource_logs = w.BeginMessage(kRequestResourceLogs, 1 << 16);
        internal::EncodeResourceProto(w, kResourceLogsResource, resource);
        open_resource = &resource;
      },
      [&](const InstrumentationScope& scope, auto&& each) {
        auto scope_logs = w.BeginMessage(kResourceLogsScopeLogs, 1 << 16);
        internal::EncodeScopeProto(w, kScopeLogsScope, scope.name, scope.version,
                                   scope.attributes.entries(), scope.attributes.dropped());
        each([&](const LogRecordData& record) { EncodeLogRecordProto(w, record); });
        w.OptionalStringField(kScopeLogsSchemaUrl, scope.schema_url);
        w.EndMessage(scope_logs);
      });
  if (open_resource != nullptr) close_resource();
}

void EncodeLogsRequestJson(std::span<const LogRecordDataPtr> records, std::string& out) {
  JsonWriter w(out);
  const Resource* open_resource = nullptr;
  w.BeginObject();
  auto close_resource = [&] {
    w.EndArray();  // scopeLogs
    w.OptionalString("schemaUrl", open_resource->schema_url());
    w.EndObject();
  };
  ForEachGroup(
      records,
      [&](const Resource& resource) {
        if (open_resource != nullptr) {
          close_resource();
        } else {
          w.Key("resourceLogs");
          w.BeginArray();
        }
        w.BeginObject();
        w.Key("resource");
        internal::EncodeResourceJson(w, resource);
        w.Key("scopeLogs");
        w.BeginArray();
        open_resource = &resource;
      },
      [&](const InstrumentationScope& scope, auto&& each) {
        w.BeginObject();
        w.Key("scope");
        internal::EncodeScopeJson(w, scope.name, scope.version, scope.attributes.entries(),
                                  scope.attributes.dropped());
        w.Key("logRecords");
        w.BeginArray();
        each([&](const LogRecordData& record) { EncodeLogRecordJson(w, record); });
        w.EndArray();
        w.OptionalString("schemaUrl", scope.schema_url);
        w.EndObject();
      });
  if (open_resource != nullptr) {
    close_resource();
    w.EndArray();  // resourceLogs
  }
  w.EndObject();
}

Result<PartialSuccess> DecodeLogsPartialSuccessProto(std::string_view body) {
  return internal::DecodePartialSuccessProto(body, "otlp logs export response");
}

Result<PartialSuccess> DecodeLogsPartialSuccessJson(std::string_view body) {
  return internal::DecodePartialSuccessJson(body, "rejectedLogRecords", "rejected_log_records",
                                            "otlp logs export response");
}

}  // namespace llmtrace::otlp
