// InMemorySpanExporter: keeps deep copies of exported spans, for tests and examples.
//
// The copies own their strings, but resource() and scope() still point into the TracerProvider:
// read them while the provider is alive. Data() stays valid after the exporter is handed to a
// processor, so tests keep a shared_ptr to it.
// Thread-safety: all methods may be called from any thread.
//
//   auto data = std::make_shared<InMemorySpanData>();
//   processors.push_back(std::make_unique<SimpleSpanProcessor>(
//       std::make_unique<InMemorySpanExporter>(data)));
//   ... data->Spans() ...
#pragma once

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "llmtrace/trace/span_exporter.h"

namespace llmtrace::trace {

class InMemorySpanData {
 public:
  std::vector<std::shared_ptr<const SpanData>> Spans() const;
  // The first span with this name, or null.
  std::shared_ptr<const SpanData> Find(std::string_view name) const;
  std::size_t size() const;
  void Clear();
  void Add(std::shared_ptr<const SpanData> span);

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const SpanData>> spans_;
};

class InMemorySpanExporter final : public SpanExporter {
 public:
  explicit InMemorySpanExporter(std::shared_ptr<InMemorySpanData> data) : data_(std::move(data)) {}
  ExportResult Export(std::span<const SpanDataPtr> batch, MonotonicTime deadline) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  std::shared_ptr<InMemorySpanData> data_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace llmtrace::trace
