// ProtoWriter: appends protobuf wire format to a caller's std::string, with no protobuf library.
//
// Shared by the OTLP trace, metrics and logs encoders. Scalars are written as the wire format
// defines them (varint, int64 without zigzag, fixed32/64 little-endian, length-delimited bytes).
// Nested messages are written in one pass: BeginMessage writes the tag and reserves room for the
// length (sized from a hint), EndMessage writes the real length there and, only when the guess
// was wrong, moves the body by the difference. Lengths are always the canonical (shortest)
// varint. Strings are checked for UTF-8 and ill-formed bytes become U+FFFD (see utf8.h).
//
// For speed the writer grows the string ahead of what it has written and writes through a
// pointer; the string holds spare bytes until Flush() or the destructor trims it. So: do not
// touch the string while a writer on it is alive.
//
// The `...Field` methods always write; the `Optional...` ones skip proto3 default values (0,
// empty), which is what the OTLP encoders want outside oneofs.
// Thread-safety: none; one writer per buffer.
//
//   ProtoWriter w(out);
//   auto span = w.BeginMessage(kScopeSpansSpans, /*size_hint=*/300);
//   w.OptionalStringField(kSpanName, "chat");
//   w.EndMessage(span);
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace llmtrace::otlp::internal {

enum class WireType : std::uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5,
};

constexpr std::uint32_t MakeTag(std::uint32_t field, WireType type) noexcept {
  return (field << 3) | static_cast<std::uint32_t>(type);
}

constexpr std::size_t VarintSize(std::uint64_t value) noexcept {
  // One byte per started group of seven bits; 0 takes one byte.
  return value == 0 ? 1 : (static_cast<std::size_t>(std::bit_width(value)) + 6) / 7;
}

// Writes `value` as a varint at `out` (room for 10 bytes); returns the end of what it wrote.
inline char* EncodeVarint(std::uint64_t value, char* out) noexcept {
  while (value >= 0x80) {
    *out++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

inline char* EncodeFixed32(std::uint32_t value, char* out) noexcept {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(value >> (8 * i));
  return out + 4;
}

inline char* EncodeFixed64(std::uint64_t value, char* out) noexcept {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(value >> (8 * i));
  return out + 8;
}

class ProtoWriter {
 public:
  // Where a nested message's length goes; returned by BeginMessage, consumed by EndMessage.
  struct MessageMark {
    std::size_t length_pos;
    std::size_t reserved;
  };

  explicit ProtoWriter(std::string& out) noexcept : out_(out), pos_(out.size()) {}
  ~ProtoWriter() { Flush(); }
  ProtoWriter(const ProtoWriter&) = delete;
  ProtoWriter& operator=(const ProtoWriter&) = delete;

  // Trims the spare bytes: the string then holds exactly what was written.
  void Flush() noexcept { out_.resize(pos_); }  // shrinking never allocates
  // Bytes in the string that are written (including what it held before).
  std::size_t size() const noexcept { return pos_; }

  // --- Raw pieces. ---
  void WriteRaw(const void* data, std::size_t size) {
    char* p = Reserve(size);
    if (size != 0) std::memcpy(p, data, size);  // data may be null when size is 0
    pos_ += size;
  }
  void WriteVarint(std::uint64_t value) { Commit(EncodeVarint(value, Reserve(10))); }
  void WriteTag(std::uint32_t field, WireType type) { WriteVarint(MakeTag(field, type)); }
  void WriteFixed32(std::uint32_t value) { Commit(EncodeFixed32(value, Reserve(4))); }
  void WriteFixed64(std::uint64_t value) { Commit(EncodeFixed64(value, Reserve(8))); }

  // --- Fields, always written (oneof members, explicit presence). ---
  void VarintField(std::uint32_t field, std::uint64_t value) {
    char* p = Reserve(15);
    p = EncodeVarint(MakeTag(field, WireType::kVarint), p);
    Commit(EncodeVarint(value, p));
  }
  // int64 and enums: negative values take ten bytes (two's complement, no zigzag).
  void Int64Field(std::uint32_t field, std::int64_t value) {
    VarintField(field, static_cast<std::uint64_t>(value));
  }
  void BoolField(std::uint32_t field, bool value) { VarintField(field, value ? 1 : 0); }
  void Fixed32Field(std::uint32_t field, std::uint32_t value) {
    char* p = Reserve(9);
    p = EncodeVarint(MakeTag(field, WireType::kFixed32), p);
    Commit(EncodeFixed32(value, p));
  }
  void Fixed64Field(std::uint32_t field, std::uint64_t value) {
    char* p = Reserve(13);
    p = EncodeVarint(MakeTag(field, WireType::kFixed64), p);
    Commit(EncodeFixed64(value, p));
  }
  void DoubleField(std::uint32_t field, double value) {
    Fixed64Field(field, std::bit_cast<std::uint64_t>(value));
  }
  void BytesField(std::uint32_t field, std::span<const std::uint8_t> bytes) {
    char* p = Reserve(15 + bytes.size());
    p = EncodeVarint(MakeTag(field, WireType::kLengthDelimited), p);
    p = EncodeVarint(bytes.size(), p);
    if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
    Commit(p + bytes.size());
  }
  // Ill-formed UTF-8 is replaced with U+FFFD.
  void StringField(std::uint32_t field, std::string_view value);

  // --- proto3 fields: the default value (0, empty) is not written. ---
  void OptionalVarintField(std::uint32_t field, std::uint64_t value) {
    if (value != 0) VarintField(field, value);
  }
  void OptionalFixed64Field(std::uint32_t field, std::uint64_t value) {
    if (value != 0) Fixed64Field(field, value);
  }
  void OptionalStringField(std::uint32_t field, std::string_view value) {
    if (!value.empty()) StringField(field, value);
  }

  // --- Nested messages. ---
  // Writes the tag and reserves VarintSize(size_hint) bytes for the length. A good hint avoids a
  // memmove in EndMessage; a wrong one costs one move of the body, never a second encoding.
  MessageMark BeginMessage(std::uint32_t field, std::size_t size_hint = 0) {
    const std::size_t reserved = VarintSize(size_hint);
    char* p = EncodeVarint(MakeTag(field, WireType::kLengthDelimited), Reserve(5 + reserved));
    Commit(p + reserved);
    return MessageMark{pos_ - reserved, reserved};
  }
  void EndMessage(MessageMark mark);

 private:
  // A pointer to at least `size` writable bytes at the write position.
  char* Reserve(std::size_t size) {
    if (out_.size() - pos_ < size) Grow(size);
    return out_.data() + pos_;
  }
  void Commit(char* end) noexcept { pos_ = static_cast<std::size_t>(end - out_.data()); }
  void Grow(std::size_t size);

  std::string& out_;
  std::size_t pos_;  // bytes written; out_.size() - pos_ spare bytes follow
};

}  // namespace llmtrace::otlp::internal
