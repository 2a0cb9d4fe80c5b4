// Small inline helpers for recording attributes on the hot paths of spans and log records.
//
// Attribute keys mostly share a prefix ("gen_ai.") and a handful of lengths, and both signals set
// a few dozen of them per record, so the duplicate-key check and the key copies dominate when
// done naively. Private to the SDK (src/), shared by src/trace and src/logs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace llmtrace::internal {

// Key equality, comparing the last eight bytes inline first (where keys with a common prefix
// differ) before a full comparison.
inline bool SameKey(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.size() >= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + a.size() - 8, 8);
    std::memcpy(&y, b.data() + b.size() - 8, 8);
    if (x != y) return false;
  }
  return std::memcmp(a.data(), b.data(), a.size()) == 0;
}

// Attribute keys and short values are mostly 8 to 32 bytes: copied with two overlapping
// fixed-size moves inline instead of a call into the library's general memcpy.
inline void CopySmall(char* out, const char* in, std::size_t size) noexcept {
  if (size >= 16 && size <= 32) {
    std::memcpy(out, in, 16);
    std::memcpy(out + size - 16, in + size - 16, 16);
  } else if (size >= 8 && size < 16) {
    std::memcpy(out, in, 8);
    std::memcpy(out + size - 8, in + size - 8, 8);
  } else if (size != 0) {
    std::memcpy(out, in, size);
  }
}

// One bit of a 64-bit filter for a key, from its length and last (up to) eight bytes. A record
// remembers the bits of the keys it holds, so setting a key whose bit is clear skips the
// duplicate scan: with the usual few dozen distinct keys, most sets never scan.
inline std::uint64_t KeyFilterBit(std::string_view key) noexcept {
  std::uint64_t tail = 0;
  if (key.size() >= 8) {
    std::memcpy(&tail, key.data() + key.size() - 8, 8);
  } else {
    for (char c : key) tail = (tail << 8) | static_cast<unsigned char>(c);
  }
  const std::uint64_t mixed = (tail ^ key.size()) * 0x9E3779B97F4A7C15ULL;
  return std::uint64_t{1} << (mixed >> 58);
}

}  // namespace llmtrace::internal
