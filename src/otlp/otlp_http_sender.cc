#include "src/otlp/otlp_http_sender.h"

#include <zlib.h>

#include <algorithm>

#include "llmtrace/common/ids.h"
#include "llmtrace/http/curl_http_client.h"

namespace llmtrace::otlp::internal {

namespace {

double ThreadUniform01() {
  // 53 random bits -> [0, 1).
  return static_cast<double>(RandomUint64() >> 11) * (1.0 / 9007199254740992.0);
}

bool IsHttpUrl(std::string_view url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::chrono::milliseconds MillisUntil(MonotonicTime deadline, MonotonicTime now) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
}

}  // namespace

bool GzipCompress(std::string_view in, std::string& out) noexcept {
  try {
    z_stream stream{};
    // windowBits 15 + 16 selects the gzip wrapper.
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      return false;
    }
    out.resize(deflateBound(&stream, static_cast<uLong>(in.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    stream.avail_in = static_cast<uInt>(in.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return rc == Z_STREAM_END;
  } catch (...) {
    return false;
  }
}

Result<std::unique_ptr<OtlpHttpSender>> OtlpHttpSender::Create(
    OtlpHttpOptions options, OtlpExporterDependencies dependencies, std::string_view signal_name) {
  std::string context = "otlp " + std::string(signal_name) + " exporter";
  if (!IsHttpUrl(options.endpoint)) {
    return InvalidArgumentError(context + ": endpoint '" + options.endpoint +
                                "' is not an http:// or https:// URL");
  }
  if (options.retry.max_attempts < 1) {
    return InvalidArgumentError(context + ": retry.max_attempts must be at least 1");
  }
  if (options.retry.multiplier < 1.0 || options.retry.initial_backoff.count() < 0 ||
      options.retry.max_backoff < options.retry.initial_backoff) {
    return InvalidArgumentError(context +
                                ": retry policy needs multiplier >= 1 and "
                                "0 <= initial_backoff <= max_backoff");
  }
  if (!dependencies.http_client) {
    auto curl = http::CurlHttpClient::Create();
    if (!curl.ok()) return curl.status().WithContext(context);
    dependencies.http_client = std::move(*curl);
  }
  if (dependencies.clock == nullptr) dependencies.clock = &SystemClock::Instance();
  if (!dependencies.sleeper) dependencies.sleeper = std::make_shared<InterruptibleSleeper>();
  if (dependencies.uniform01 == nullptr) dependencies.uniform01 = &ThreadUniform01;
  return std::unique_ptr<OtlpHttpSender>(
      new OtlpHttpSender(std::move(options), std::move(dependencies), signal_name));
}

OtlpHttpSender::OtlpHttpSender(OtlpHttpOptions options, OtlpExporterDependencies dependencies,
                               std::string_view signal_name)
    : options_(std::move(options)), deps_(std::move(dependencies)), signal_name_(signal_name) {
  request_.method = "POST";
  request_.url = options_.endpoint;
  request_.headers = options_.headers;
  request_.headers.emplace_back("Content-Type", options_.protocol == OtlpProtocol::kHttpJson
                                                    ? "application/json"
                                                    : "application/x-protobuf");
  if (options_.compression == OtlpCompression::kGzip) {
    request_.headers.emplace_back("Content-Encoding", "gzip");
  }
}

bool OtlpHttpSender::Send(std::string& body, std::size_t item_count, MonotonicTime deadline,
                          PartialSuccessDecoder decode_partial_success) noexcept {
  if (shut_down_.load()) {
    RecordFailure(item_count, "exporter is shut down");
    return false;
  }
  if (options_.compression == OtlpCompression::kGzip) {
    if (!GzipCompress(body, compressed_)) {
      RecordFailure(item_count, "gzip compression failed");
      return false;
    }
    request_.body.swap(compressed_);
  } else {
    request_.body.swap(body);
  }
  // Hand the buffer back to the caller afterwards so its capacity is reused.
  struct GiveBack {
    std::string& to;
    std::string& from;
    ~GiveBack() { to.swap(from); }
  } give_back{options_.compression == OtlpCompression::kGzip ? compressed_ : body, request_.body};

  std::string last_error;
  for (int attempt = 1;; ++attempt) {
    MonotonicTime now = deps_.clock->MonotonicNow();
    if (now >= deadline) {
      RecordFailure(item_count,
                    "export deadline passed" + (last_error.empty() ? "" : " after: " + last_error));
      return false;
    }
    request_.timeout = std::min(options_.timeout, MillisUntil(deadline, now));
    requests_.fetch_add(1, std::memory_order_relaxed);
    if (attempt > 1) retries_.fetch_add(1, std::memory_order_relaxed);
    Result<http::HttpResponse> response = deps_.http_client->Send(request_);

    bool retryable;
    std::optional<std::chrono::milliseconds> retry_after;
    if (!response.ok()) {
      last_error = response.status().ToString();
      // Transport failures (refused, reset, timed out) are transient by nature.
      retryable = true;
    } else if (response->status >= 200 && response->status < 300) {
      std::size_t rejected = 0;
      if (!response->body.empty()) {
        Result<PartialSuccess> partial =
            decode_partial_success(response->body, options_.protocol == OtlpProtocol::kHttpJson);
        if (partial.ok() && (partial->rejected > 0 || !partial->error_message.empty())) {
          rejected = static_cast<std::size_t>(std::clamp<std::int64_t>(
              partial->rejected, 0, static_cast<std::int64_t>(item_count)));
          rejected_.fetch_add(rejected, std::memory_order_relaxed);
          partial_log_.Warn([&] {
            return "otlp " + signal_name_ + " export to " + options_.endpoint + ": receiver " +
                   "rejected " + std::to_string(partial->rejected) + " of " +
                   std::to_string(item_count) + ": " + partial->error_message;
          });
        }
      }
      exported_.fetch_add(item_count - rejected, std::memory_order_relaxed);
      return true;
    } else {
      last_error = "HTTP " + std::to_string(response->status);
      if (!response->body.empty()) {
        last_error += ": " + response->body.substr(0, 200);
      }
      retryable = IsRetryableHttpStatus(response->status);
      if (auto header = response->Header("retry-after")) {
        retry_after = ParseRetryAfter(*header, deps_.clock->Now());
      }
    }

    if (!retryable || attempt >= options_.retry.max_attempts) {
      RecordFailure(item_count, last_error + (retryable ? " (retries exhausted)" : ""));
      return false;
    }
    std::chrono::milliseconds delay =
        retry_after ? *retry_after : BackoffDelay(options_.retry, attempt, deps_.uniform01());
    if (deps_.clock->MonotonicNow() + delay >= deadline) {
      RecordFailure(item_count, last_error + " (next retry would pass the export deadline)");
      return false;
    }
    if (!deps_.sleeper->SleepFor(delay)) {
      RecordFailure(item_count, last_error + " (shut down while waiting to retry)");
      return false;
    }
  }
}

void OtlpHttpSender::RecordFailure(std::size_t item_count, const std::string& why) noexcept {
  failed_.fetch_add(item_count, std::memory_order_relaxed);
  std::uint64_t total = failed_exports_.fetch_add(1, std::memory_order_relaxed) + 1;
  failure_log_.Warn([&] {
    return "otlp " + signal_name_ + " export to " + options_.endpoint + " failed: " + why + "; " +
           std::to_string(item_count) + " items lost (" + std::to_string(total) +
           " failed exports so far)";
  });
}

void OtlpHttpSender::Shutdown() noexcept {
  shut_down_.store(true);
  deps_.sleeper->Interrupt();
}

std::function<OtlpExporterStats()> OtlpHttpSender::StatsReader(
    const std::shared_ptr<OtlpHttpSender>& sender) {
  return [weak = std::weak_ptr<const OtlpHttpSender>(sender)] {
    std::shared_ptr<const OtlpHttpSender> live = weak.lock();
    return live ? live->stats() : OtlpExporterStats{};
  };
}

OtlpExporterStats OtlpHttpSender::stats() const noexcept {
  OtlpExporterStats s;
  s.requests = requests_.load(std::memory_order_relaxed);
  s.retries = retries_.load(std::memory_order_relaxed);
  s.items_exported = exported_.load(std::memory_order_relaxed);
  s.items_rejected = rejected_.load(std::memory_order_relaxed);
  s.items_failed = failed_.load(std::memory_order_relaxed);
  s.failed_exports = failed_exports_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace llmtrace::otlp::internal
