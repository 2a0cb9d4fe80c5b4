// AlertDeliveryQueue: the bounded queue, background thread and retry loop behind the webhook
// and Alertmanager sinks. The sink renders each alert into a request body on Send (so times
// such as Alertmanager's endsAt are taken when the alert is sent, not when it is delivered);
// this class only POSTs bodies.
// Thread-safety: Enqueue, Flush and stats may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "llmtrace/common/result.h"
#include "llmtrace/genai/alert_sinks.h"
#include "llmtrace/http/http_client.h"

namespace llmtrace::genai::internal {

class AlertDeliveryQueue {
 public:
  // `sink_name` prefixes the internal log lines ("alertmanager alert sink: ...").
  // Checks the options (`url` must be http:// or https://); a null client becomes a
  // CurlHttpClient.
  static Result<std::unique_ptr<AlertDeliveryQueue>> Create(
      std::string sink_name, std::string url, http::HeaderList headers,
      AlertDeliveryOptions options, std::shared_ptr<http::HttpClient> client);
  ~AlertDeliveryQueue();  // stops the thread; what is still queued counts as dropped

  // Never blocks; drops and counts when the queue is full.
  void Enqueue(std::string body) noexcept;
  // OK once everything enqueued before the call has been delivered or given up on;
  // kDeadlineExceeded if that takes longer than `timeout`.
  Status Flush(std::chrono::milliseconds timeout) noexcept;
  AlertDeliveryStats stats() const noexcept;
  // Counts an alert the sink could not render (out of memory) as dropped.
  void CountDropped() noexcept;

 private:
  AlertDeliveryQueue(std::string sink_name, http::HttpRequest request_template,
                     AlertDeliveryOptions options, std::shared_ptr<http::HttpClient> client);
  void Run() noexcept;
  void Deliver(std::string body) noexcept;

  const std::string sink_name_;
  const http::HttpRequest request_template_;  // method, url, headers, timeout; body per alert
  const AlertDeliveryOptions options_;
  const std::shared_ptr<http::HttpClient> client_;

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable drained_;
  std::deque<std::string> queue_;  // guarded by mutex_
  std::uint64_t enqueued_ = 0;     // guarded by mutex_; alerts ever accepted
  std::uint64_t finished_ = 0;     // guarded by mutex_; accepted alerts delivered or given up
  bool stopping_ = false;          // guarded by mutex_
  AlertDeliveryStats stats_;       // guarded by mutex_
  std::thread thread_;
};

}  // namespace llmtrace::genai::internal
