#include "llmtrace/http/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmtrace/common/strings.h"

namespace llmtrace::http {
namespace {

// curl_global_init is not thread-safe and must precede every other libcurl call. It is never
// undone: other libraries in the process may be using libcurl too.
CURLcode GlobalInitOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

struct EasyHandleDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyHandleDeleter>;

struct HeaderListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlHeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

// What the libcurl callbacks fill in during one transfer. The callbacks are C code paths, so
// they catch and report allocation failure here instead of letting it unwind through libcurl.
struct Transfer {
  HttpResponse response;
  bool out_of_memory = false;
};

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  try {
    transfer->response.body.append(data, length);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;  // anything but `length` aborts the transfer
  }
  return length;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  const std::string_view line(data, length);
  try {
    if (line.starts_with("HTTP/")) {
      // A status line starts each response, including 1xx interim ones: keep only the last.
      transfer->response.headers.clear();
      return length;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return length;  // the blank line ending the block
    const std::string_view name = TrimWhitespace(line.substr(0, colon));
    if (name.empty()) return length;
    transfer->response.headers.emplace_back(ToLowerAscii(name),
                                            std::string(TrimWhitespace(line.substr(colon + 1))));
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return length;
}

bool HasLineBreakOrNul(std::string_view s) noexcept {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

Status ValidateRequest(const HttpRequest& request) {
  if (request.method.empty() || !std::all_of(request.method.begin(), request.method.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return InvalidArgumentError("method must be an upper-case token such as POST");
  }
  if (request.timeout.count() <= 0) {
    return InvalidArgumentError("timeout must be positive");
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || name.find_first_of(": \t") != std::string::npos ||
        HasLineBreakOrNul(name) || HasLineBreakOrNul(value)) {
      return InvalidArgumentError("invalid header name or value for '" + name + "'");
    }
  }
  return Status::Ok();
}

// The request headers as libcurl wants them, plus two that turn off libcurl defaults the caller
// did not ask for: "Expect: 100-continue" on larger POSTs (a round trip of delay) and a
// form-urlencoded Content-Type on bodies sent without one.
Result<CurlHeaderList> BuildHeaderList(const HeaderList& headers) {
  CurlHeaderList list;
  auto append = [&list](const std::string& line) {
    curl_slist* appended = curl_slist_append(list.get(), line.c_str());
    if (appended == nullptr) return false;
    list.release();  // NOLINT: now owned through `appended`, the same list
    list.reset(appended);
    return true;
  };
  bool has_expect = false;
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    has_expect = has_expect || EqualsIgnoreCase(name, "Expect");
    has_content_type = has_content_type || EqualsIgnoreCase(name, "Content-Type");
    // "Name:" would tell libcurl to remove the header; "Name;" sends it with an empty value.
    if (!append(value.empty() ? name + ";" : name + ": " + value)) {
      return InternalError("out of memory");
    }
  }
  if ((!has_expect && !append("Expect:")) || (!has_content_type && !append("Content-Type:"))) {
    return InternalError("out of memory");
  }
  return list;
}

CURLcode Configure(CURL* curl, const HttpRequest& request, curl_slist* headers,
                   const std::string& user_agent, Transfer* transfer, char* error_buffer) {
  CURLcode code = CURLE_OK;
  auto check = [&code](CURLcode result) {
    if (code == CURLE_OK) code = result;
  };
  const long timeout_ms = static_cast<long>(std::min<long long>(request.timeout.count(), LONG_MAX));
  check(curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str()));
  check(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer));
  check(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L));
  check(curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L));
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85.0
  check(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"));
#else
  check(curl_easy_setopt(curl, CURLOPT_PROTOCOLS, long{CURLPROTO_HTTP | CURLPROTO_HTTPS}));
#endif
  check(curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms));
  check(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers));
  if (!user_agent.empty()) check(curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str()));
  check(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody));
  check(curl_easy_setopt(curl, CURLOPT_WRITEDATA, transfer));
  check(curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader));
  check(curl_easy_setopt(curl, CURLOPT_HEADERDATA, transfer));

  const std::string& method = request.method;
  if (method == "GET" && request.body.empty()) {
    check(curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L));
  } else if (method == "HEAD") {
    check(curl_easy_setopt(curl, CURLOPT_NOBODY, 1L));
  } else {
    if (method != "POST") check(curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str()));
    // Methods that carry a body send one even when empty (Content-Length: 0).
    if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      check(curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size())));
      check(curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data()));
    }
  }
  return code;
}

