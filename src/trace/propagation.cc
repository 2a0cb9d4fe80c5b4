#include "llmtrace/trace/propagation.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "llmtrace/common/strings.h"
#include "llmtrace/trace/baggage.h"
#include "llmtrace/trace/trace_state.h"

namespace llmtrace::trace {

namespace {

// traceparent layout: vv-<32 hex trace id>-<16 hex parent id>-ff
constexpr std::size_t kTraceParentSize = 55;
constexpr std::size_t kTraceIdOffset = 3;
constexpr std::size_t kSpanIdOffset = 36;
constexpr std::size_t kFlagsOffset = 53;
constexpr std::uint8_t kKnownFlags = TraceFlags::kSampled | TraceFlags::kRandom;

bool IsLowerHex(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

// ---- HeaderMapCarrier -------------------------------------------------------------------------

std::optional<std::string_view> HeaderMapCarrier::Get(std::string_view key) const noexcept {
  for (const auto& [name, value] : headers_) {
    if (EqualsIgnoreCase(name, key)) return std::string_view(value);
  }
  return std::nullopt;
}

void HeaderMapCarrier::Set(std::string_view key, std::string_view value) noexcept {
  auto first = std::find_if(headers_.begin(), headers_.end(), [&](const auto& header) {
    return EqualsIgnoreCase(header.first, key);
  });
  if (first == headers_.end()) {
    headers_.emplace_back(std::string(key), std::string(value));
    return;
  }
  first->second.assign(value);
  headers_.erase(
      std::remove_if(std::next(first), headers_.end(),
                     [&](const auto& header) { return EqualsIgnoreCase(header.first, key); }),
      headers_.end());
}

// ---- TraceContextPropagator -------------------------------------------------------------------

std::optional<SpanContext> TraceContextPropagator::ParseTraceParent(
    std::string_view traceparent, std::string_view tracestate) noexcept {
  std::string_view header = TrimOws(traceparent);
  if (header.size() < kTraceParentSize) return std::nullopt;
  std::string_view version = header.substr(0, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  // Version 00 has exactly these fields; a later version may append "-<more>" and we read only
  // the fields we know.
  if (version == "00" ? header.size() != kTraceParentSize
                      : header.size() > kTraceParentSize && header[kTraceParentSize] != '-') {
    return std::nullopt;
  }
  if (header[2] != '-' || header[kSpanIdOffset - 1] != '-' || header[kFlagsOffset - 1] != '-') {
    return std::nullopt;
  }
  std::string_view trace_hex = header.substr(kTraceIdOffset, 2 * TraceId::kSize);
  std::string_view span_hex = header.substr(kSpanIdOffset, 2 * SpanId::kSize);
  std::string_view flags_hex = header.substr(kFlagsOffset, 2);
  if (!IsLowerHex(trace_hex) || !IsLowerHex(span_hex) || !IsLowerHex(flags_hex)) {
    return std::nullopt;
  }
  std::optional<TraceId> trace_id = TraceId::FromHex(trace_hex);
  std::optional<SpanId> span_id = SpanId::FromHex(span_hex);
  std::array<std::uint8_t, 1> flags{};
  if (!trace_id || !span_id || !trace_id->IsValid() || !span_id->IsValid() ||
      !HexDecode(flags_hex, flags)) {
    return std::nullopt;
  }
  return SpanContext(*trace_id, *span_id, TraceFlags(flags[0] & kKnownFlags), /*remote=*/true,
                     TraceState::Parse(tracestate));
}

std::string TraceContextPropagator::FormatTraceParent(const SpanContext& span_context) {
  if (!span_context.IsValid()) return {};
  std::string header(kTraceParentSize, '-');
  header[0] = '0';
  header[1] = '0';
  HexEncode(span_context.trace_id().bytes(), header.data() + kTraceIdOffset);
  HexEncode(span_context.span_id().bytes(), header.data() + kSpanIdOffset);
  std::uint8_t flags = span_context.flags().bits();
  HexEncode(std::span<const std::uint8_t>(&flags, 1), header.data() + kFlagsOffset);
  return header;
}

void TraceContextPropagator::Inject(const Context& context,
                                    TextMapCarrier& carrier) const noexcept {
  const SpanContext& span_context = context.span_context();
  if (!span_context.IsValid()) return;
  carrier.Set(kTraceParent, FormatTraceParent(span_context));
  if (const auto& trace_state = span_context.trace_state(); trace_state && !trace_state->empty()) {
    std::string header = trace_state->ToHeader();
    if (!header.empty()) carrier.Set(kTraceState, header);
  }
}

Context TraceContextPropagator::Extract(const TextMapCarrier& carrier,
                                        const Context& base) const noexcept {
  std::optional<std::string_view> traceparent = carrier.Get(kTraceParent);
  if (!traceparent) return base;
  std::optional<SpanContext> span_context =
      ParseTraceParent(*traceparent, carrier.Get(kTraceState).value_or(std::string_view()));
  if (!span_context) return base;
  return base.WithSpanContext(std::move(*span_context));
}

std::vector<std::string> TraceContextPropagator::Fields() const {
  return {std::string(kTraceParent), std::string(kTraceState)};
}

// ---- BaggagePropagator ------------------------------------------------------------------------

void BaggagePropagator::Inject(const Context& context, TextMapCarrier& carrier) const noexcept {
  const std::shared_ptr<const Baggage>& baggage = context.baggage();
  if (!baggage || baggage->empty()) return;
  std::string header = baggage->ToHeader();
  if (!header.empty()) carrier.Set(kBaggage, header);
}

Context BaggagePropagator::Extract(const TextMapCarrier& carrier,
                                   const Context& base) const noexcept {
  std::optional<std::string_view> header = carrier.Get(kBaggage);
  if (!header) return base;
  std::shared_ptr<const Baggage> baggage = Baggage::Parse(*header);
  if (!baggage) return base;
  return base.WithBaggage(std::move(baggage));
}

std::vector<std::string> BaggagePropagator::Fields() const { return {std::string(kBaggage)}; }

// ---- CompositePropagator ----------------------------------------------------------------------

void CompositePropagator::Inject(const Context& context, TextMapCarrier& carrier) const noexcept {
  for (const auto& propagator : propagators_) propagator->Inject(context, carrier);
}

Context CompositePropagator::Extract(const TextMapCarrier& carrier,
                                     const Context& base) const noexcept {
  Context context = base;
  for (const auto& propagator : propagators_) context = propagator->Extract(carrier, context);
  return context;
}

std::vector<std::string> CompositePropagator::Fields() const {
  std::vector<std::string> fields;
  for (const auto& propagator : propagators_) {
    for (std::string& field : propagator->Fields()) {
      if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        fields.push_back(std::move(field));
      }
    }
  }
  return fields;
}

// ---- OTEL_PROPAGATORS -------------------------------------------------------------------------

Result<std::unique_ptr<TextMapPropagator>> PropagatorFromEnvironment(EnvironmentReader& env) {
  static constexpr std::string_view kVariable = "OTEL_PROPAGATORS";
  static constexpr std::string_view kUnsupported[] = {"b3", "b3multi", "jaeger", "xray", "ottrace"};
  std::string value = env.GetString(kVariable).value_or("tracecontext,baggage");

  std::vector<std::string> names;  // known names, lower-case, first occurrence only
  bool none = false;
  for (std::string_view piece : Split(value, ',')) {
    std::string name = ToLowerAscii(TrimWhitespace(piece));
    if (name.empty()) continue;
    if (name == "none") {
      none = true;
    } else if (name == "tracecontext" || name == "baggage") {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    } else if (std::find(std::begin(kUnsupported), std::end(kUnsupported), name) !=
               std::end(kUnsupported)) {
      env.AddWarning(std::string(kVariable) + ": propagator '" +
                     std::string(TrimWhitespace(piece)) +
                     "' is not supported by llmtrace; ignored");
    } else {
      env.AddWarning(std::string(kVariable) + ": unknown propagator '" +
                     std::string(TrimWhitespace(piece)) + "'; ignored");
    }
  }

  std::vector<std::unique_ptr<TextMapPropagator>> propagators;
  if (none) {
    if (!names.empty()) {
      env.AddWarning(std::string(kVariable) + ": 'none' listed with other propagators in '" +
                     value + "'; propagation is off");
    }
    return std::unique_ptr<TextMapPropagator>(
        std::make_unique<CompositePropagator>(std::move(propagators)));
  }
  for (const std::string& name : names) {
    if (name == "tracecontext") {
      propagators.push_back(std::make_unique<TraceContextPropagator>());
    } else {
      propagators.push_back(std::make_unique<BaggagePropagator>());
    }
  }
  return std::unique_ptr<TextMapPropagator>(
      std::make_unique<CompositePropagator>(std::move(propagators)));
}

}  // namespace llmtrace::trace
