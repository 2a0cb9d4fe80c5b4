// SlaMonitor: the in-process SLA checks of seed pattern 6, done the way an SRE would trust.
//
// Record() takes one finished call (latency, TTFT, failed or not, a hallucination verdict,
// cost); Evaluate() checks the SLA file's levels over sliding time windows and sends alerts to
// the sinks. The same rules as the generated Prometheus rules (sla_rules.h), with the same
// names, so an alert means the same thing wherever it comes from:
//   - latency P50/P95/P99 and TTFT P95 per model over the last 5 minutes, from mergeable
//     quantile sketches (1% relative error) kept per 10-second slice; error rate, success rate
//     and hallucination rate per model over 5 minutes. Each waits for min_calls samples, so one
//     slow call at low traffic never pages (the seed fires CRITICAL on any call over the P99);
//   - error-budget burn rates per model over 5m/30m/1h/2h/6h/1d/3d (1-minute slices), alerting
//     as in Google's SRE workbook: 14.4x over 1h and 5m or 6x over 6h and 30m (critical),
//     3x over 1d and 2h or 1x over 3d and 6h (warning);
//   - spend over a rolling 24 hours against the daily budget (warning at budget_warning_ratio,
//     critical past it), and a cost anomaly: the last hour's spend rate above 3x the 24 hours
//     before it, when the hour cost at least 5% of the daily budget.
// Every rule has a `for` duration (it must hold that long before firing), hysteresis (a firing
// alert resolves only when the value is 10% inside the level, for resolve_for), deduplication
// (one alert per rule and model, identified by its fingerprint; sent when it fires and when it
// resolves, plus repeats for sinks that ask) and grouping by gen_ai.request.model. Each firing
// is also an `llm.alert` span (alert.level, alert.type, alert.message, alert.value,
// alert.threshold) when a tracer is given.
// Thread-safety: Record from any number of threads (one short critical section per call);
// Evaluate from one thread at a time (the background thread, or the caller's). Sinks are called
// outside the lock.
//
//   auto monitor = *SlaMonitor::Create({.sla = sla, .sinks = {std::make_shared<LogAlertSink>(
//       logger)}, .tracer = tracer, .evaluation_interval = std::chrono::seconds(15)});
//   monitor->Record({.model = "gpt-4o", .latency_seconds = 1.2, .cost_usd = 0.003});
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/genai/alert.h"
#include "llmtrace/genai/sla_config.h"

namespace llmtrace::trace {
class Tracer;
}

namespace llmtrace::genai {

// One finished call.
struct SlaObservation {
  std::string_view model;  // gen_ai.request.model; the grouping key
  double latency_seconds = 0;
  std::optional<double> ttft_seconds;  // streamed calls
  bool failed = false;
  std::optional<bool> hallucinated;  // when an evaluator judged the answer
  double cost_usd = 0;
};

struct SlaMonitorOptions {
  SlaConfig sla;
  std::vector<std::shared_ptr<AlertSink>> sinks;
  std::shared_ptr<trace::Tracer> tracer;  // null: no llm.alert spans
  const Clock* clock = nullptr;           // null: SystemClock
  // > 0: a background thread calls Evaluate at this interval. 0: the caller does.
  std::chrono::milliseconds evaluation_interval{0};
  // How long a firing alert's value must stay inside the level (with the 10% hysteresis)
  // before it resolves.
  std::chrono::milliseconds resolve_for{std::chrono::minutes(2)};
  // Most distinct models tracked; calls for more are counted under model "other".
  std::size_t max_models = 64;
};

class SlaMonitor {
 public:
  static Result<std::unique_ptr<SlaMonitor>> Create(SlaMonitorOptions options);
  ~SlaMonitor();  // stops the background thread
  SlaMonitor(const SlaMonitor&) = delete;
  SlaMonitor& operator=(const SlaMonitor&) = delete;

  void Record(const SlaObservation& call) noexcept;
  // A hallucination verdict reached after the call was recorded (an evaluation).
  void RecordVerdict(std::string_view model, bool hallucinated) noexcept;
  // Checks every rule at the clock's now and sends what fired or resolved.
  void Evaluate() noexcept;
  // The alerts firing now.
  std::vector<Alert> FiringAlerts() const;

 private:
  struct Impl;
  explicit SlaMonitor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmtrace::genai
