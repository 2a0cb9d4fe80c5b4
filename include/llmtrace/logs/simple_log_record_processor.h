// SimpleLogRecordProcessor: exports each record synchronously, on the thread that emits it.
//
// For tests, debugging and exporters that are cheap (an in-memory or local JSON-lines sink);
// never for a network exporter on a request path (use BatchLogRecordProcessor).
// Thread-safety: OnEmit from any thread; exports are serialized.
//
//   options.processors.push_back(std::make_unique<SimpleLogRecordProcessor>(
//       std::make_unique<JsonLinesLogExporter>(std::cout)));
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "llmtrace/logs/log_record_exporter.h"
#include "llmtrace/logs/log_record_processor.h"

namespace llmtrace::logs {

class SimpleLogRecordProcessor final : public LogRecordProcessor {
 public:
  explicit SimpleLogRecordProcessor(
      std::unique_ptr<LogRecordExporter> exporter,
      std::chrono::milliseconds export_timeout = std::chrono::seconds(30))
      : exporter_(std::move(exporter)), export_timeout_(export_timeout) {}

  void OnEmit(LogRecordDataPtr record) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

  std::uint64_t records_exported() const noexcept { return exported_.load(); }
  // Export failures plus records that arrived after Shutdown.
  std::uint64_t records_failed() const noexcept { return failed_.load(); }

 private:
  std::unique_ptr<LogRecordExporter> exporter_;
  std::chrono::milliseconds export_timeout_;
  std::mutex export_mutex_;
  std::atomic<bool> shut_down_{false};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace llmtrace::logs
