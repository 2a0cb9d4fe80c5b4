#include "llmtrace/genai/llm_client.h"

#include <utility>
#include <vector>

#include "llmtrace/http/curl_http_client.h"
#include "src/genai/llm_client_impl.h"

namespace llmtrace::genai {
namespace {

constexpr std::string_view kOpenAiDefaultBase = "https://api.openai.com/v1";
constexpr std::string_view kAnthropicDefaultBase = "https://api.anthropic.com/v1";

// "https://host:port/path" -> host and port (the scheme's default when none is given).
Status SplitBaseUrl(std::string_view url, std::string& host, std::int64_t& port) {
  std::int64_t default_port = 0;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
    default_port = 443;
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
    default_port = 80;
  } else {
    return InvalidArgumentError("LlmClientOptions.base_url: expected http:// or https://, got '" +
                                std::string(url) + "'");
  }
  std::string_view authority = url.substr(0, url.find('/'));
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);  // never keep credentials
  }
  port = default_port;
  std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view digits = authority.substr(colon + 1);
    std::int64_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9' || value > 65535) {
        return InvalidArgumentError("LlmClientOptions.base_url: bad port '" + std::string(digits) +
                                    "'");
      }
      value = value * 10 + (c - '0');
    }
    if (!digits.empty()) port = value;
    authority = authority.substr(0, colon);
  }
  if (authority.size() > 1 && authority.front() == '[') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty()) return InvalidArgumentError("LlmClientOptions.base_url: no host");
  host = std::string(authority);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<LlmClient>> LlmClient::Create(LlmClientOptions options) {
  const Environment& env =
      options.environment != nullptr ? *options.environment : ProcessEnvironment::Instance();
  EnvironmentReader reader(env);
  const bool anthropic = options.api == WireApi::kAnthropic;
  if (options.base_url.empty()) {
    options.base_url =
        reader.GetString(anthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL")
            .value_or(std::string(anthropic ? kAnthropicDefaultBase : kOpenAiDefaultBase));
  }
  while (!options.base_url.empty() && options.base_url.back() == '/') options.base_url.pop_back();
  if (options.api_key.empty()) {
    options.api_key =
        reader.GetString(anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY").value_or("");
  }
  if (options.provider.empty()) options.provider = anthropic ? "anthropic" : "openai";
  if (options.timeout.count() <= 0) {
    return InvalidArgumentError("LlmClientOptions.timeout: must be positive");
  }
  auto impl = std::make_unique<Impl>();
  if (Status s = SplitBaseUrl(options.base_url, impl->server_address, impl->server_port); !s.ok()) {
    return s;
  }
  impl->instrumentation = options.instrumentation;
  if (impl->instrumentation == nullptr) {
    // Every part off: the spans it hands out record nothing.
    auto none = Instrumentation::Create({});
    if (!none.ok()) return none.status().WithContext("LlmClient");
    impl->instrumentation = *none;
  }
  impl->http = options.http_client;
  if (impl->http == nullptr) {
    auto curl = http::CurlHttpClient::Create();
    if (!curl.ok()) return curl.status().WithContext("LlmClient");
    impl->http = std::shared_ptr<http::HttpClient>(std::move(*curl));
  }
  if (options.retry) {
    auto retry = RetryExecutor::Create(*options.retry);
    if (!retry.ok()) return retry.status().WithContext("LlmClientOptions.retry");
    impl->retry.emplace(std::move(*retry));
  }
  std::vector<std::unique_ptr<trace::TextMapPropagator>> propagators;
  propagators.push_back(std::make_unique<trace::TraceContextPropagator>());
  propagators.push_back(std::make_unique<trace::BaggagePropagator>());
  impl->propagator = std::make_unique<trace::CompositePropagator>(std::move(propagators));
  impl->options = std::move(options);
  return std::unique_ptr<LlmClient>(new LlmClient(std::move(impl)));
}

LlmClient::LlmClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LlmClient::~LlmClient() = default;

const LlmClientOptions& LlmClient::options() const noexcept { return impl_->options; }

LlmResult<ChatResponse> LlmClient::Chat(const ChatRequest& request) const noexcept {
  try {
    return impl_->Chat(request, nullptr);
  } catch (...) {
    return LlmError{.type = ErrorType::kOther, .message = "LlmClient::Chat: out of memory"};
  }
}

LlmResult<ChatResponse> LlmClient::ChatStream(
    const ChatRequest& request,
    const std::function<void(std::string_view)>& on_delta) const noexcept {
  try {
    return impl_->Chat(request, &on_delta);
  } catch (...) {
    return LlmError{.type = ErrorType::kOther, .message = "LlmClient::ChatStream: out of memory"};
  }
}

LlmResult<EmbeddingsResponse> LlmClient::Embed(std::string_view model,
                                               std::span<const std::string> inputs) const noexcept {
  try {
    return impl_->Embed(model, inputs);
  } catch (...) {
    return LlmError{.type = ErrorType::kOther, .message = "LlmClient::Embed: out of memory"};
  }
}

http::HeaderList LlmClient::Impl::Headers(const trace::Context& context) const {
  http::HeaderList headers = {{"content-type", "application/json"}};
  if (options.api == WireApi::kAnthropic) {
    if (!options.api_key.empty()) headers.emplace_back("x-api-key", options.api_key);
    headers.emplace_back("anthropic-version", options.anthropic_version);
  } else if (!options.api_key.empty()) {
    headers.emplace_back("authorization", "Bearer " + options.api_key);
  }
  headers.insert(headers.end(), options.extra_headers.begin(), options.extra_headers.end());
  if (options.propagate_context) {
    trace::HeaderMapCarrier carrier;
    propagator->Inject(context, carrier);
    for (auto& header : carrier.TakeHeaders()) headers.push_back(std::move(header));
  }
  return headers;
}

LlmError LlmClient::Impl::TransportError(const Status& status) const noexcept {
  TransportFailure failure = TransportFailure::kOther;
  if (status.code() == StatusCode::kDeadlineExceeded) failure = TransportFailure::kTimeout;
  if (status.code() == StatusCode::kUnavailable) failure = TransportFailure::kConnect;
  return ClassifyTransportFailure(failure, status.message());
}

LlmError LlmClient::Impl::HttpError(int status, std::string_view body,
                                    const http::HeaderList& headers) const noexcept {
  std::vector<HttpHeader> views;
  try {
    views.reserve(headers.size());
    for (const auto& [name, value] : headers) views.push_back({name, value});
  } catch (...) {
    views.clear();  // classified from the status and body alone
  }
  return ClassifyHttpError(
      {.status = status, .body = body, .headers = views, .provider = options.provider});
}

Outcome<std::string> LlmClient::Impl::Post(const http::HttpRequest& request) const noexcept {
  Result<http::HttpResponse> response = http->Send(request);
  if (!response.ok()) return TransportError(response.status());
  if (response->status < 200 || response->status >= 300) {
    return HttpError(response->status, response->body, response->headers);
  }
  return std::move(response->body);
}

}  // namespace llmtrace::genai
