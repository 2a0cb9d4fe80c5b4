#include "src/genai/streaming_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace llmtrace::genai::internal {
namespace {

// curl_global_init is not thread-safe and must precede every other libcurl call.
bool GlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result == CURLE_OK;
}

struct Transfer {
  CURL* curl = nullptr;
  const std::function<bool(std::string_view)>* on_body = nullptr;
  StreamedResponse response;
  bool stopped_by_caller = false;
};

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  // A new status line (after a 100 Continue, say) starts a new header block.
  if (line.starts_with("HTTP/")) {
    transfer->response.headers.clear();
    return line.size();
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  try {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    transfer->response.headers.emplace_back(std::move(name), std::string(value));
  } catch (...) {
    return 0;  // out of memory: abort the transfer
  }
  return line.size();
}

std::size_t OnWrite(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  try {
    if (status < 200 || status >= 300) {
      transfer->response.error_body.append(data, n);
      return n;
    }
    if (!(*transfer->on_body)(std::string_view(data, n))) {
      transfer->stopped_by_caller = true;
      return 0;
    }
  } catch (...) {
    return 0;
  }
  return n;
}

}  // namespace

Result<StreamedResponse> SendStreaming(
    const http::HttpRequest& request,
    const std::function<bool(std::string_view)>& on_body) noexcept {
  try {
    if (!GlobalInit()) return InternalError("curl_global_init failed");
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return InternalError("curl_easy_init failed");
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    // Exactly the caller's headers: no "Expect: 100-continue".
    headers = curl_slist_append(headers, "Expect:");
    Transfer transfer{.curl = curl, .on_body = &on_body};
    char error_text[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "llmtrace/0.1.0");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnWrite);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    transfer.response.status = static_cast<int>(status);
    if (code != CURLE_OK) {
      std::string message = "POST " + request.url + ": " +
                            (error_text[0] != '\0' ? error_text : curl_easy_strerror(code));
      if (transfer.stopped_by_caller) message = "POST " + request.url + ": stopped by the reader";
      Status failure = code == CURLE_OPERATION_TIMEDOUT ? DeadlineExceededError(message)
                                                        : UnavailableError(message);
      if (status == 0) return failure;
      transfer.response.transport = std::move(failure);
    }
    return std::move(transfer.response);
  } catch (...) {
    return InternalError("streaming request: out of memory");
  }
}

}  // namespace llmtrace::genai::internal
