#include "src/otlp/partial_success.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

#include "src/otlp/proto_reader.h"
#include "src/otlp/utf8.h"

namespace llmtrace::otlp::internal {
namespace {

constexpr std::uint32_t kResponsePartialSuccess = 1;
constexpr std::uint32_t kPartialSuccessRejected = 1;
constexpr std::uint32_t kPartialSuccessErrorMessage = 2;

Status Malformed(std::string_view what, std::string_view format, std::string_view detail) {
  std::string message(what);
  message += ": malformed ";
  message += format;
  message += " body: ";
  message += detail;
  return InvalidArgumentError(std::move(message));
}

bool IsBlank(std::string_view body) noexcept {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Messages from the network are shown to users and written to logs: keep them valid UTF-8.
std::string SanitizedMessage(std::string_view message) {
  std::string out;
  AppendSanitizedUtf8(message, out);
  return out;
}

Result<PartialSuccess> DecodeProto(std::string_view body, std::string_view what) {
  PartialSuccess result;
  ProtoReader response(body);
  std::uint32_t field;
  WireType type;
  while (response.Next(field, type)) {
    if (field != kResponsePartialSuccess || type != WireType::kLengthDelimited) {
      response.Skip(type);
      continue;
    }
    std::string_view nested;
    if (!response.ReadLengthDelimited(nested)) break;
    // A repeated occurrence of a message field merges into the earlier one (protobuf rules).
    ProtoReader partial(nested);
    while (partial.Next(field, type)) {
      if (field == kPartialSuccessRejected && type == WireType::kVarint) {
        std::uint64_t rejected;
        if (partial.ReadVarint(rejected)) result.rejected = static_cast<std::int64_t>(rejected);
      } else if (field == kPartialSuccessErrorMessage && type == WireType::kLengthDelimited) {
        std::string_view message;
        if (partial.ReadLengthDelimited(message)) result.error_message = SanitizedMessage(message);
      } else {
        partial.Skip(type);
      }
    }
    if (!partial.error().empty()) {
      return Malformed(what, "protobuf", "partial_success: " + partial.error());
    }
  }
  if (!response.error().empty()) return Malformed(what, "protobuf", response.error());
  return result;
}

// The first of the two spellings that is present; null elements count as absent.
bool FindMember(const simdjson::dom::object& object, std::string_view json_name,
                std::string_view proto_name, simdjson::dom::element& out) {
  for (std::string_view name : {json_name, proto_name}) {
    if (object.at_key(name).get(out) == simdjson::SUCCESS && !out.is_null()) return true;
  }
  return false;
}

bool ReadInt64(const simdjson::dom::element& element, std::int64_t& out) {
  switch (element.type()) {
    case simdjson::dom::element_type::INT64:
      return element.get_int64().get(out) == simdjson::SUCCESS;
    case simdjson::dom::element_type::UINT64:
      return false;  // above INT64_MAX
    case simdjson::dom::element_type::DOUBLE: {
      double d = 0;
      if (element.get_double().get(d) != simdjson::SUCCESS) return false;
      // Protobuf JSON accepts exponent notation for integers ("1e3") if the value is integral.
      if (!std::isfinite(d) || std::trunc(d) != d || d < -9.223372036854775808e18 ||
          d >= 9.223372036854775808e18) {
        return false;
      }
      out = static_cast<std::int64_t>(d);
      return true;
    }
    case simdjson::dom::element_type::STRING: {
      std::string_view s;
      if (element.get_string().get(s) != simdjson::SUCCESS || s.empty()) return false;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      return ec == std::errc() && end == s.data() + s.size();
    }
    default:
      return false;
  }
}

Result<PartialSuccess> DecodeJson(std::string_view body, std::string_view rejected_name,
                                  std::string_view rejected_proto_name, std::string_view what) {
  PartialSuccess result;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(body.data(), body.size());
  simdjson::dom::element document;
  if (auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    return Malformed(what, "JSON", simdjson::error_message(error));
  }
  simdjson::dom::object response;
  if (document.get_object().get(response) != simdjson::SUCCESS) {
    return Malformed(what, "JSON", "expected an object");
  }
  simdjson::dom::element partial_element;
  if (!FindMember(response, "partialSuccess", "partial_success", partial_element)) return result;
  simdjson::dom::object partial;
  if (partial_element.get_object().get(partial) != simdjson::SUCCESS) {
    return Malformed(what, "JSON", "partialSuccess is not an object");
  }
  simdjson::dom::element element;
  if (FindMember(partial, rejected_name, rejected_proto_name, element) &&
      !ReadInt64(element, result.rejected)) {
    return Malformed(what, "JSON", std::string(rejected_name) + " is not an int64");
  }
  if (FindMember(partial, "errorMessage", "error_message", element)) {
    std::string_view message;
    if (element.get_string().get(message) != simdjson::SUCCESS) {
      return Malformed(what, "JSON", "errorMessage is not a string");
    }
    result.error_message = SanitizedMessage(message);
  }
  return result;
}

}  // namespace

Result<PartialSuccess> DecodePartialSuccessProto(std::string_view body, std::string_view what) {
  try {
    return DecodeProto(body, what);
  } catch (const std::exception& e) {  // std::bad_alloc: the only exception possible here
    return InternalError(std::string(what) + ": " + e.what());
  }
}

Result<PartialSuccess> DecodePartialSuccessJson(std::string_view body,
                                                std::string_view rejected_name,
                                                std::string_view rejected_proto_name,
                                                std::string_view what) {
  if (IsBlank(body)) return PartialSuccess{};
  try {
    return DecodeJson(body, rejected_name, rejected_proto_name, what);
  } catch (const std::exception& e) {
    return InternalError(std::string(what) + ": " + e.what());
  }
}

}  // namespace llmtrace::otlp::internal
