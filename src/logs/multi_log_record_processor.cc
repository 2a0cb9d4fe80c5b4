#include "src/logs/multi_log_record_processor.h"

#include <algorithm>

namespace llmtrace::logs::internal {

void MultiLogRecordProcessor::OnEmit(LogRecordDataPtr record) noexcept {
  if (processors_.empty()) return;
  for (std::size_t i = 0; i + 1 < processors_.size(); ++i) {
    std::unique_ptr<LogRecordData> copy = record->Clone();
    // A failed copy (out of memory) means this processor misses the record; the last one
    // still gets the original.
    if (copy) processors_[i]->OnEmit(LogRecordDataPtr(copy.release()));
  }
  processors_.back()->OnEmit(std::move(record));
}

namespace {

// Each processor gets what is left of the shared deadline; the first failure is reported.
template <typename Call>
Status ForEachWithinDeadline(std::vector<std::unique_ptr<LogRecordProcessor>>& processors,
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

Status MultiLogRecordProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return ForEachWithinDeadline(processors_, timeout,
                               [](LogRecordProcessor& p, auto t) { return p.ForceFlush(t); });
}

Status MultiLogRecordProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  return ForEachWithinDeadline(processors_, timeout,
                               [](LogRecordProcessor& p, auto t) { return p.Shutdown(t); });
}

}  // namespace llmtrace::logs::internal
