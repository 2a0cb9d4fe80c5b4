#include "llmtrace/common/ids.h"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>

#include "llmtrace/common/strings.h"

namespace llmtrace {

template <std::size_t N>
std::string IdBytes<N>::ToHex() const {
  return HexEncode(bytes_);
}

template <std::size_t N>
std::optional<IdBytes<N>> IdBytes<N>::FromHex(std::string_view hex) noexcept {
  IdBytes id;
  if (!HexDecode(hex, id.bytes_)) return std::nullopt;
  return id;
}

template class IdBytes<16>;
template class IdBytes<8>;

namespace {

// Bumped in every child after fork(); each thread's generator re-seeds when it sees a change.
std::atomic<std::uint64_t> fork_generation{0};

void OnForkChild() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

std::uint64_t SplitMix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// xoshiro256++ (Blackman and Vigna): fast, 256-bit state, passes BigCrush.
class Xoshiro256 {
 public:
  std::uint64_t Next() noexcept {
    std::uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != seeded_generation_ || !seeded_) Seed(generation);
    const std::uint64_t result = Rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  void Seed(std::uint64_t generation) noexcept {
    static std::once_flag atfork_once;
    std::call_once(atfork_once, [] { pthread_atfork(nullptr, nullptr, &OnForkChild); });
    std::uint64_t seed = 0;
    try {
      std::random_device device;
      seed = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (...) {
      // No entropy device: fall back to time and addresses, still distinct per thread.
    }
    seed ^= static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    seed ^= reinterpret_cast<std::uintptr_t>(this);
    for (std::uint64_t& word : s_) word = SplitMix64(seed);
    seeded_ = true;
    seeded_generation_ = generation;
  }

  std::uint64_t s_[4] = {};
  bool seeded_ = false;
  std::uint64_t seeded_generation_ = 0;
};

Xoshiro256& ThreadGenerator() noexcept {
  thread_local Xoshiro256 generator;
  return generator;
}

}  // namespace

std::uint64_t RandomUint64() noexcept { return ThreadGenerator().Next(); }

TraceId RandomIdGenerator::NewTraceId() noexcept {
  TraceId id;
  Xoshiro256& rng = ThreadGenerator();
  do {
    std::uint64_t hi = rng.Next();
    std::uint64_t lo = rng.Next();
    std::memcpy(id.mutable_bytes().data(), &hi, 8);
    std::memcpy(id.mutable_bytes().data() + 8, &lo, 8);
  } while (!id.IsValid());
  return id;
}

SpanId RandomIdGenerator::NewSpanId() noexcept {
  SpanId id;
  Xoshiro256& rng = ThreadGenerator();
  do {
    std::uint64_t v = rng.Next();
    std::memcpy(id.mutable_bytes().data(), &v, 8);
  } while (!id.IsValid());
  return id;
}

RandomIdGenerator& RandomIdGenerator::Instance() noexcept {
  static RandomIdGenerator generator;
  return generator;
}

}  // namespace llmtrace
