// CurlHttpClient: HttpClient on libcurl, with keep-alive connection reuse.
//
// Each concurrent Send borrows an idle easy handle from a small pool (creating one when none is
// idle), so connections to the collector are reused across exports. Signals are never used
// (CURLOPT_NOSIGNAL), redirects are not followed, only http and https URLs are accepted, and
// the request timeout bounds the whole transfer. The request goes out with exactly the caller's
// headers and body: libcurl's "Expect: 100-continue" and default form Content-Type are turned
// off. libcurl's proxy environment variables (https_proxy, no_proxy, ...) apply.
// Transport errors come back as kUnavailable (connect, reset, DNS, TLS) or kDeadlineExceeded
// (timeout), with curl's message and the URL (credentials removed) in the Status; a malformed
// request (method, header with CR/LF, non-positive timeout, bad URL) is kInvalidArgument.
// Thread-safety: Send may be called from any number of threads.
//
//   auto client = llmtrace::http::CurlHttpClient::Create();
//   auto response = (*client)->Send(request);
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "llmtrace/common/result.h"
#include "llmtrace/http/http_client.h"

namespace llmtrace::http {

struct CurlHttpClientOptions {
  // Idle connections (easy handles) kept for reuse.
  std::size_t max_idle_handles = 4;
  // Added to every request unless the request sets it.
  std::string user_agent = "llmtrace/0.1.0";
};

class CurlHttpClient final : public HttpClient {
 public:
  static Result<std::unique_ptr<CurlHttpClient>> Create(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;

  Result<HttpResponse> Send(const HttpRequest& request) noexcept override;

 private:
  struct Impl;
  explicit CurlHttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmtrace::http
