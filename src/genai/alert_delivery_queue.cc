#include "src/genai/alert_delivery_queue.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/genai/retry_after.h"
#include "llmtrace/http/curl_http_client.h"

namespace llmtrace::genai::internal {
namespace {

// 429 (slow down) and 5xx (the receiver is failing or restarting) may succeed later; any other
// answer will not change on a resend.
bool IsRetryable(int status) noexcept { return status == 429 || (status >= 500 && status <= 599); }

bool IsHttpUrl(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

std::chrono::milliseconds Backoff(const AlertDeliveryOptions& options, int retry) noexcept {
  auto delay = options.initial_backoff;
  for (int i = 1; i < retry && delay < options.max_backoff; ++i) delay *= 2;
  return std::min(delay, options.max_backoff);
}

}  // namespace

Result<std::unique_ptr<AlertDeliveryQueue>> AlertDeliveryQueue::Create(
    std::string sink_name, std::string url, http::HeaderList headers, AlertDeliveryOptions options,
    std::shared_ptr<http::HttpClient> client) {
  if (!IsHttpUrl(url)) {
    return InvalidArgumentError(sink_name + ": url '" + url +
                                "' must start with http:// or https://");
  }
  if (options.timeout <= std::chrono::milliseconds::zero()) {
    return InvalidArgumentError(sink_name + ": delivery.timeout must be positive");
  }
  if (options.max_queue == 0) {
    return InvalidArgumentError(sink_name + ": delivery.max_queue must be at least 1");
  }
  if (options.max_attempts < 1) {
    return InvalidArgumentError(sink_name + ": delivery.max_attempts must be at least 1");
  }
  if (options.initial_backoff < std::chrono::milliseconds::zero() ||
      options.max_backoff < options.initial_backoff) {
    return InvalidArgumentError(sink_name +
                                ": delivery backoff must satisfy 0 <= initial_backoff <= "
                                "max_backoff");
  }
  if (client == nullptr) {
    auto curl = http::CurlHttpClient::Create();
    if (!curl.ok()) return curl.status().WithContext(sink_name);
    client = std::move(*curl);
  }
  if (options.sleeper == nullptr) options.sleeper = std::make_shared<InterruptibleSleeper>();
  headers.emplace_back("Content-Type", "application/json");
  http::HttpRequest request{.method = "POST",
                            .url = std::move(url),
                            .headers = std::move(headers),
                            .body = {},
                            .timeout = options.timeout};
  return std::unique_ptr<AlertDeliveryQueue>(new AlertDeliveryQueue(
      std::move(sink_name), std::move(request), std::move(options), std::move(client)));
}

AlertDeliveryQueue::AlertDeliveryQueue(std::string sink_name, http::HttpRequest request_template,
                                       AlertDeliveryOptions options,
                                       std::shared_ptr<http::HttpClient> client)
    : sink_name_(std::move(sink_name)),
      request_template_(std::move(request_template)),
      options_(std::move(options)),
      client_(std::move(client)),
      thread_([this] { Run(); }) {}

AlertDeliveryQueue::~AlertDeliveryQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  options_.sleeper->Interrupt();  // cuts a backoff wait short
  work_ready_.notify_all();
  thread_.join();
}

void AlertDeliveryQueue::Enqueue(std::string body) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      try {
        queue_.push_back(std::move(body));
        ++enqueued_;
      } catch (...) {  // out of memory: same as a full queue
        ++stats_.dropped;
        return;
      }
      work_ready_.notify_one();
      return;
    }
    ++stats_.dropped;
  }
  static RateLimitedLog full_log;
  full_log.Warn([&] { return sink_name_ + ": queue full; dropping alert"; });
}

void AlertDeliveryQueue::CountDropped() noexcept {
  std::lock_guard lock(mutex_);
  ++stats_.dropped;
}

Status AlertDeliveryQueue::Flush(std::chrono::milliseconds timeout) noexcept {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = enqueued_;
  if (drained_.wait_for(lock, timeout, [&] { return finished_ >= target || stopping_; })) {
    return Status::Ok();
  }
  try {
    return DeadlineExceededError(sink_name_ + ": flush timed out after " +
                                 std::to_string(timeout.count()) + " ms with " +
                                 std::to_string(target - finished_) + " alert(s) undelivered");
  } catch (...) {
    return Status(StatusCode::kDeadlineExceeded, {});
  }
}

AlertDeliveryStats AlertDeliveryQueue::stats() const noexcept {
  std::lock_guard lock(mutex_);
  return stats_;
}

void AlertDeliveryQueue::Run() noexcept {
  std::unique_lock lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    std::string body = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    Deliver(std::move(body));
    lock.lock();
    ++finished_;
    drained_.notify_all();
  }
  stats_.dropped += queue_.size();
  finished_ += queue_.size();
  queue_.clear();
  drained_.notify_all();
}

void AlertDeliveryQueue::Deliver(std::string body) noexcept {
  static RateLimitedLog failure_log;
  http::HttpRequest request;
  try {
    request = request_template_;
    request.body = std::move(body);
  } catch (...) {
    std::lock_guard lock(mutex_);
    ++stats_.failed;
    return;
  }
  for (int attempt = 1;; ++attempt) {
    Result<http::HttpResponse> response = client_->Send(request);
    if (response.ok() && response->status >= 200 && response->status <= 299) {
      std::lock_guard lock(mutex_);
      ++stats_.sent;
      return;
    }
    const bool retryable = !response.ok() || IsRetryable(response->status);
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    // A receiver that says how long to wait (Retry-After on a 429 or 503) is believed, up to
    // max_backoff; otherwise exponential backoff.
    std::chrono::milliseconds wait = Backoff(options_, attempt);
    if (response.ok()) {
      if (auto header = response->Header("retry-after")) {
        if (auto asked = ParseRetryAfterValue(*header, SystemClock::Instance().Now())) {
          wait = std::min(*asked, options_.max_backoff);
        }
      }
    }
    if (!retryable || attempt >= options_.max_attempts || stopping ||
        !options_.sleeper->SleepFor(wait)) {
      {
        std::lock_guard lock(mutex_);
        ++stats_.failed;
      }
      failure_log.Warn([&] {
        std::string why = response.ok() ? "HTTP " + std::to_string(response->status)
                                        : response.status().ToString();
        return sink_name_ + ": giving up on an alert after " + std::to_string(attempt) +
               " attempt(s) to " + request.url + ": " + why;
      });
      return;
    }
    std::lock_guard lock(mutex_);
    ++stats_.retried;
  }
}

}  // namespace llmtrace::genai::internal
