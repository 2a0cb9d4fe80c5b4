// SimpleSpanProcessor: exports each span synchronously, on the thread that ends it.
//
// For tests, debugging and exporters that are themselves asynchronous; never for a network
// exporter on a request path. Only sampled spans are exported.
// Thread-safety: OnEnd from any thread; exports are serialized.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "llmtrace/trace/span_exporter.h"
#include "llmtrace/trace/span_processor.h"

namespace llmtrace::trace {

class SimpleSpanProcessor final : public SpanProcessor {
 public:
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                               std::chrono::milliseconds export_timeout = std::chrono::seconds(30))
      : exporter_(std::move(exporter)), export_timeout_(export_timeout) {}

  void OnEnd(SpanDataPtr span) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  std::uint64_t spans_exported() const noexcept { return exported_.load(); }
  std::uint64_t spans_failed() const noexcept { return failed_.load(); }

 private:
  std::unique_ptr<SpanExporter> exporter_;
  std::chrono::milliseconds export_timeout_;
  std::mutex export_mutex_;
  std::atomic<bool> shut_down_{false};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace llmtrace::trace
