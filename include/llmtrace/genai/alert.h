// Alert and AlertSink: what the SLA monitor says when a service level breaks or recovers, and
// where it says it.
//
// The monitor (sla_monitor.h) decides; sinks deliver. An alert is identified by its name and
// labels (the fingerprint): the monitor sends it once when it starts firing, again while it
// keeps firing only when a sink asks for repeats (Alertmanager needs them to keep an alert
// active), and once more with state kResolved and ends_at set when it recovers. The sinks:
// callback, log (alert_sinks.h), webhook (JSON POST) and Alertmanager v2 (POST /api/v2/alerts).
// Thread-safety: Alert is a value type. Sinks' Send may be called from any thread, must not
// block (network sinks queue and deliver on their own thread) and must not throw.
//
//   class PagerSink final : public AlertSink {
//     void Send(const Alert& alert) noexcept override { Page(alert.name, alert.message); }
//   };
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/status.h"

namespace llmtrace::genai {

enum class AlertSeverity { kInfo, kWarning, kCritical };
enum class AlertState { kFiring, kResolved };

// "info", "warning", "critical" (the Prometheus `severity` label values) / "firing", "resolved".
std::string_view AlertSeverityName(AlertSeverity severity) noexcept;
std::string_view AlertStateName(AlertState state) noexcept;

struct Alert {
  std::string name;  // alertname, e.g. "LLMLatencyP99Breach" (same names as `llmtrace rules`)
  // The seed's alert.type: latency_p50_breach, latency_p95_breach, latency_p99_breach,
  // ttft_breach, error_rate_breach, success_rate_breach, hallucination_rate_breach,
  // error_budget_burn_fast, error_budget_burn_slow, daily_budget_breach, cost_anomaly.
  std::string type;
  AlertSeverity severity = AlertSeverity::kWarning;
  AlertState state = AlertState::kFiring;
  std::string summary;   // one line, no values: "LLM P99 latency exceeds the SLA (10000 ms)"
  std::string message;   // with the values: "gpt-4o: P99 latency over 5m is 12.4 s (SLA 10 s)"
  double value = 0;      // the measured value that broke (or, resolved, last met) the level
  double threshold = 0;  // the level
  // Sorted by name; always includes alertname and severity, plus the grouping labels
  // (gen_ai_request_model) and the SLA file's labels.
  std::vector<std::pair<std::string, std::string>> labels;
  Timestamp starts_at{};    // when it started firing
  Timestamp ends_at{};      // when it resolved; zero while firing
  std::string fingerprint;  // stable hex id of name + labels
};

// 16 hex digits identifying an alert: FNV-1a 64 over its name and sorted labels.
std::string AlertFingerprint(std::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& labels);

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual void Send(const Alert& alert) noexcept = 0;
  // How often a still-firing alert should be sent again; zero: never (the default).
  virtual std::chrono::milliseconds repeat_interval() const noexcept {
    return std::chrono::milliseconds::zero();
  }
  // Delivers what is queued, within `timeout`. OK for sinks that do not queue.
  virtual Status Flush(std::chrono::milliseconds /*timeout*/) noexcept { return Status::Ok(); }
};

}  // namespace llmtrace::genai
