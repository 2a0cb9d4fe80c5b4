#include "llmtrace/common/attribute_value.h"

#include <algorithm>

#include "llmtrace/common/strings.h"

namespace llmtrace {

namespace {

template <typename T>
bool SpansEqual(std::span<const T> a, std::span<const T> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

void AppendQuoted(std::string& out, std::string_view s) {
  out += '"';
  out += s;
  out += '"';
}

}  // namespace

bool operator==(const AttributeValue& a, const AttributeValue& b) noexcept {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case AttributeValue::Type::kBool:
      return a.AsBool() == b.AsBool();
    case AttributeValue::Type::kInt:
      return a.AsInt() == b.AsInt();
    case AttributeValue::Type::kDouble:
      return a.AsDouble() == b.AsDouble();
    case AttributeValue::Type::kString:
      return a.AsString() == b.AsString();
    case AttributeValue::Type::kBoolArray:
      return SpansEqual(a.AsBoolArray(), b.AsBoolArray());
    case AttributeValue::Type::kIntArray:
      return SpansEqual(a.AsIntArray(), b.AsIntArray());
    case AttributeValue::Type::kDoubleArray:
      return SpansEqual(a.AsDoubleArray(), b.AsDoubleArray());
    case AttributeValue::Type::kStringArray:
      return SpansEqual(a.AsStringArray(), b.AsStringArray());
  }
  return false;
}

std::string AttributeValue::ToString() const {
  std::string out;
  auto join = [&out](auto values, auto append_one) {
    out += '[';
    bool first = true;
    for (const auto& v : values) {
      if (!first) out += ", ";
      first = false;
      append_one(v);
    }
    out += ']';
  };
  switch (type()) {
    case Type::kBool:
      return AsBool() ? "true" : "false";
    case Type::kInt:
      return std::to_string(AsInt());
    case Type::kDouble:
      return FormatDouble(AsDouble());
    case Type::kString:
      AppendQuoted(out, AsString());
      return out;
    case Type::kBoolArray:
      join(AsBoolArray(), [&out](bool v) { out += v ? "true" : "false"; });
      return out;
    case Type::kIntArray:
      join(AsIntArray(), [&out](std::int64_t v) { out += std::to_string(v); });
      return out;
    case Type::kDoubleArray:
      join(AsDoubleArray(), [&out](double v) { out += FormatDouble(v); });
      return out;
    case Type::kStringArray:
      join(AsStringArray(), [&out](std::string_view v) { AppendQuoted(out, v); });
      return out;
  }
  return out;
}

}  // namespace llmtrace
