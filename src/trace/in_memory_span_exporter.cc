#include "llmtrace/trace/in_memory_span_exporter.h"

namespace llmtrace::trace {

std::vector<std::shared_ptr<const SpanData>> InMemorySpanData::Spans() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

std::shared_ptr<const SpanData> InMemorySpanData::Find(std::string_view name) const {
  std::lock_guard lock(mutex_);
  for (const auto& span : spans_) {
    if (span->name() == name) return span;
  }
  return nullptr;
}

std::size_t InMemorySpanData::size() const {
  std::lock_guard lock(mutex_);
  return spans_.size();
}

void InMemorySpanData::Clear() {
  std::lock_guard lock(mutex_);
  spans_.clear();
}

void InMemorySpanData::Add(std::shared_ptr<const SpanData> span) {
  std::lock_guard lock(mutex_);
  spans_.push_back(std::move(span));
}

ExportResult InMemorySpanExporter::Export(std::span<const SpanDataPtr> batch,
                                          MonotonicTime /*deadline*/) noexcept {
  if (shut_down_.load()) return ExportResult::kFailure;
  try {
    for (const SpanDataPtr& span : batch) {
      std::unique_ptr<SpanData> copy = span->Clone();
      if (!copy) return ExportResult::kFailure;
      data_->Add(std::shared_ptr<const SpanData>(std::move(copy)));
    }
  } catch (...) {
    return ExportResult::kFailure;
  }
  return ExportResult::kSuccess;
}

Status InMemorySpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  shut_down_.store(true);
  return Status::Ok();
}

}  // namespace llmtrace::trace
