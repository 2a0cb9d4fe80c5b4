#include "llmtrace/genai/alert_sinks.h"

namespace llmtrace::genai {

void CallbackAlertSink::Send(const Alert& alert) noexcept {
  if (!callback_) return;
  try {
    callback_(alert);
  } catch (...) {  // the callback is the application's; its failure must not stop the monitor
    callback_errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace llmtrace::genai
