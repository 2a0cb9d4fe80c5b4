// InMemoryLogRecordExporter: keeps deep copies of exported log records, for tests and examples.
//
// The copies own their strings, but resource() and scope() still point into the LoggerProvider:
// read them while the provider is alive. The InMemoryLogRecordData stays valid after the
// exporter is handed to a processor, so tests keep a shared_ptr to it.
// Thread-safety: all methods may be called from any thread.
//
//   auto data = std::make_shared<InMemoryLogRecordData>();
//   options.processors.push_back(std::make_unique<SimpleLogRecordProcessor>(
//       std::make_unique<InMemoryLogRecordExporter>(data)));
//   ... data->Records() ...
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "llmtrace/logs/log_record_exporter.h"

namespace llmtrace::logs {

class InMemoryLogRecordData {
 public:
  std::vector<std::shared_ptr<const LogRecordData>> Records() const;
  std::size_t size() const;
  void Clear();
  void Add(std::shared_ptr<const LogRecordData> record);

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const LogRecordData>> records_;
};

class InMemoryLogRecordExporter final : public LogRecordExporter {
 public:
  explicit InMemoryLogRecordExporter(std::shared_ptr<InMemoryLogRecordData> data)
      : data_(std::move(data)) {}
  ExportResult Export(std::span<const LogRecordDataPtr> batch,
                      MonotonicTime deadline) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  std::shared_ptr<InMemoryLogRecordData> data_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace llmtrace::logs
