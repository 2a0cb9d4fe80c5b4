// ProtoReader: a minimal protobuf wire-format reader for the small messages llmtrace receives
// (OTLP Export*ServiceResponse bodies).
//
// The bytes come from the network, so every read is bounds-checked: a truncated or malformed
// message sets an error (error() names the problem and the byte offset) and never reads past the
// end. Unknown fields are skipped by wire type; groups (wire types 3 and 4, long deprecated) are
// refused.
// Thread-safety: none; one reader per buffer.
//
//   ProtoReader r(body);
//   std::uint32_t field;
//   WireType type;
//   while (r.Next(field, type)) {
//     if (field == 1 && type == WireType::kVarint) r.ReadVarint(value); else r.Skip(type);
//   }
//   if (!r.error().empty()) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/otlp/proto_writer.h"

namespace llmtrace::otlp::internal {

class ProtoReader {
 public:
  explicit ProtoReader(std::string_view data) noexcept : data_(data) {}

  // Reads the next tag. False at the end of the data or after an error.
  bool Next(std::uint32_t& field, WireType& type) noexcept;

  // Each returns false (and sets the error) if the data ends or is malformed.
  bool ReadVarint(std::uint64_t& value) noexcept;
  bool ReadFixed32(std::uint32_t& value) noexcept;
  bool ReadFixed64(std::uint64_t& value) noexcept;
  bool ReadLengthDelimited(std::string_view& value) noexcept;
  bool Skip(WireType type) noexcept;

  // Empty while the data is well formed so far.
  const std::string& error() const noexcept { return error_; }
  std::size_t position() const noexcept { return pos_; }

 private:
  bool Fail(std::string_view what) noexcept;

  std::string_view data_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace llmtrace::otlp::internal
