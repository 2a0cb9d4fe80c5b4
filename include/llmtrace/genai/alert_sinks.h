// The alert sinks: where the SLA monitor's alerts (alert.h) go. Four of them:
//
//   CallbackAlertSink      calls a function of yours, on the monitor's thread
//   LogAlertSink           one OpenTelemetry log record per alert (WARN, ERROR or INFO)
//   WebhookAlertSink       one JSON object per HTTP POST to a URL of yours
//   AlertmanagerAlertSink  POST /api/v2/alerts to a Prometheus Alertmanager; sends endsAt so
//                          Alertmanager resolves the alert (immediately when it recovers, or
//                          by itself after 4 missed repeats if this process goes away)
//
// The two network sinks never block Send: it renders the request body and queues it; one
// background thread per sink delivers, retrying HTTP 429, 5xx and transport errors with
// exponential backoff, and counts what it sent, gave up on, retried and dropped (queue full).
// Flush waits for the queue to drain; the destructor stops the thread without draining (what is
// still queued is counted as dropped), so call Flush first at shutdown. docs/alert-sinks.md
// shows the payloads.
// Thread-safety: Send, Flush and stats() may be called from any thread.
//
//   auto sink = AlertmanagerAlertSink::Create({.base_url = "http://127.0.0.1:9093"});
//   if (!sink.ok()) return sink.status();
//   (*sink)->Send(alert);  // usually the SLA monitor's call; at shutdown: Flush(seconds(5))
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/common/sleeper.h"
#include "llmtrace/common/status.h"
#include "llmtrace/genai/alert.h"
#include "llmtrace/http/http_client.h"
#include "llmtrace/logs/logger.h"

namespace llmtrace::genai {

namespace internal {
class AlertDeliveryQueue;
}

// Calls `callback` with each alert, synchronously. An exception from the callback is caught and
// counted (callback_errors()), never propagated into the monitor.
class CallbackAlertSink final : public AlertSink {
 public:
  explicit CallbackAlertSink(std::function<void(const Alert&)> callback)
      : callback_(std::move(callback)) {}
  void Send(const Alert& alert) noexcept override;
  std::uint64_t callback_errors() const noexcept { return callback_errors_.load(); }

 private:
  std::function<void(const Alert&)> callback_;
  std::atomic<std::uint64_t> callback_errors_{0};
};

// One log record per alert: severity ERROR for critical, WARN for warning, INFO for info and for
// every resolution; body = message (summary when the message is empty); attributes alert.name,
// alert.level, alert.type, alert.value, alert.threshold, alert.state, alert.fingerprint,
// alert.summary and each label as alert.label.<name>. A null logger makes Send a no-op.
class LogAlertSink final : public AlertSink {
 public:
  explicit LogAlertSink(std::shared_ptr<logs::Logger> logger) : logger_(std::move(logger)) {}
  void Send(const Alert& alert) noexcept override;

 private:
  std::shared_ptr<logs::Logger> logger_;
};

// What the network sinks share: the request timeout, the queue and the retry schedule.
struct AlertDeliveryOptions {
  std::chrono::milliseconds timeout{10'000};  // per HTTP request
  std::size_t max_queue = 1024;               // alerts waiting; Send drops (and counts) beyond
  int max_attempts = 4;                       // per alert, including the first
  // The wait before retry n is initial_backoff * 2^(n-1), or what the receiver's Retry-After
  // asked; at most max_backoff either way.
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  // Waits between attempts; null: a real one, interrupted by the destructor. Tests inject a
  // ManualSleeper. The sink calls Interrupt() on it when it is destroyed.
  std::shared_ptr<Sleeper> sleeper;
};

struct AlertDeliveryStats {
  std::uint64_t sent = 0;     // alerts the receiver accepted (2xx)
  std::uint64_t failed = 0;   // alerts given up on: non-retryable answer, or attempts used up
  std::uint64_t dropped = 0;  // alerts never attempted: queue full, or still queued at shutdown
  std::uint64_t retried = 0;  // attempts after the first
};

struct WebhookAlertSinkOptions {
  std::string url;           // http:// or https://
  http::HeaderList headers;  // added to every request (Authorization, ...)
  AlertDeliveryOptions delivery;
};

// POSTs each alert as one JSON object (Content-Type: application/json):
//   {"name","type","severity","state","summary","message","value","threshold","labels":{...},
//    "startsAt","endsAt","fingerprint"}
// Times are RFC 3339 UTC with milliseconds; endsAt is null while firing; a value or threshold
// that is not finite is null.
class WebhookAlertSink final : public AlertSink {
 public:
  // Null client: a CurlHttpClient.
  static Result<std::unique_ptr<WebhookAlertSink>> Create(
      WebhookAlertSinkOptions options, std::shared_ptr<http::HttpClient> client = nullptr);
  ~WebhookAlertSink() override;

  void Send(const Alert& alert) noexcept override;
  Status Flush(std::chrono::milliseconds timeout) noexcept override;
  AlertDeliveryStats stats() const noexcept;

 private:
  WebhookAlertSink(WebhookAlertSinkOptions options,
                   std::unique_ptr<internal::AlertDeliveryQueue> queue);
  WebhookAlertSinkOptions options_;
  std::unique_ptr<internal::AlertDeliveryQueue> queue_;
};

struct AlertmanagerAlertSinkOptions {
  std::string base_url = "http://127.0.0.1:9093";  // the sink POSTs to <base_url>/api/v2/alerts
  http::HeaderList headers;
  // How often the monitor re-sends a firing alert. Each firing alert goes out with
  // endsAt = now + 4 x repeat_interval (what Prometheus does with its resend delay), so
  // Alertmanager keeps it active while repeats arrive and resolves it by itself if they stop.
  std::chrono::milliseconds repeat_interval{60'000};
  std::string generator_url;     // the alert's "generatorURL" (a dashboard link); omitted if empty
  const Clock* clock = nullptr;  // for endsAt; null: SystemClock
  AlertDeliveryOptions delivery;
};

// POSTs [{"labels","annotations":{"summary","description","value","threshold","type"},
// "startsAt","endsAt","generatorURL"}] to /api/v2/alerts. A resolved alert goes out with
// endsAt = its ends_at (now if unset), which resolves it in Alertmanager at once.
class AlertmanagerAlertSink final : public AlertSink {
 public:
  static Result<std::unique_ptr<AlertmanagerAlertSink>> Create(
      AlertmanagerAlertSinkOptions options, std::shared_ptr<http::HttpClient> client = nullptr);
  ~AlertmanagerAlertSink() override;

  void Send(const Alert& alert) noexcept override;
  std::chrono::milliseconds repeat_interval() const noexcept override {
    return options_.repeat_interval;
  }
  Status Flush(std::chrono::milliseconds timeout) noexcept override;
  AlertDeliveryStats stats() const noexcept;

 private:
  AlertmanagerAlertSink(AlertmanagerAlertSinkOptions options,
                        std::unique_ptr<internal::AlertDeliveryQueue> queue);
  AlertmanagerAlertSinkOptions options_;
  std::unique_ptr<internal::AlertDeliveryQueue> queue_;
};

}  // namespace llmtrace::genai
