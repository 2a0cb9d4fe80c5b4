// TraceId and SpanId (W3C Trace Context ids) and the generator that makes them.
//
// Ids are plain byte arrays; an all-zero id is invalid and is never generated. The default
// generator is a per-thread xoshiro256++ seeded from the OS, re-seeded after fork() so a parent
// and child never hand out the same ids. The low 56 bits of a trace id are uniformly random, as
// W3C Trace Context level 2 "random" trace ids and the OTel ratio sampler expect.
// Thread-safety: ids are values; RandomIdGenerator may be used from any thread.
//
//   TraceId t = RandomIdGenerator::Instance().NewTraceId();
//   std::string hex = t.ToHex();  // 32 lower-case hex chars
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace llmtrace {

template <std::size_t N>
class IdBytes {
 public:
  static constexpr std::size_t kSize = N;

  constexpr IdBytes() noexcept = default;
  explicit constexpr IdBytes(const std::array<std::uint8_t, N>& bytes) noexcept : bytes_(bytes) {}

  bool IsValid() const noexcept {
    for (std::uint8_t b : bytes_) {
      if (b != 0) return true;
    }
    return false;
  }
  std::span<const std::uint8_t, N> bytes() const noexcept { return bytes_; }
  std::span<std::uint8_t, N> mutable_bytes() noexcept { return bytes_; }
  std::string ToHex() const;
  // Exactly 2*N hex digits (either case); nullopt otherwise. Zero ids parse (callers validate).
  static std::optional<IdBytes> FromHex(std::string_view hex) noexcept;

  friend constexpr bool operator==(const IdBytes&, const IdBytes&) noexcept = default;
  friend constexpr auto operator<=>(const IdBytes&, const IdBytes&) noexcept = default;

 private:
  std::array<std::uint8_t, N> bytes_{};
};

using TraceId = IdBytes<16>;
using SpanId = IdBytes<8>;

extern template class IdBytes<16>;
extern template class IdBytes<8>;

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual TraceId NewTraceId() noexcept = 0;
  virtual SpanId NewSpanId() noexcept = 0;
};

class RandomIdGenerator final : public IdGenerator {
 public:
  TraceId NewTraceId() noexcept override;
  SpanId NewSpanId() noexcept override;
  static RandomIdGenerator& Instance() noexcept;
};

// One 64-bit draw from the calling thread's generator (also used by samplers and jitter).
std::uint64_t RandomUint64() noexcept;

}  // namespace llmtrace
