// HttpClient: the small HTTP interface every exporter and SDK client sends through.
//
// Injected so tests can script responses without sockets; CurlHttpClient (curl_http_client.h)
// is the production implementation. Send never throws: transport failures (refused, reset,
// timeout, TLS) come back as a Status whose message names the method and URL, and any HTTP
// status, including 4xx and 5xx, is a successful Send with that status in the response.
// Thread-safety: implementations must allow concurrent Send calls.
//
//   HttpRequest request{.method = "POST", .url = "http://localhost:4318/v1/traces",
//                       .headers = {{"Content-Type", "application/x-protobuf"}},
//                       .body = payload, .timeout = std::chrono::seconds(10)};
//   Result<HttpResponse> response = client.Send(request);
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmtrace/common/result.h"

namespace llmtrace::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";  // upper case: GET, POST, PUT, DELETE, ...
  std::string url;
  HeaderList headers;  // sent as given; names and values must not contain CR, LF or NUL
  std::string body;    // binary-safe
  std::chrono::milliseconds timeout{10'000};  // bounds the whole exchange; must be positive
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names lower-cased, in arrival order
  std::string body;

  // The first header with this name (case-insensitive), if any.
  std::optional<std::string_view> Header(std::string_view name) const noexcept;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) noexcept = 0;
};

}  // namespace llmtrace::http
