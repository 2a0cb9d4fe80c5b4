// Propagation: moving a Context across process boundaries in text headers (W3C Trace Context
// `traceparent`/`tracestate` and W3C `baggage`), with the OpenTelemetry propagator shapes.
//
// The gateway, the instrumented HTTP client and applications call Extract on an incoming
// request's headers (to continue the caller's trace) and Inject on an outgoing request's headers
// (so the callee continues ours). A carrier adapts whatever holds the headers; keys are
// lower-case header names. Incoming headers are untrusted: a bad traceparent is ignored (Extract
// returns `base`), a bad tracestate is dropped while a good traceparent is kept, and no input
// can crash or throw. PropagatorFromEnvironment builds the propagator OTEL_PROPAGATORS asks for.
// Thread-safety: propagators are immutable and may be shared across threads; a carrier is used
// by one thread at a time.
//
//   TraceContextPropagator propagator;
//   Context parent = propagator.Extract(HeaderMapCarrier(incoming_headers), Context());
//   HeaderMapCarrier out;  propagator.Inject(Context::Current(), out);  // out.headers()
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/trace/context.h"

namespace llmtrace::trace {

// Read/write access to the headers of one request.
class TextMapCarrier {
 public:
  virtual ~TextMapCarrier() = default;
  // The value of header `key` (lower-case), or nullopt when absent. The view stays valid until
  // the carrier is next modified.
  virtual std::optional<std::string_view> Get(std::string_view key) const noexcept = 0;
  // Sets header `key` (lower-case), replacing any value it had.
  virtual void Set(std::string_view key, std::string_view value) noexcept = 0;
};

// A carrier that owns a list of (name, value) headers. Names compare case-insensitively; when a
// name appears more than once, Get returns the first value and Set replaces all of them.
class HeaderMapCarrier final : public TextMapCarrier {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  HeaderMapCarrier() = default;
  explicit HeaderMapCarrier(Headers headers) : headers_(std::move(headers)) {}
  // HeaderMapCarrier({{"traceparent", "00-..."}}): without it a single pair is ambiguous.
  HeaderMapCarrier(std::initializer_list<Headers::value_type> headers) : headers_(headers) {}

  std::optional<std::string_view> Get(std::string_view key) const noexcept override;
  void Set(std::string_view key, std::string_view value) noexcept override;

  const Headers& headers() const noexcept { return headers_; }
  Headers TakeHeaders() noexcept { return std::move(headers_); }

 private:
  Headers headers_;
};

class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;
  // Writes the parts of `context` this propagator carries; writes nothing when there is nothing
  // valid to carry.
  virtual void Inject(const Context& context, TextMapCarrier& carrier) const noexcept = 0;
  // `base` with what the carrier holds layered on top; `base` unchanged when the carrier holds
  // nothing valid for this propagator.
  virtual Context Extract(const TextMapCarrier& carrier, const Context& base) const noexcept = 0;
  // The header names this propagator reads and writes.
  virtual std::vector<std::string> Fields() const = 0;
};

// W3C Trace Context: `traceparent` (version-traceid-parentid-flags) and `tracestate`.
// Extract accepts version 00 (exactly 55 chars) and, for forward compatibility, higher versions
// (at least 55 chars, '-' after the flags when longer; only the known fields are read). Version
// ff, upper-case hex, all-zero ids or any other defect make it ignore both headers. Flags other
// than sampled (0x01) and random (0x02) are cleared, as W3C asks. Extracted contexts are
// remote. Inject writes version 00 and only for a valid span context.
class TraceContextPropagator final : public TextMapPropagator {
 public:
  static constexpr std::string_view kTraceParent = "traceparent";
  static constexpr std::string_view kTraceState = "tracestate";

  void Inject(const Context& context, TextMapCarrier& carrier) const noexcept override;
  Context Extract(const TextMapCarrier& carrier, const Context& base) const noexcept override;
  std::vector<std::string> Fields() const override;

  // The span context a traceparent (+ optional tracestate) header describes; nullopt when the
  // traceparent is invalid. Exposed for callers that hold raw header values.
  static std::optional<SpanContext> ParseTraceParent(std::string_view traceparent,
                                                     std::string_view tracestate = {}) noexcept;
  // "00-<trace id>-<span id>-<flags>"; "" for an invalid span context.
  static std::string FormatTraceParent(const SpanContext& span_context);
};

// W3C Baggage: the `baggage` header. Extract replaces the baggage of `base` when the header
// holds at least one valid member; Inject writes nothing for empty baggage.
class BaggagePropagator final : public TextMapPropagator {
 public:
  static constexpr std::string_view kBaggage = "baggage";

  void Inject(const Context& context, TextMapCarrier& carrier) const noexcept override;
  Context Extract(const TextMapCarrier& carrier, const Context& base) const noexcept override;
  std::vector<std::string> Fields() const override;
};

// Runs a list of propagators in order: each Extract builds on the previous one's result. An
// empty list propagates nothing (OTEL_PROPAGATORS=none).
class CompositePropagator final : public TextMapPropagator {
 public:
  explicit CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> propagators)
      : propagators_(std::move(propagators)) {}

  void Inject(const Context& context, TextMapCarrier& carrier) const noexcept override;
  Context Extract(const TextMapCarrier& carrier, const Context& base) const noexcept override;
  // Every propagator's fields, in order, without duplicates.
  std::vector<std::string> Fields() const override;

  std::size_t size() const noexcept { return propagators_.size(); }

 private:
  std::vector<std::unique_ptr<TextMapPropagator>> propagators_;
};

// The propagator OTEL_PROPAGATORS names: a comma-separated, case-insensitive list, default
// "tracecontext,baggage", always returned as a CompositePropagator in list order. "none" turns
// propagation off (and wins over any other name listed with it, with a warning). b3, b3multi,
// jaeger, xray and ottrace are valid OpenTelemetry names that llmtrace does not implement; they
// and unknown names are reported through env.AddWarning and skipped. Never fails today; the
// Result leaves room for a stricter mode.
Result<std::unique_ptr<TextMapPropagator>> PropagatorFromEnvironment(EnvironmentReader& env);

}  // namespace llmtrace::trace
