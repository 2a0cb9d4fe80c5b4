#include "llmtrace/trace/tracer.h"

#include "llmtrace/common/internal_log.h"
#include "src/trace/tracer_core.h"

namespace llmtrace::trace {

namespace {
RateLimitedLog out_of_memory_log;
}  // namespace

Span Tracer::StartSpan(std::string_view name, std::span<const KeyValue> attributes,
                       const StartSpanOptions& options) const noexcept {
  const Context& parent_context =
      options.parent != nullptr ? *options.parent : internal::CurrentContextRef();
  static const SpanContext kNoParent;
  const SpanContext& parent = options.new_root ? kNoParent : parent_context.span_context();
  const internal::TracerCore& core = *core_;

  if (core.disabled || core.shut_down.load(std::memory_order_relaxed)) {
    // Non-recording, but the trace still flows through this process.
    return Span(nullptr, parent, nullptr);
  }

  const bool has_parent = parent.IsValid();
  const TraceId trace_id = has_parent ? parent.trace_id() : core.id_generator->NewTraceId();
  const SpanId span_id = core.id_generator->NewSpanId();

  SamplingResult sampling = core.sampler->ShouldSample(
      SamplingParameters{parent, trace_id, name, options.kind, attributes});

  std::uint8_t flags = has_parent ? (parent.flags().bits() & TraceFlags::kRandom)
                                  : TraceFlags::kRandom;  // our trace ids are random (W3C L2)
  if (sampling.decision == SamplingDecision::kRecordAndSample) flags |= TraceFlags::kSampled;
  SpanContext context(
      trace_id, span_id, TraceFlags(flags), /*remote=*/false,
      sampling.trace_state ? std::move(sampling.trace_state) : parent.trace_state());

  if (sampling.decision == SamplingDecision::kDrop)
    return Span(nullptr, std::move(context), nullptr);

  SpanDataPtr data = AcquireSpanData();
  if (!data) {
    out_of_memory_log.Error([] { return "out of memory starting a span; span not recorded"; });
    return Span(nullptr, std::move(context), nullptr);
  }
  data->Begin(context, parent.span_id(), has_parent && parent.remote(), name, options.kind,
              options.start_time ? *options.start_time : core.clock->Now(), core.limits,
              core.resource, scope_);
  for (const KeyValue& kv : attributes) data->SetAttribute(kv.key, kv.value);
  for (const KeyValue& kv : sampling.attributes) data->SetAttribute(kv.key, kv.value);
  for (const SpanContext& link : options.links) {
    if (link.IsValid()) data->AddLink(link, {});
  }
  core.processor->OnStart(*data, parent_context);
  return Span(std::move(data), std::move(context), core_);
}

}  // namespace llmtrace::trace
