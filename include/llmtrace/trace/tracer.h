// Tracer: starts spans for one instrumentation scope. Get one from a TracerProvider and keep it;
// StartSpan is the hot path (no locks, no allocation in steady state).
//
// Parenting: by default a new span is a child of the calling thread's current span (see
// context.h). Pass `.parent` to parent it explicitly (asynchronous work), or `.new_root` to start
// a new trace. Attributes given at start are visible to the sampler.
// Thread-safety: a Tracer may be used from any number of threads at once.
//
//   auto tracer = provider->GetTracer("my-rag-app", "1.2.0");
//   Span span = tracer->StartSpan("retrieval docs", {{"gen_ai.operation.name", "retrieval"}},
//                                 {.kind = SpanKind::kClient});
#pragma once

#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "llmtrace/common/attribute_value.h"
#include "llmtrace/common/clock.h"
#include "llmtrace/common/instrumentation_scope.h"
#include "llmtrace/trace/context.h"
#include "llmtrace/trace/span.h"

namespace llmtrace::trace {

struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  // The parent; null means the calling thread's current context.
  const Context* parent = nullptr;
  // Start a new trace even if there is a current or explicit parent.
  bool new_root = false;
  // Defaults to the provider's clock.
  std::optional<Timestamp> start_time;
  // Spans this one is causally linked to (batch jobs, fan-in); invalid contexts are skipped.
  std::span<const SpanContext> links;
};

class Tracer {
 public:
  Tracer(std::shared_ptr<const internal::TracerCore> core, const InstrumentationScope& scope)
      : core_(std::move(core)), scope_(scope) {}

  Span StartSpan(std::string_view name, std::initializer_list<KeyValue> attributes = {},
                 const StartSpanOptions& options = {}) const noexcept {
    return StartSpan(name, std::span<const KeyValue>(attributes.begin(), attributes.size()),
                     options);
  }
  Span StartSpan(std::string_view name, std::span<const KeyValue> attributes,
                 const StartSpanOptions& options = {}) const noexcept;

  const InstrumentationScope& scope() const noexcept { return scope_; }

 private:
  std::shared_ptr<const internal::TracerCore> core_;
  const InstrumentationScope& scope_;
};

}  // namespace llmtrace::trace
