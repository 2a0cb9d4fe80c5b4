#include <string>
#include <vector>

#include "llmtrace/genai/alert_sinks.h"

namespace llmtrace::genai {
namespace {

logs::Severity LogSeverity(const Alert& alert) noexcept {
  if (alert.state == AlertState::kResolved) return logs::Severity::kInfo;
  switch (alert.severity) {
    case AlertSeverity::kCritical:
      return logs::Severity::kError;
    case AlertSeverity::kWarning:
      return logs::Severity::kWarn;
    case AlertSeverity::kInfo:
      return logs::Severity::kInfo;
  }
  return logs::Severity::kWarn;
}

}  // namespace

void LogAlertSink::Send(const Alert& alert) noexcept {
  if (logger_ == nullptr || !logger_->Enabled()) return;
  try {
    // KeyValue keys are views: the label keys need storage that outlives Emit.
    std::vector<std::string> label_keys;
    label_keys.reserve(alert.labels.size());
    for (const auto& [name, value] : alert.labels) label_keys.push_back("alert.label." + name);
    const std::string fingerprint =
        alert.fingerprint.empty() ? AlertFingerprint(alert.name, alert.labels) : alert.fingerprint;
    std::vector<KeyValue> attributes = {
        {"alert.name", alert.name},           {"alert.level", AlertSeverityName(alert.severity)},
        {"alert.type", alert.type},           {"alert.value", alert.value},
        {"alert.threshold", alert.threshold}, {"alert.state", AlertStateName(alert.state)},
        {"alert.fingerprint", fingerprint},   {"alert.summary", alert.summary},
    };
    for (std::size_t i = 0; i < alert.labels.size(); ++i) {
      attributes.push_back({label_keys[i], alert.labels[i].second});
    }
    const std::string& body = alert.message.empty() ? alert.summary : alert.message;
    logger_->Emit(LogSeverity(alert), body, attributes);
  } catch (...) {  // out of memory building the attributes: the alert is lost to this sink only
  }
}

}  // namespace llmtrace::genai