Status TransportError(CURLcode code, const char* error_buffer, const std::string& context) {
  const std::string_view summary = curl_easy_strerror(code);
  // libcurl's detail ("Failed to connect to 127.0.0.1 port 4318 after 0 ms: Couldn't connect to
  // server") is more useful than the per-code summary, which it often already contains.
  const std::string_view detail = error_buffer;
  std::string message = context + ": ";
  if (detail.empty() || detail == summary) {
    message += summary;
  } else if (detail.find(summary) != std::string_view::npos) {
    message += detail;
  } else {
    message += std::string(summary) + " (" + std::string(detail) + ")";
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceededError(std::move(message));
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return InvalidArgumentError(std::move(message));
    case CURLE_OUT_OF_MEMORY:
      return InternalError(std::move(message));
    default:  // connect, DNS, TLS, send and receive failures: worth a retry
      return UnavailableError(std::move(message));
  }
}

// "http://user:secret@host/x" -> "http://host/x", so credentials never reach a log line.
std::string UrlForMessages(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::size_t authority_begin = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::size_t at = url.substr(authority_begin, authority_end - authority_begin).rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_begin)) +
         std::string(url.substr(authority_begin + at + 1));
}

}  // namespace

struct CurlHttpClient::Impl {
  CurlHttpClientOptions options;
  std::mutex mutex;
  std::vector<EasyHandle> idle_handles;  // guarded by mutex

  EasyHandle Acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!idle_handles.empty()) {
        EasyHandle handle = std::move(idle_handles.back());
        idle_handles.pop_back();
        return handle;
      }
    }
    return EasyHandle(curl_easy_init());
  }

  // Only handles whose transfer succeeded come back: after a transport error the handle's
  // connection state is suspect, so it is dropped instead.
  void Release(EasyHandle handle) {
    // Clears every option (pointers into the finished request included) but keeps the
    // connection cache, which is what makes the next request reuse the connection.
    curl_easy_reset(handle.get());
    std::lock_guard<std::mutex> lock(mutex);
    if (idle_handles.size() < options.max_idle_handles) idle_handles.push_back(std::move(handle));
  }

  Result<HttpResponse> Send(const HttpRequest& request) {
    const std::string context = request.method + " " + UrlForMessages(request.url);
    if (Status status = ValidateRequest(request); !status.ok()) {
      return status.WithContext(context);
    }
    Result<CurlHeaderList> headers = BuildHeaderList(request.headers);
    if (!headers.ok()) return headers.status().WithContext(context);

    // Declared before the handle so they outlive it on every path.
    Transfer transfer;
    char error_buffer[CURL_ERROR_SIZE] = {};
    EasyHandle handle = Acquire();
    if (handle == nullptr) return InternalError(context + ": curl_easy_init failed");

    CURLcode code = Configure(handle.get(), request, headers->get(), options.user_agent, &transfer,
                              error_buffer);
    if (code == CURLE_OK) code = curl_easy_perform(handle.get());
    if (code != CURLE_OK) {
      handle.reset();  // not pooled; see Release
      if (transfer.out_of_memory) return InternalError(context + ": out of memory");
      return TransportError(code, error_buffer, context);
    }
    long status = 0;
    curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
    Release(std::move(handle));
    transfer.response.status = static_cast<int>(status);
    return std::move(transfer.response);
  }
};

Result<std::unique_ptr<CurlHttpClient>> CurlHttpClient::Create(CurlHttpClientOptions options) {
  if (HasLineBreakOrNul(options.user_agent)) {
    return InvalidArgumentError("CurlHttpClientOptions.user_agent: must not contain CR, LF or NUL");
  }
  if (const CURLcode code = GlobalInitOnce(); code != CURLE_OK) {
    return InternalError(std::string("curl_global_init: ") + curl_easy_strerror(code));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  return std::unique_ptr<CurlHttpClient>(new CurlHttpClient(std::move(impl)));
}

CurlHttpClient::CurlHttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CurlHttpClient::~CurlHttpClient() = default;

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) noexcept {
  try {
    return impl_->Send(request);
  } catch (const std::bad_alloc&) {
    return InternalError("out of memory");  // short enough not to allocate again
  } catch (const std::exception& e) {
    return InternalError(std::string("http send: ") + e.what());
  } catch (...) {
    return InternalError("http send: unknown exception");
  }
}

}  // namespace llmtrace::http
