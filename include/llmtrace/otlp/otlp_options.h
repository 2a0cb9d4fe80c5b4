// OtlpHttpOptions: where and how an OTLP/HTTP exporter sends, for one signal (traces, metrics,
// logs), read from the OTEL_EXPORTER_OTLP_* environment with the specification's rules:
//
//   - OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT is used as is; else OTEL_EXPORTER_OTLP_ENDPOINT gets
//     "/v1/<signal>" appended; default http://localhost:4318/v1/<signal>.
//   - _PROTOCOL: http/protobuf (default) or http/json; grpc is not supported here (a warning,
//     then http/protobuf).
//   - _HEADERS: "k1=v1,k2=v2", values %-decoded; the signal-specific list replaces the generic.
//   - _TIMEOUT: milliseconds, default 10000. _COMPRESSION: gzip or none (default).
// The signal-specific variable always wins over the generic one.
// Thread-safety: a value type.
//
//   EnvironmentReader env(ProcessEnvironment::Instance());
//   OtlpHttpOptions options = OtlpHttpOptions::FromEnvironment(env, OtlpSignal::kTraces);
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "llmtrace/common/environment.h"
#include "llmtrace/http/http_client.h"
#include "llmtrace/otlp/retry_policy.h"

namespace llmtrace::otlp {

enum class OtlpSignal { kTraces, kMetrics, kLogs };
enum class OtlpProtocol { kHttpProtobuf, kHttpJson };
enum class OtlpCompression { kNone, kGzip };

std::string_view OtlpSignalPath(OtlpSignal signal) noexcept;  // "/v1/traces", ...

struct OtlpHttpOptions {
  std::string endpoint = "http://localhost:4318/v1/traces";
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;
  http::HeaderList headers;
  std::chrono::milliseconds timeout{10'000};
  OtlpCompression compression = OtlpCompression::kNone;
  RetryPolicy retry;

  static OtlpHttpOptions FromEnvironment(EnvironmentReader& env, OtlpSignal signal);
};

}  // namespace llmtrace::otlp
