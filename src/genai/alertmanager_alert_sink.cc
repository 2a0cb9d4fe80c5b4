#include <string>
#include <utility>

#include "llmtrace/genai/alert_sinks.h"
#include "src/genai/alert_delivery_queue.h"
#include "src/genai/alert_payloads.h"

namespace llmtrace::genai {

Result<std::unique_ptr<AlertmanagerAlertSink>> AlertmanagerAlertSink::Create(
    AlertmanagerAlertSinkOptions options, std::shared_ptr<http::HttpClient> client) {
  if (options.repeat_interval <= std::chrono::milliseconds::zero()) {
    return InvalidArgumentError(
        "alertmanager alert sink: repeat_interval must be positive (Alertmanager resolves an "
        "alert whose endsAt passes, so firing alerts must be re-sent)");
  }
  if (options.clock == nullptr) options.clock = &SystemClock::Instance();
  std::string url = options.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/api/v2/alerts";
  auto queue =
      internal::AlertDeliveryQueue::Create("alertmanager alert sink", std::move(url),
                                           options.headers, options.delivery, std::move(client));
  if (!queue.ok()) return queue.status();
  return std::unique_ptr<AlertmanagerAlertSink>(
      new AlertmanagerAlertSink(std::move(options), std::move(*queue)));
}

AlertmanagerAlertSink::AlertmanagerAlertSink(AlertmanagerAlertSinkOptions options,
                                             std::unique_ptr<internal::AlertDeliveryQueue> queue)
    : options_(std::move(options)), queue_(std::move(queue)) {}

AlertmanagerAlertSink::~AlertmanagerAlertSink() = default;

void AlertmanagerAlertSink::Send(const Alert& alert) noexcept {
  const Timestamp now = options_.clock->Now();
  // Firing: valid for four repeat intervals, so one or two lost repeats do not resolve it but a
  // dead process does (Prometheus sends endsAt = now + 4 x resend delay for the same reason).
  // Resolved: an endsAt that has passed resolves the alert in Alertmanager at once.
  Timestamp ends_at = now + 4 * options_.repeat_interval;
  if (alert.state == AlertState::kResolved) {
    ends_at = alert.ends_at == Timestamp{} ? now : alert.ends_at;
  }
  try {
    queue_->Enqueue(internal::AlertmanagerAlertBody(alert, ends_at, options_.generator_url));
  } catch (...) {  // out of memory rendering the body
    queue_->CountDropped();
  }
}

Status AlertmanagerAlertSink::Flush(std::chrono::milliseconds timeout) noexcept {
  return queue_->Flush(timeout);
}

AlertDeliveryStats AlertmanagerAlertSink::stats() const noexcept { return queue_->stats(); }

}  // namespace llmtrace::genai
