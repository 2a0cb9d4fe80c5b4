// Streaming HTTP for LlmClient: one POST on libcurl whose response body is handed over as it
// arrives (the whole-body HttpClient cannot: a stream's first token would wait for its last).
// A success status (2xx) streams into `on_body`; any other status collects the body for the
// error classifier. A fresh easy handle per call, no signals, no redirects, http(s) only.
// Thread-safety: any number of concurrent calls; `on_body` runs on the calling thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "llmtrace/common/result.h"
#include "llmtrace/http/http_client.h"

namespace llmtrace::genai::internal {

struct StreamedResponse {
  int status = 0;
  http::HeaderList headers;  // names lower-cased
  std::string error_body;    // non-2xx statuses only
  // The transfer ended early: a transport error after the status arrived (kept here, not as the
  // Result's error, so what was streamed before it is not lost), or `on_body` stopped it.
  Status transport;
};

// `on_body` returns false to stop the transfer. A transport failure before any status arrived
// is the Result's error: kDeadlineExceeded for a timeout, kUnavailable otherwise.
Result<StreamedResponse> SendStreaming(
    const http::HttpRequest& request,
    const std::function<bool(std::string_view)>& on_body) noexcept;

}  // namespace llmtrace::genai::internal
