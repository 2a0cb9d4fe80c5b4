// OstreamSpanExporter: writes spans in a readable form to a stream (stdout by default), for
// development and for the demo when no collector is configured. One block per span:
//
//   span "chat gpt-4o" client 182.4 ms  status=error "rate limited"
//     trace_id=4bf92f35... span_id=00f067aa... parent=53995c3f...
//     gen_ai.operation.name="chat"  gen_ai.usage.input_tokens=120
//     event exception +3.1 ms  exception.type="RateLimitError"
//
// Thread-safety: Export is serialized by the processor; the stream must not be written by others
// at the same time.
#pragma once

#include <iosfwd>

#include "llmtrace/trace/span_exporter.h"

namespace llmtrace::trace {

class OstreamSpanExporter final : public SpanExporter {
 public:
  explicit OstreamSpanExporter(std::ostream& out);
  ExportResult Export(std::span<const SpanDataPtr> batch, MonotonicTime deadline) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  std::ostream& out_;
  std::atomic<bool> shut_down_{false};
};

// The block above for one span (also used by tests and `llmtrace` CLI views).
std::string FormatSpan(const SpanData& span);

}  // namespace llmtrace::trace
