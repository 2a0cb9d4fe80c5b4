#include "llmtrace/logs/simple_log_record_processor.h"

namespace llmtrace::logs {

void SimpleLogRecordProcessor::OnEmit(LogRecordDataPtr record) noexcept {
  if (shut_down_.load(std::memory_order_relaxed)) {
    failed_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  std::lock_guard lock(export_mutex_);
  auto deadline = std::chrono::steady_clock::now() + export_timeout_;
  ExportResult result = exporter_->Export(std::span<const LogRecordDataPtr>(&record, 1), deadline);
  (result == ExportResult::kSuccess ? exported_ : failed_).fetch_add(1, std::memory_order_relaxed);
}

Status SimpleLogRecordProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  std::lock_guard lock(export_mutex_);
  return exporter_->ForceFlush(timeout);
}

Status SimpleLogRecordProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (shut_down_.exchange(true)) return Status::Ok();
  std::lock_guard lock(export_mutex_);
  return exporter_->Shutdown(timeout);
}

}  // namespace llmtrace::logs
