// Hashing and exact comparison of attribute lists for the metric hot path.
//
// The hash is order-independent without sorting: each key/value pair is hashed on its own and
// the pair hashes are added, so {a, b} and {b, a} hash alike. A hash only picks the probe start:
// series are always confirmed by comparing attributes exactly, so collisions never merge series.
// Doubles compare by bit pattern (with -0.0 folded into 0.0) so that equality matches the hash,
// and NaN values equal themselves instead of creating a new series per measurement.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/attribute_value.h"

namespace llmtrace::metrics::internal {

inline constexpr std::uint64_t kHashMultiplier = 0x9E3779B97F4A7C15ull;
inline constexpr std::uint64_t kSecret1 = 0xa0761d6478bd642full;
inline constexpr std::uint64_t kSecret2 = 0xe7037ed1a0b428dbull;
inline constexpr std::uint64_t kSecret3 = 0x8ebc6af09c88c6e3ull;

// MurmurHash3's finaliser.
inline std::uint64_t Mix(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

__extension__ using Uint128 = unsigned __int128;

// wyhash's mixing step: one 64x64->128 multiply, folded.
inline std::uint64_t Mum(std::uint64_t a, std::uint64_t b) noexcept {
  const Uint128 r = static_cast<Uint128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

inline std::uint64_t Load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint64_t Load32(const char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Every byte counts (strings of up to 16 bytes take two loads and one multiply).
inline std::uint64_t HashBytes(std::string_view s, std::uint64_t seed) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  seed ^= n * kHashMultiplier;
  std::uint64_t a = 0, b = 0;
  if (n <= 16) [[likely]] {
    if (n >= 8) {
      a = Load64(p);
      b = Load64(p + n - 8);
    } else if (n >= 4) {
      a = Load32(p);
      b = Load32(p + n - 4);
    } else if (n > 0) {
      a = std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
          std::uint64_t{static_cast<unsigned char>(p[n >> 1])} << 8 |
          std::uint64_t{static_cast<unsigned char>(p[n - 1])};
    }
  } else {
    for (std::size_t i = 0; i + 16 < n; i += 16) {
      seed = Mum(Load64(p + i) ^ kSecret1, Load64(p + i + 8) ^ seed);
    }
    a = Load64(p + n - 16);
    b = Load64(p + n - 8);
  }
  return Mum(a ^ kSecret1, b ^ seed ^ kSecret2);
}

// A cheaper hash for attribute keys: the length and the first and last eight bytes (all of a
// key of up to 16 bytes). Keys of one instrument are few and fixed, values tell series apart,
// and a collision only costs an extra exact comparison.
inline std::uint64_t HashKey(std::string_view key) noexcept {
  const std::size_t n = key.size();
  if (n < 8) return HashBytes(key, kSecret3);
  const char* p = key.data();
  return Mum(Load64(p) ^ kSecret1, Load64(p + n - 8) ^ (n * kHashMultiplier) ^ kSecret3);
}

// Exact byte equality, inlined for short strings (the usual key and value): the metric hot path
// compares every key and value of a measurement once.
[[gnu::always_inline]] inline bool BytesEqual(std::string_view x, std::string_view y) noexcept {
  const std::size_t n = x.size();
  if (n != y.size()) return false;
  const char* p = x.data();
  const char* q = y.data();
  if (n - 8 <= 24) [[likely]] {  // 8 to 32 bytes: two or four overlapping words
    std::uint64_t diff = (Load64(p) ^ Load64(q)) | (Load64(p + n - 8) ^ Load64(q + n - 8));
    if (n > 16) diff |= (Load64(p + 8) ^ Load64(q + 8)) | (Load64(p + n - 16) ^ Load64(q + n - 16));
    return diff == 0;
  }
  if (n > 32) return std::memcmp(p, q, n) == 0;
  if (n >= 4) return ((Load32(p) ^ Load32(q)) | (Load32(p + n - 4) ^ Load32(q + n - 4))) == 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

inline std::uint64_t DoubleBits(double v) noexcept {
  return v == 0 ? 0 : std::bit_cast<std::uint64_t>(v);
}

[[gnu::always_inline]] inline std::uint64_t HashValue(const AttributeValue& value) noexcept {
  using Type = AttributeValue::Type;
  const auto& storage = value.storage();
  auto seed = static_cast<std::uint64_t>(value.type()) + 1;
  switch (value.type()) {
    case Type::kBool:
      return Mix(seed * 31 + *std::get_if<bool>(&storage));
    case Type::kInt:
      return Mum(static_cast<std::uint64_t>(*std::get_if<std::int64_t>(&storage)) ^ kSecret1,
                 seed ^ kSecret3);
    case Type::kDouble:
      return Mum(DoubleBits(*std::get_if<double>(&storage)) ^ kSecret2, seed ^ kSecret3);
    case Type::kString:
      return HashBytes(*std::get_if<std::string_view>(&storage), seed);
    case Type::kBoolArray: {
      std::uint64_t h = seed;
      for (bool b : value.AsBoolArray()) h = Mix(h * 3 + b);
      return h;
    }
    case Type::kIntArray: {
      std::uint64_t h = seed;
      for (std::int64_t v : value.AsIntArray()) h = Mix(h ^ static_cast<std::uint64_t>(v));
      return h;
    }
    case Type::kDoubleArray: {
      std::uint64_t h = seed;
      for (double v : value.AsDoubleArray()) h = Mix(h ^ DoubleBits(v));
      return h;
    }
    case Type::kStringArray: {
      std::uint64_t h = seed;
      for (std::string_view v : value.AsStringArray()) h = HashBytes(v, Mix(h));
      return h;
    }
  }
  return seed;
}

[[gnu::always_inline]] inline std::uint64_t HashPair(const KeyValue& kv) noexcept {
  return Mum(HashKey(kv.key) ^ kSecret1, HashValue(kv.value) ^ kSecret2);
}

// Order-independent: the pair hashes are summed.
[[gnu::always_inline]] inline std::uint64_t HashAttributes(
    std::span<const KeyValue> attributes) noexcept {
  std::uint64_t sum = 0;
  for (const KeyValue& kv : attributes) sum += HashPair(kv);
  return Mix(sum + attributes.size() * kHashMultiplier);
}

[[gnu::always_inline]] inline bool ValueEquals(const AttributeValue& a,
                                               const AttributeValue& b) noexcept {
  using Type = AttributeValue::Type;
  if (a.type() != b.type()) return false;
  const auto& x = a.storage();
  const auto& y = b.storage();
  if (a.type() == Type::kString) [[likely]] {  // most metric attributes: model, provider...
    return BytesEqual(*std::get_if<std::string_view>(&x), *std::get_if<std::string_view>(&y));
  }
  switch (a.type()) {
    case Type::kBool:
      return *std::get_if<bool>(&x) == *std::get_if<bool>(&y);
    case Type::kInt:
      return *std::get_if<std::int64_t>(&x) == *std::get_if<std::int64_t>(&y);
    case Type::kDouble:
      return DoubleBits(*std::get_if<double>(&x)) == DoubleBits(*std::get_if<double>(&y));
    case Type::kString:
      return BytesEqual(*std::get_if<std::string_view>(&x), *std::get_if<std::string_view>(&y));
    case Type::kDoubleArray:
      return std::ranges::equal(a.AsDoubleArray(), b.AsDoubleArray(),
                                [](double p, double q) { return DoubleBits(p) == DoubleBits(q); });
    default:
      return a == b;
  }
}

// The rest of SameAttributes once the positional comparison failed at `from`: every remaining
// stored pair must appear in the input. Stored keys are unique and the sizes match, so the input
// then holds exactly the stored keys, each once. Out of line: it keeps the usual path small.
bool SameAttributesUnordered(std::span<const KeyValue> input, std::span<const KeyValue> stored,
                             std::size_t from) noexcept;

// Whether `input` (any order, possibly with repeated keys) is exactly the set `stored` (unique
// keys). Callers usually pass attributes in one order, so a positional comparison runs first.
[[gnu::always_inline]] inline bool SameAttributes(std::span<const KeyValue> input,
                                                  std::span<const KeyValue> stored) noexcept {
  const std::size_t n = stored.size();
  if (input.size() != n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!BytesEqual(input[i].key, stored[i].key) || !ValueEquals(input[i].value, stored[i].value))
        [[unlikely]] {
      return SameAttributesUnordered(input, stored, i);
    }
  }
  return true;
}

// An owning copy with unique keys (the last value of a repeated key wins), sorted by key.
AttributeSet CanonicalAttributes(std::span<const KeyValue> attributes);

// A string that identifies an attribute set regardless of order (for collection-side maps).
std::string AttributesKey(const AttributeSet& canonical);

}  // namespace llmtrace::metrics::internal
