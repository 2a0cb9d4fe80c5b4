#include "src/otlp/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "src/otlp/utf8.h"

namespace llmtrace::otlp::internal {
namespace {

// 0: copy as is; 1: needs an escape or UTF-8 validation.
constexpr std::array<std::uint8_t, 256> MakeSpecialTable() {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) ? 1 : 0;
  }
  return table;
}
constexpr std::array<std::uint8_t, 256> kSpecial = MakeSpecialTable();

constexpr char kHexDigits[] = "0123456789abcdef";

// The most bytes WriteJsonString writes for `size` input bytes: every byte could become \u00XX
// (a lone ill-formed byte becomes 3 bytes of U+FFFD, fewer).
constexpr std::size_t MaxJsonStringSize(std::size_t size) { return 6 * size + 2; }

char* WriteEscapedAscii(unsigned char c, char* out) {
  char short_form = 0;
  switch (c) {
    case '"':
      short_form = '"';
      break;
    case '\\':
      short_form = '\\';
      break;
    case '\b':
      short_form = 'b';
      break;
    case '\f':
      short_form = 'f';
      break;
    case '\n':
      short_form = 'n';
      break;
    case '\r':
      short_form = 'r';
      break;
    case '\t':
      short_form = 't';
      break;
    default:
      break;
  }
  *out++ = '\\';
  if (short_form != 0) {
    *out++ = short_form;
    return out;
  }
  *out++ = 'u';
  *out++ = '0';
  *out++ = '0';
  *out++ = kHexDigits[c >> 4];
  *out++ = kHexDigits[c & 0xF];
  return out;
}

// Writes `value` quoted and escaped at `out` (room for MaxJsonStringSize bytes).
char* WriteJsonString(std::string_view value, char* out) {
  *out++ = '"';
  const auto* p = reinterpret_cast<const unsigned char*>(value.data());
  const auto* end = p + value.size();
  const unsigned char* run = p;  // start of bytes not yet copied
  auto flush_run = [&] {
    if (p == run) return;  // also keeps a null `run` away from memcpy
    std::memcpy(out, run, static_cast<std::size_t>(p - run));
    out += p - run;
  };
  while (p < end) {
    if (!kSpecial[*p]) {
      ++p;
      continue;
    }
    if (*p >= 0x80) {
      int n = Utf8SequenceLength(p, end);
      if (n > 0) {  // well-formed: stays in the run, copied verbatim
        p += n;
        continue;
      }
      flush_run();
      std::memcpy(out, kReplacementCharacter.data(), kReplacementCharacter.size());
      out += kReplacementCharacter.size();
      p += -n;
    } else {
      flush_run();
      out = WriteEscapedAscii(*p, out);
      ++p;
    }
    run = p;
  }
  flush_run();
  *out++ = '"';
  return out;
}

// Writes the JSON form of `value` at `out` (room for 32 bytes).
char* WriteJsonDouble(double value, char* out) {
  auto copy = [out](std::string_view text) {
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
  };
  if (std::isnan(value)) return copy("\"NaN\"");
  if (std::isinf(value)) return copy(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  // "-0" is valid JSON, but parsers that classify numbers (simdjson, many others) read it as
  // the integer 0 and lose the sign; "-0.0" is read as a double everywhere.
  if (value == 0 && std::signbit(value)) return copy("-0.0");
  return std::to_chars(out, out + 32, value).ptr;  // shortest text that round-trips
}

}  // namespace

void AppendJsonString(std::string_view value, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + MaxJsonStringSize(value.size()));
  char* end = WriteJsonString(value, out.data() + start);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

void AppendJsonDouble(double value, std::string& out) {
  char buf[32];
  out.append(buf, static_cast<std::size_t>(WriteJsonDouble(value, buf) - buf));
}

void JsonWriter::Grow(std::size_t size) {
  // Use the capacity the string already has, else double: amortized O(1) per byte written.
  out_.resize(std::max({pos_ + size, out_.capacity(), 2 * out_.size(), std::size_t{256}}));
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  Commit(WriteJsonString(value, Reserve(MaxJsonStringSize(value.size()))));
}

void JsonWriter::Double(double value) {
  BeforeValue();
  Commit(WriteJsonDouble(value, Reserve(32)));
}

void JsonWriter::Uint(std::uint64_t value) {
  BeforeValue();
  char* p = Reserve(24);
  Commit(std::to_chars(p, p + 24, value).ptr);
}

void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char* p = Reserve(24);
  Commit(std::to_chars(p, p + 24, value).ptr);
}

void JsonWriter::Uint64String(std::uint64_t value) {
  BeforeValue();
  char* p = Reserve(24);
  *p++ = '"';
  p = std::to_chars(p, p + 22, value).ptr;
  *p++ = '"';
  Commit(p);
}

void JsonWriter::Int64String(std::int64_t value) {
  BeforeValue();
  char* p = Reserve(24);
  *p++ = '"';
  p = std::to_chars(p, p + 22, value).ptr;
  *p++ = '"';
  Commit(p);
}

void JsonWriter::HexString(std::span<const std::uint8_t> bytes) {
  BeforeValue();
  char* p = Reserve(2 * bytes.size() + 2);
  *p++ = '"';
  for (std::uint8_t b : bytes) {
    *p++ = kHexDigits[b >> 4];
    *p++ = kHexDigits[b & 0xF];
  }
  *p++ = '"';
  Commit(p);
}

void JsonWriter::Base64String(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  BeforeValue();
  char* p = Reserve((bytes.size() + 2) / 3 * 4 + 2);
  *p++ = '"';
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t v = (bytes[i] << 16) | (rest == 2 ? bytes[i + 1] << 8 : 0);
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    *p++ = '=';
  }
  *p++ = '"';
  Commit(p);
}

}  // namespace llmtrace::otlp::internal
