#include "src/trace/multi_span_processor.h"

namespace llmtrace::trace::internal {

void MultiSpanProcessor::OnEnd(SpanDataPtr span) noexcept {
  if (processors_.empty()) return;
  for (std::size_t i = 0; i + 1 < processors_.size(); ++i) {
    std::unique_ptr<SpanData> copy = span->Clone();
    // A failed copy (out of memory) means this processor misses the span; the last one still
    // gets the original.
    if (copy) processors_[i]->OnEnd(SpanDataPtr(copy.release()));
  }
  processors_.back()->OnEnd(std::move(span));
}

namespace {

// Each processor gets what is left of the shared deadline; the first failure is reported.
template <typename Call>
Status ForEachWithinDeadline(std::vector<std::unique_ptr<SpanProcessor>>& processors,
                             std::chrono::milliseconds timeout, Call call) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  Status first_error;
  for (auto& p : processors) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    Status s = call(*p, std::max(left, std::chrono::milliseconds(0)));
    if (!s.ok() && first_error.ok()) first_error = s;
  }
  return first_error;
}

}  // namespace

Status MultiSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return ForEachWithinDeadline(processors_, timeout,
                               [](SpanProcessor& p, auto t) { return p.ForceFlush(t); });
}

Status MultiSpanProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  return ForEachWithinDeadline(processors_, timeout,
                               [](SpanProcessor& p, auto t) { return p.Shutdown(t); });
}

}  // namespace llmtrace::trace::internal
