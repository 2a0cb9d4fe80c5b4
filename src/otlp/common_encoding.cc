#include "src/otlp/common_encoding.h"

namespace llmtrace::otlp::internal {
namespace {

// opentelemetry/proto/common/v1/common.proto
constexpr std::uint32_t kAnyValueString = 1;
constexpr std::uint32_t kAnyValueBool = 2;
constexpr std::uint32_t kAnyValueInt = 3;
constexpr std::uint32_t kAnyValueDouble = 4;
constexpr std::uint32_t kAnyValueArray = 5;
constexpr std::uint32_t kArrayValueValues = 1;
constexpr std::uint32_t kKeyValueKey = 1;
constexpr std::uint32_t kKeyValueValue = 2;
constexpr std::uint32_t kScopeName = 1;
constexpr std::uint32_t kScopeVersion = 2;
constexpr std::uint32_t kScopeAttributes = 3;
constexpr std::uint32_t kScopeDroppedAttributesCount = 4;
// opentelemetry/proto/resource/v1/resource.proto
constexpr std::uint32_t kResourceAttributes = 1;
constexpr std::uint32_t kResourceDroppedAttributesCount = 2;

// Array elements are AnyValue messages whose size is known up front for scalars, so they are
// written without a back-patched length.
void EncodeBoolElement(ProtoWriter& w, bool value) {
  const char element[4] = {
      static_cast<char>(MakeTag(kArrayValueValues, WireType::kLengthDelimited)), 2,
      static_cast<char>(MakeTag(kAnyValueBool, WireType::kVarint)),
      static_cast<char>(value ? 1 : 0)};
  w.WriteRaw(element, sizeof element);
}

void EncodeIntElement(ProtoWriter& w, std::int64_t value) {
  const auto bits = static_cast<std::uint64_t>(value);
  w.WriteTag(kArrayValueValues, WireType::kLengthDelimited);
  w.WriteVarint(1 + VarintSize(bits));
  w.VarintField(kAnyValueInt, bits);
}

void EncodeDoubleElement(ProtoWriter& w, double value) {
  w.WriteTag(kArrayValueValues, WireType::kLengthDelimited);
  w.WriteVarint(1 + 8);
  w.DoubleField(kAnyValueDouble, value);
}

void EncodeStringElement(ProtoWriter& w, std::string_view value) {
  auto element = w.BeginMessage(kArrayValueValues, value.size() + 1 + VarintSize(value.size()));
  w.StringField(kAnyValueString, value);
  w.EndMessage(element);
}

template <typename T, typename EncodeElement>
void EncodeArrayProto(ProtoWriter& w, std::span<const T> values, std::size_t size_hint,
                      EncodeElement encode) {
  auto array = w.BeginMessage(kAnyValueArray, size_hint);
  for (const T& v : values) encode(w, v);
  w.EndMessage(array);
}

template <typename T, typename EncodeElement>
void EncodeArrayJson(JsonWriter& w, std::string_view member, std::span<const T> values,
                     EncodeElement encode) {
  w.Key("arrayValue");
  w.BeginObject();
  if (!values.empty()) {
    w.Key("values");
    w.BeginArray();
    for (const T& v : values) {
      w.BeginObject();
      w.Key(member);
      encode(w, v);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

std::size_t EstimateAnyValueProtoSize(const AttributeValue& value) noexcept {
  switch (value.type()) {
    case AttributeValue::Type::kBool:
      return 2;
    case AttributeValue::Type::kInt:
      return 11;
    case AttributeValue::Type::kDouble:
      return 9;
    case AttributeValue::Type::kString:
      return value.AsString().size() + 3;
    case AttributeValue::Type::kBoolArray:
      return 3 + 4 * value.AsBoolArray().size();
    case AttributeValue::Type::kIntArray:
      return 3 + 8 * value.AsIntArray().size();
    case AttributeValue::Type::kDoubleArray:
      return 3 + 11 * value.AsDoubleArray().size();
    case AttributeValue::Type::kStringArray: {
      std::size_t size = 3;
      for (std::string_view s : value.AsStringArray()) size += s.size() + 5;
      return size;
    }
  }
  return 0;
}

void EncodeAnyValueProto(ProtoWriter& w, std::uint32_t field, const AttributeValue& value) {
  switch (value.type()) {
    case AttributeValue::Type::kBool: {
      const char body[3] = {2, static_cast<char>(MakeTag(kAnyValueBool, WireType::kVarint)),
                            static_cast<char>(value.AsBool() ? 1 : 0)};
      w.WriteTag(field, WireType::kLengthDelimited);
      w.WriteRaw(body, sizeof body);
      return;
    }
    case AttributeValue::Type::kInt: {
      const auto bits = static_cast<std::uint64_t>(value.AsInt());
      w.WriteTag(field, WireType::kLengthDelimited);
      w.WriteVarint(1 + VarintSize(bits));
      w.VarintField(kAnyValueInt, bits);
      return;
    }
    case AttributeValue::Type::kDouble:
      w.WriteTag(field, WireType::kLengthDelimited);
      w.WriteVarint(1 + 8);
      w.DoubleField(kAnyValueDouble, value.AsDouble());
      return;
    default:
      break;
  }
  const std::size_t hint = EstimateAnyValueProtoSize(value);
  auto any = w.BeginMessage(field, hint);
  switch (value.type()) {
    case AttributeValue::Type::kString:
      w.StringField(kAnyValueString, value.AsString());
      break;
    case AttributeValue::Type::kBoolArray:
      EncodeArrayProto(w, value.AsBoolArray(), hint, EncodeBoolElement);
      break;
    case AttributeValue::Type::kIntArray:
      EncodeArrayProto(w, value.AsIntArray(), hint, EncodeIntElement);
      break;
    case AttributeValue::Type::kDoubleArray:
      EncodeArrayProto(w, value.AsDoubleArray(), hint, EncodeDoubleElement);
      break;
    case AttributeValue::Type::kStringArray:
      EncodeArrayProto(w, value.AsStringArray(), hint, EncodeStringElement);
      break;
    default:
      break;
  }
  w.EndMessage(any);
}

void EncodeKeyValueProto(ProtoWriter& w, std::uint32_t field, const KeyValue& attribute) {
  auto kv =
      w.BeginMessage(field, attribute.key.size() + 4 + EstimateAnyValueProtoSize(attribute.value));
  w.OptionalStringField(kKeyValueKey, attribute.key);
  EncodeAnyValueProto(w, kKeyValueValue, attribute.value);
  w.EndMessage(kv);
}

void EncodeAttributesProto(ProtoWriter& w, std::uint32_t field,
                           std::span<const KeyValue> attributes) {
  for (const KeyValue& attribute : attributes) EncodeKeyValueProto(w, field, attribute);
}

void EncodeResourceProto(ProtoWriter& w, std::uint32_t field, const Resource& resource) {
  const AttributeSet& attributes = resource.attributes();
  auto message = w.BeginMessage(field, 64 * attributes.size());
  EncodeAttributesProto(w, kResourceAttributes, attributes.entries());
  w.OptionalVarintField(kResourceDroppedAttributesCount, attributes.dropped());
  w.EndMessage(message);
}

void EncodeScopeProto(ProtoWriter& w, std::uint32_t field, std::string_view name,
                      std::string_view version, std::span<const KeyValue> attributes,
                      std::uint32_t dropped_attributes) {
  auto message = w.BeginMessage(field, name.size() + version.size() + 4 + 32 * attributes.size());
  w.OptionalStringField(kScopeName, name);
  w.OptionalStringField(kScopeVersion, version);
  EncodeAttributesProto(w, kScopeAttributes, attributes);
  w.OptionalVarintField(kScopeDroppedAttributesCount, dropped_attributes);
  w.EndMessage(message);
}

void EncodeAnyValueJson(JsonWriter& w, const AttributeValue& value) {
  w.BeginObject();
  switch (value.type()) {
    case AttributeValue::Type::kBool:
      w.Key("boolValue");
      w.Bool(value.AsBool());
      break;
    case AttributeValue::Type::kInt:
      w.Key("intValue");
      w.Int64String(value.AsInt());
      break;
    case AttributeValue::Type::kDouble:
      w.Key("doubleValue");
      w.Double(value.AsDouble());
      break;
    case AttributeValue::Type::kString:
      w.Key("stringValue");
      w.String(value.AsString());
      break;
    case AttributeValue::Type::kBoolArray:
      EncodeArrayJson(w, "boolValue", value.AsBoolArray(),
                      [](JsonWriter& jw, bool v) { jw.Bool(v); });
      break;
    case AttributeValue::Type::kIntArray:
      EncodeArrayJson(w, "intValue", value.AsIntArray(),
                      [](JsonWriter& jw, std::int64_t v) { jw.Int64String(v); });
      break;
    case AttributeValue::Type::kDoubleArray:
      EncodeArrayJson(w, "doubleValue", value.AsDoubleArray(),
                      [](JsonWriter& jw, double v) { jw.Double(v); });
      break;
    case AttributeValue::Type::kStringArray:
      EncodeArrayJson(w, "stringValue", value.AsStringArray(),
                      [](JsonWriter& jw, std::string_view v) { jw.String(v); });
      break;
  }
  w.EndObject();
}

void EncodeAttributesJson(JsonWriter& w, std::string_view key,
                          std::span<const KeyValue> attributes) {
  if (attributes.empty()) return;
  w.Key(key);
  w.BeginArray();
  for (const KeyValue& attribute : attributes) {
    w.BeginObject();
    w.OptionalString("key", attribute.key);
    w.Key("value");
    EncodeAnyValueJson(w, attribute.value);
    w.EndObject();
  }
  w.EndArray();
}

void EncodeResourceJson(JsonWriter& w, const Resource& resource) {
  w.BeginObject();
  EncodeAttributesJson(w, "attributes", resource.attributes().entries());
  w.OptionalUint("droppedAttributesCount", resource.attributes().dropped());
  w.EndObject();
}

void EncodeScopeJson(JsonWriter& w, std::string_view name, std::string_view version,
                     std::span<const KeyValue> attributes, std::uint32_t dropped_attributes) {
  w.BeginObject();
  w.OptionalString("name", name);
  w.OptionalString("version", version);
  EncodeAttributesJson(w, "attributes", attributes);
  w.OptionalUint("droppedAttributesCount", dropped_attributes);
  w.EndObject();
}

}  // namespace llmtrace::otlp::internal
