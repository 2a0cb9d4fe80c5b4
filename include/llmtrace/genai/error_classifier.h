// The LLM error classifier: turns what a failed call left behind (an HTTP error response, a
// transport failure, or a "successful" response whose finish reasons or emptiness say it
// failed) into an LlmError of the taxonomy in error_type.h.
//
// HTTP errors are read in this order, the first that knows wins:
//   1. the provider's own codes from the JSON body, most specific first: Google ErrorInfo
//      details[].reason, OpenAI/Azure error.code, OpenAI/Anthropic error.type, Google
//      error.status, Bedrock __type or x-amzn-ErrorType;
//   2. the HTTP status (529 is Anthropic's "overloaded");
//   3. substrings of the provider's message, only as a last resort: when neither a code nor the
//      status is specific (no status, a plain 400 / invalid_request_error / INVALID_ARGUMENT,
//      which is where providers report context-length and content-filter refusals without a
//      code of their own).
// A body that is empty, HTML, truncated or not JSON is classified from the status alone. The
// message kept is the provider's (at most kMaxErrorMessageBytes, cut on a UTF-8 boundary), never
// the body of an HTML page and never request content. docs/errors.md lists every rule.
//
// Users: the gateway's provider adapters, the retry executor, and applications that call a
// provider SDK themselves and record the result with OperationSpan::SetError(const LlmError&).
// Thread-safety: pure functions.
//
//   LlmError e = ClassifyHttpError({.status = 429, .body = body, .headers = headers,
//                                   .provider = "openai", .now = clock.Now()});
//   call.SetError(e);  // error.type="rate_limit", http.response.status_code=429, ERROR status
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "llmtrace/common/clock.h"
#include "llmtrace/genai/error_type.h"
#include "llmtrace/genai/retry_after.h"

namespace llmtrace::genai {

inline constexpr std::size_t kMaxErrorMessageBytes = 512;

// An HTTP response with an error status (or any status with an error body).
struct HttpFailure {
  int status = 0;
  std::string_view body;
  std::span<const HttpHeader> headers;
  // gen_ai.provider.name ("openai", "anthropic", "gcp.gemini", "google", "aws.bedrock", ...)
  // or "" to go by the body's shape alone. Informational today: the providers' codes do not
  // collide, so the body's shape decides; a provider whose codes did would be told apart here.
  std::string_view provider;
  // Resolves HTTP-date and RFC 3339 reset headers into a wait; unset (the epoch) means the
  // system clock's now. Tests and replays pass their own.
  Timestamp now{};
};

LlmError ClassifyHttpError(const HttpFailure& failure) noexcept;

// The provider code alone (an OpenAI error.code, Anthropic error.type, Google status or
// ErrorInfo reason, Bedrock exception name), exact and case-sensitive; nullopt when unknown.
std::optional<ErrorType> ErrorTypeFromProviderCode(std::string_view code) noexcept;

// The HTTP status alone: 429 rate_limit, 401/403 invalid_api_key, 404 model_not_found,
// 408/504 timeout, other 4xx invalid_request, 5xx (and 529) service_unavailable; nullopt below
// 400.
std::optional<ErrorType> ErrorTypeFromHttpStatus(int status) noexcept;

// What the transport layer reports when no usable HTTP response arrived (a curl-free mirror of
// the usual categories).
enum class TransportFailure {
  kTimeout,  // connect or total deadline passed (CURLE_OPERATION_TIMEDOUT)
  kConnect,  // connection refused / host unreachable (CURLE_COULDNT_CONNECT)
  kDns,      // name did not resolve (CURLE_COULDNT_RESOLVE_HOST)
  kTls,      // handshake or certificate failure (CURLE_SSL_*, CURLE_PEER_FAILED_VERIFICATION)
  kReset,    // connection reset or closed mid-response (CURLE_RECV_ERROR, CURLE_PARTIAL_FILE)
  kOther,    // anything else below HTTP
};

// kTimeout -> timeout; everything else -> network. `message` is kept (truncated) as is.
LlmError ClassifyTransportFailure(TransportFailure failure, std::string_view message) noexcept;

// A response that arrived with a success status but failed all the same:
//  - a finish reason of a safety stop -> content_filter: OpenAI "content_filter", Anthropic
//    "refusal", Gemini "SAFETY" / "RECITATION" / "BLOCKLIST" / "PROHIBITED_CONTENT" / "SPII" /
//    "IMAGE_SAFETY", Bedrock "content_filtered" / "guardrail_intervened";
//  - otherwise no content and no tool call -> empty_response (whatever the finish reason,
//    "length" included: the whole budget went to hidden reasoning);
//  - otherwise nullopt (a "length" stop with content is truncated, not failed).
std::optional<ErrorType> ClassifyFinish(std::span<const std::string_view> finish_reasons,
                                        bool has_content, bool has_tool_calls) noexcept;
std::optional<ErrorType> ClassifyFinish(std::span<const std::string> finish_reasons,
                                        bool has_content, bool has_tool_calls) noexcept;

}  // namespace llmtrace::genai
