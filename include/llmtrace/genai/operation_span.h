// OperationSpan: what every GenAI span helper shares (inference, embeddings, retrieval, rerank,
// tool, agent, workflow): the underlying trace span, the start time for the duration metrics,
// and the error recording rules of the conventions (error.type, ERROR status, an exception
// event). Helpers derive from it; applications use the derived types.
//
// RAII with an explicit end: End() records everything once; the destructor calls End() for a
// helper that was not ended (an early return, an exception), so no call is ever lost. Nothing
// here throws, so the helpers work the same with and without exceptions.
// Thread-safety: one thread at a time; move the object to hand it to another thread.
//
//   ToolSpan tool = genai->StartTool({.name = "search_database"});
//   if (!ok) tool.SetError("timeout", "database did not answer in 2 s");
//   tool.End();
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "llmtrace/common/clock.h"
#include "llmtrace/genai/error_type.h"
#include "llmtrace/trace/context.h"
#include "llmtrace/trace/span.h"

namespace llmtrace::genai {

namespace internal {
struct InstrumentationState;
}

class OperationSpan {
 public:
  OperationSpan() noexcept = default;
  OperationSpan(OperationSpan&&) noexcept = default;
  OperationSpan& operator=(OperationSpan&&) noexcept = default;

  // The trace span, for anything the helper does not cover (extra attributes, events).
  trace::Span& span() noexcept { return span_; }
  const trace::SpanContext& span_context() const noexcept { return span_.context(); }
  // A context whose span is this one, to parent work on other threads.
  trace::Context context() const;
  // Makes this span current on the calling thread: spans started below nest under it.
  trace::ContextScope Activate() const noexcept { return span_.Activate(); }

  // Marks the operation failed: error.type (low cardinality: a taxonomy value such as
  // "rate_limit", "timeout", or an exception type name), ERROR status with `message`, and an
  // exception event. The last call wins.
  void SetError(std::string_view error_type, std::string_view message) noexcept;
  // The same for a classified error (error_classifier.h): error.type is ToString(error.type),
  // plus http.response.status_code when the error came with an HTTP status.
  void SetError(const LlmError& error) noexcept;
  bool failed() const noexcept { return !error_type_.empty(); }
  const std::string& error_type() const noexcept { return error_type_; }

  bool ended() const noexcept { return ended_; }

 protected:
  OperationSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                MonotonicTime start) noexcept
      : state_(std::move(state)), span_(std::move(span)), start_(start) {}
  ~OperationSpan() = default;

  // Seconds since the start, by the instrumentation's clock.
  double ElapsedSeconds() const noexcept;
  // Marks the operation ended; returns false if it already was (derived End() then does
  // nothing). The one place every helper's End() passes exactly once, so a failed operation
  // counts one llmtrace.genai.errors point here, labelled with what the helper passes (empty
  // labels are left out).
  bool MarkEnded(std::string_view operation = {}, std::string_view provider = {},
                 std::string_view model = {}) noexcept;

  std::shared_ptr<const internal::InstrumentationState> state_;
  trace::Span span_;
  MonotonicTime start_{};
  std::string error_type_;
  bool ended_ = false;
};

}  // namespace llmtrace::genai
