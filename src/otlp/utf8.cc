#include "src/otlp/utf8.h"

#include <cstdint>
#include <cstring>

namespace llmtrace::otlp::internal {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

bool InRange(unsigned char c, unsigned char low, unsigned char high) noexcept {
  return c >= low && c <= high;
}

// Skips ASCII, eight bytes at a time where possible.
const unsigned char* SkipAscii(const unsigned char* p, const unsigned char* end) noexcept {
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    if ((word & kHighBits) != 0) break;
    p += 8;
  }
  while (p < end && *p < 0x80) ++p;
  return p;
}

}  // namespace

int Utf8SequenceLength(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned char lead = *p;
  if (lead < 0x80) return 1;
  // Table 3-7 of the Unicode standard: the allowed range of the second byte depends on the lead
  // byte (this excludes overlong forms, surrogates and code points above U+10FFFF); the third and
  // fourth bytes are plain continuation bytes.
  int length;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (InRange(lead, 0xC2, 0xDF)) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    second_low = 0xA0;
  } else if (InRange(lead, 0xE1, 0xEC) || lead == 0xEE || lead == 0xEF) {
    length = 3;
  } else if (lead == 0xED) {
    length = 3;
    second_high = 0x9F;
  } else if (lead == 0xF0) {
    length = 4;
    second_low = 0x90;
  } else if (InRange(lead, 0xF1, 0xF3)) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    second_high = 0x8F;
  } else {
    return -1;  // 80..C1, F5..FF never start a sequence
  }
  if (end - p < 2 || !InRange(p[1], second_low, second_high)) return -1;
  for (int i = 2; i < length; ++i) {
    if (end - p <= i || !InRange(p[i], 0x80, 0xBF)) return -i;
  }
  return length;
}

std::size_t ValidUtf8Prefix(std::string_view s) noexcept {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = begin + s.size();
  const unsigned char* p = begin;
  while (true) {
    p = SkipAscii(p, end);
    if (p == end) return s.size();
    int n = Utf8SequenceLength(p, end);
    if (n < 0) return static_cast<std::size_t>(p - begin);
    p += n;
  }
}

std::size_t SanitizedUtf8Size(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  std::size_t size = 0;
  while (p < end) {
    const unsigned char* ascii_end = SkipAscii(p, end);
    size += static_cast<std::size_t>(ascii_end - p);
    p = ascii_end;
    if (p == end) break;
    int n = Utf8SequenceLength(p, end);
    if (n > 0) {
      size += static_cast<std::size_t>(n);
      p += n;
    } else {
      size += kReplacementCharacter.size();
      p += -n;
    }
  }
  return size;
}

char* WriteSanitizedUtf8(std::string_view s, char* out) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  const unsigned char* run = p;  // start of bytes not yet copied
  while (p < end) {
    p = SkipAscii(p, end);
    if (p == end) break;
    int n = Utf8SequenceLength(p, end);
    if (n > 0) {
      p += n;
      continue;
    }
    if (p != run) std::memcpy(out, run, static_cast<std::size_t>(p - run));
    out += p - run;
    std::memcpy(out, kReplacementCharacter.data(), kReplacementCharacter.size());
    out += kReplacementCharacter.size();
    p += -n;
    run = p;
  }
  if (end != run) std::memcpy(out, run, static_cast<std::size_t>(end - run));  // run may be null
  return out + (end - run);
}

void AppendSanitizedUtf8(std::string_view s, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + SanitizedUtf8Size(s));
  WriteSanitizedUtf8(s, out.data() + start);
}

}  // namespace llmtrace::otlp::internal
