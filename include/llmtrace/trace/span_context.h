// SpanContext: the part of a span that crosses process boundaries (W3C Trace Context):
// trace id, span id, trace flags, trace state, and whether it came from a remote parent.
//
// A SpanContext with an all-zero trace or span id is invalid: it marks "no parent".
// Thread-safety: an immutable value; TraceState is shared, immutable and reference-counted.
//
//   if (span.context().sampled()) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include "llmtrace/common/ids.h"

namespace llmtrace::trace {

class TraceState;  // trace_state.h

// W3C trace-flags. Bit 0 is "sampled"; bit 1 is W3C level 2 "random trace id".
class TraceFlags {
 public:
  static constexpr std::uint8_t kSampled = 0x01;
  static constexpr std::uint8_t kRandom = 0x02;

  constexpr TraceFlags() noexcept = default;
  explicit constexpr TraceFlags(std::uint8_t bits) noexcept : bits_(bits) {}
  constexpr bool sampled() const noexcept { return (bits_ & kSampled) != 0; }
  constexpr std::uint8_t bits() const noexcept { return bits_; }
  friend constexpr bool operator==(TraceFlags, TraceFlags) noexcept = default;

 private:
  std::uint8_t bits_ = 0;
};

class SpanContext {
 public:
  SpanContext() noexcept = default;
  SpanContext(TraceId trace_id, SpanId span_id, TraceFlags flags, bool remote,
              std::shared_ptr<const TraceState> trace_state = nullptr) noexcept
      : trace_id_(trace_id),
        span_id_(span_id),
        flags_(flags),
        remote_(remote),
        trace_state_(std::move(trace_state)) {}

  static SpanContext Invalid() noexcept { return SpanContext(); }

  // Checked a word at a time: every StartSpan asks this (twice with the sampler), and a root
  // span's all-zero parent is the worst case for a byte-by-byte scan.
  bool IsValid() const noexcept {
    return AnyByteSet(trace_id_.bytes()) && AnyByteSet(span_id_.bytes());
  }
  const TraceId& trace_id() const noexcept { return trace_id_; }
  const SpanId& span_id() const noexcept { return span_id_; }
  TraceFlags flags() const noexcept { return flags_; }
  bool sampled() const noexcept { return flags_.sampled(); }
  bool remote() const noexcept { return remote_; }
  // Null when the trace state is empty.
  const std::shared_ptr<const TraceState>& trace_state() const noexcept { return trace_state_; }

 private:
  template <std::size_t N>
  static bool AnyByteSet(std::span<const std::uint8_t, N> bytes) noexcept {
    static_assert(N % 8 == 0);
    std::uint64_t any = 0;
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes.data() + i, 8);
      any |= word;
    }
    return any != 0;
  }

  TraceId trace_id_;
  SpanId span_id_;
  TraceFlags flags_;
  bool remote_ = false;
  std::shared_ptr<const TraceState> trace_state_;
};

}  // namespace llmtrace::trace
