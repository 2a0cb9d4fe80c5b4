// Fans every span out to several processors: all but the last receive a copy.
#pragma once

#include <memory>
#include <vector>

#include "llmtrace/trace/span_processor.h"

namespace llmtrace::trace::internal {

class MultiSpanProcessor final : public SpanProcessor {
 public:
  explicit MultiSpanProcessor(std::vector<std::unique_ptr<SpanProcessor>> processors)
      : processors_(std::move(processors)) {}

  void OnStart(SpanData& span, const Context& parent) noexcept override {
    for (auto& p : processors_) p->OnStart(span, parent);
  }
  void OnEnd(SpanDataPtr span) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  std::vector<std::unique_ptr<SpanProcessor>> processors_;
};

}  // namespace llmtrace::trace::internal
