// Encoders for the OTLP messages every signal shares (opentelemetry/proto/common/v1 and
// resource/v1): AnyValue, KeyValue, Resource and InstrumentationScope, in protobuf and in
// OTLP/JSON.
//
// Used by the trace encoder and, later, the metrics and logs encoders. The protobuf functions
// write the message as field `field` of the enclosing message. The JSON functions write a value
// (the caller writes the key first), except EncodeAttributesJson, which writes the whole
// `"<key>":[...]` member and nothing at all for an empty list (proto3 omits empty repeated
// fields). AnyValue members are written even when they hold a default (false, 0, "", an empty
// array): inside a oneof the member itself says which type the value has.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/resource.h"
#include "src/otlp/json_writer.h"
#include "src/otlp/proto_writer.h"

namespace llmtrace::otlp::internal {

// A guess of the protobuf size of an AnyValue holding `value`, for BeginMessage size hints.
std::size_t EstimateAnyValueProtoSize(const AttributeValue& value) noexcept;

// --- Protobuf. ---
void EncodeAnyValueProto(ProtoWriter& w, std::uint32_t field, const AttributeValue& value);
void EncodeKeyValueProto(ProtoWriter& w, std::uint32_t field, const KeyValue& attribute);
// One KeyValue per attribute, all as (repeated) field `field`.
void EncodeAttributesProto(ProtoWriter& w, std::uint32_t field,
                           std::span<const KeyValue> attributes);
void EncodeResourceProto(ProtoWriter& w, std::uint32_t field, const Resource& resource);
void EncodeScopeProto(ProtoWriter& w, std::uint32_t field, std::string_view name,
                      std::string_view version, std::span<const KeyValue> attributes,
                      std::uint32_t dropped_attributes);

// --- OTLP/JSON. ---
void EncodeAnyValueJson(JsonWriter& w, const AttributeValue& value);
void EncodeAttributesJson(JsonWriter& w, std::string_view key,
                          std::span<const KeyValue> attributes);
void EncodeResourceJson(JsonWriter& w, const Resource& resource);
void EncodeScopeJson(JsonWriter& w, std::string_view name, std::string_view version,
                     std::span<const KeyValue> attributes, std::uint32_t dropped_attributes);

}  // namespace llmtrace::otlp::internal
