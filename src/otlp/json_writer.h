// JsonWriter: appends compact JSON to a caller's std::string, for the OTLP/JSON encoders.
//
// Shared by the OTLP trace, metrics and logs encoders and the JSON-lines exporters. Commas are
// placed by the writer (it tracks, per nesting level, whether a member was already written), so
// encoders read as the document they produce. The output never contains a raw newline, which is
// what lets a JSON-lines file hold one request per line.
//
//   - Strings follow RFC 8259: '"', '\\' and every control character below U+0020 are escaped
//     (\b \f \n \r \t, else \u00XX); ill-formed UTF-8 becomes U+FFFD.
//   - Doubles use the shortest text that reads back to the same value; NaN, Infinity and
//     -Infinity, which JSON numbers cannot hold, are the strings "NaN", "Infinity", "-Infinity"
//     (the protobuf JSON mapping). Negative zero is written "-0.0", since number-classifying
//     parsers read "-0" as the integer 0.
//   - 64-bit integers that protobuf JSON quotes (int64, fixed64, uint64) have their own writers.
// Keys are written as given: they must be field names that need no escaping.
//
// Like ProtoWriter, the writer grows the string ahead of what it has written and writes through
// a pointer; Flush() or the destructor trims the spare bytes. Do not touch the string while a
// writer on it is alive.
// Thread-safety: none; one writer per buffer.
//
//   JsonWriter w(out);
//   w.BeginObject();
//   w.Key("name");
//   w.String("chat");
//   w.EndObject();  // {"name":"chat"}
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace llmtrace::otlp::internal {

// Appends `value` as a quoted, escaped JSON string.
void AppendJsonString(std::string_view value, std::string& out);
// Appends the JSON form of `value`: a number, or "NaN" / "Infinity" / "-Infinity" quoted.
void AppendJsonDouble(double value, std::string& out);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) noexcept : out_(out), pos_(out.size()) {}
  ~JsonWriter() { Flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Trims the spare bytes: the string then holds exactly what was written.
  void Flush() noexcept { out_.resize(pos_); }

  void BeginObject() {
    BeforeValue();
    WriteChar('{');
    Push();
  }
  void EndObject() {
    Pop();
    WriteChar('}');
  }
  void BeginArray() {
    BeforeValue();
    WriteChar('[');
    Push();
  }
  void EndArray() {
    Pop();
    WriteChar(']');
  }

  // `"key":`, preceded by a comma unless it is the first member of the object.
  void Key(std::string_view key) {
    char* p = Reserve(key.size() + 4);
    if (has_member_ & Bit()) *p++ = ',';
    has_member_ |= Bit();
    *p++ = '"';
    if (!key.empty()) std::memcpy(p, key.data(), key.size());
    p += key.size();
    *p++ = '"';
    *p++ = ':';
    Commit(p);
    after_key_ = true;
  }

  void String(std::string_view value);
  void Bool(bool value) {
    BeforeValue();
    if (value) {
      WriteRaw("true", 4);
    } else {
      WriteRaw("false", 5);
    }
  }
  // A JSON number (uint32, int32, enums).
  void Uint(std::uint64_t value);
  void Int(std::int64_t value);
  // A decimal string ("123"), as protobuf JSON writes int64 / uint64 / fixed64.
  void Uint64String(std::uint64_t value);
  void Int64String(std::int64_t value);
  void Double(double value);
  // Lower-case hex in quotes: OTLP/JSON's form for trace and span ids.
  void HexString(std::span<const std::uint8_t> bytes);
  // Standard base64 with padding in quotes: protobuf JSON's form for other bytes fields.
  void Base64String(std::span<const std::uint8_t> bytes);

  // --- Members that skip proto3 default values (0, empty). ---
  void OptionalString(std::string_view key, std::string_view value) {
    if (value.empty()) return;
    Key(key);
    String(value);
  }
  void OptionalUint(std::string_view key, std::uint64_t value) {
    if (value == 0) return;
    Key(key);
    Uint(value);
  }
  void OptionalUint64String(std::string_view key, std::uint64_t value) {
    if (value == 0) return;
    Key(key);
    Uint64String(value);
  }

 private:
  static constexpr int kMaxDepth = 64;

  char* Reserve(std::size_t size) {
    if (out_.size() - pos_ < size) Grow(size);
    return out_.data() + pos_;
  }
  void Commit(char* end) noexcept { pos_ = static_cast<std::size_t>(end - out_.data()); }
  void Grow(std::size_t size);
  void WriteRaw(const char* data, std::size_t size) {
    std::memcpy(Reserve(size), data, size);
    pos_ += size;
  }
  void WriteChar(char c) {
    *Reserve(1) = c;
    ++pos_;
  }

  void BeforeValue() {
    if (after_key_) {
      after_key_ = false;
    } else if (depth_ > 0) {
      if (has_member_ & Bit()) WriteChar(',');
      has_member_ |= Bit();
    }
  }
  std::uint64_t Bit() const noexcept {
    return std::uint64_t{1} << (depth_ < kMaxDepth ? depth_ - 1 : kMaxDepth - 1);
  }
  void Push() noexcept {
    ++depth_;
    has_member_ &= ~Bit();
  }
  void Pop() noexcept { --depth_; }

  std::string& out_;
  std::size_t pos_;  // bytes written; out_.size() - pos_ spare bytes follow
  int depth_ = 0;
  std::uint64_t has_member_ = 0;  // bit d-1: the container at depth d already has a member
  bool after_key_ = false;
};

}  // namespace llmtrace::otlp::internal
