#include <utility>

#include "llmtrace/genai/alert_sinks.h"
#include "src/genai/alert_delivery_queue.h"
#include "src/genai/alert_payloads.h"

namespace llmtrace::genai {

Result<std::unique_ptr<WebhookAlertSink>> WebhookAlertSink::Create(
    WebhookAlertSinkOptions options, std::shared_ptr<http::HttpClient> client) {
  auto queue = internal::AlertDeliveryQueue::Create(
      "webhook alert sink", options.url, options.headers, options.delivery, std::move(client));
  if (!queue.ok()) return queue.status();
  return std::unique_ptr<WebhookAlertSink>(
      new WebhookAlertSink(std::move(options), std::move(*queue)));
}

WebhookAlertSink::WebhookAlertSink(WebhookAlertSinkOptions options,
                                   std::unique_ptr<internal::AlertDeliveryQueue> queue)
    : options_(std::move(options)), queue_(std::move(queue)) {}

WebhookAlertSink::~WebhookAlertSink() = default;

void WebhookAlertSink::Send(const Alert& alert) noexcept {
  try {
    queue_->Enqueue(internal::WebhookAlertBody(alert));
  } catch (...) {  // out of memory rendering the body
    queue_->CountDropped();
  }
}

Status WebhookAlertSink::Flush(std::chrono::milliseconds timeout) noexcept {
  return queue_->Flush(timeout);
}

AlertDeliveryStats WebhookAlertSink::stats() const noexcept { return queue_->stats(); }

}  // namespace llmtrace::genai
