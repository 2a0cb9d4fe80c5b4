// OtlpHttpSender: the part of every OTLP/HTTP exporter that does not depend on the signal:
// compression, headers, the HTTP call, retries within the deadline, partial-success accounting,
// counters and rate-limited failure logs. Span, metric and log exporters encode their request
// and hand the bytes to Send().
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/common/result.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/otlp/trace_encoder.h"

namespace llmtrace::otlp::internal {

// Reads the partial_success of a signal's export response (protobuf or JSON form).
using PartialSuccessDecoder = Result<PartialSuccess> (*)(std::string_view body, bool json);

class OtlpHttpSender {
 public:
  static Result<std::unique_ptr<OtlpHttpSender>> Create(OtlpHttpOptions options,
                                                        OtlpExporterDependencies dependencies,
                                                        std::string_view signal_name);

  // Sends one encoded request carrying `item_count` items; true when the receiver accepted it
  // (a partial success counts as accepted, its rejected items recorded).
  bool Send(std::string& body, std::size_t item_count, MonotonicTime deadline,
            PartialSuccessDecoder decode_partial_success) noexcept;
  void Shutdown() noexcept;

  OtlpExporterStats stats() const noexcept;
  const OtlpHttpOptions& options() const noexcept { return options_; }
  // Reads the sender's stats while it lives, zeros after; every signal's exporter offers it.
  static std::function<OtlpExporterStats()> StatsReader(
      const std::shared_ptr<OtlpHttpSender>& sender);

 private:
  OtlpHttpSender(OtlpHttpOptions options, OtlpExporterDependencies dependencies,
                 std::string_view signal_name);
  void RecordFailure(std::size_t item_count, const std::string& why) noexcept;

  const OtlpHttpOptions options_;
  OtlpExporterDependencies deps_;
  const std::string signal_name_;
  http::HttpRequest request_;  // headers built once; body swapped in per send
  std::string compressed_;
  std::atomic<bool> shut_down_{false};

  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> failed_exports_{0};
  RateLimitedLog failure_log_;
  RateLimitedLog partial_log_;
};

// gzip (RFC 1952) of `in` into `out`; false if zlib fails.
bool GzipCompress(std::string_view in, std::string& out) noexcept;

}  // namespace llmtrace::otlp::internal
