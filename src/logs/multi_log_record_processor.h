// Fans every log record out to several processors: all but the last receive a copy. With no
// processors at all, records are discarded.
#pragma once

#include <memory>
#include <vector>

#include "llmtrace/logs/log_record_processor.h"

namespace llmtrace::logs::internal {

class MultiLogRecordProcessor final : public LogRecordProcessor {
 public:
  explicit MultiLogRecordProcessor(std::vector<std::unique_ptr<LogRecordProcessor>> processors)
      : processors_(std::move(processors)) {}

  void OnEmit(LogRecordDataPtr record) noexcept override;
  Status ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  Status Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  std::vector<std::unique_ptr<LogRecordProcessor>> processors_;
};

}  // namespace llmtrace::logs::internal
