#include "llmtrace/logs/in_memory_log_record_exporter.h"

namespace llmtrace::logs {

std::vector<std::shared_ptr<const LogRecordData>> InMemoryLogRecordData::Records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

std::size_t InMemoryLogRecordData::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

void InMemoryLogRecordData::Clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
}

void InMemoryLogRecordData::Add(std::shared_ptr<const LogRecordData> record) {
  std::lock_guard lock(mutex_);
  records_.push_back(std::move(record));
}

ExportResult InMemoryLogRecordExporter::Export(std::span<const LogRecordDataPtr> batch,
                                               MonotonicTime /*deadline*/) noexcept {
  if (shut_down_.load()) return ExportResult::kFailure;
  try {
    for (const LogRecordDataPtr& record : batch) {
      if (!record) continue;
      std::unique_ptr<LogRecordData> copy = record->Clone();
      if (!copy) return ExportResult::kFailure;
      data_->Add(std::shared_ptr<const LogRecordData>(std::move(copy)));
    }
  } catch (...) {
    return ExportResult::kFailure;
  }
  return ExportResult::kSuccess;
}

Status InMemoryLogRecordExporter::Shutdown(std::chrono::milliseconds /*timeout*/) noexcept {
  shut_down_.store(true);
  return Status::Ok();
}

}  // namespace llmtrace::logs
