// LlmClient's shared state and the steps every call type shares: headers with credentials and
// trace context, one attempt's failure classified, and the attempts run (through the retry
// executor when one is configured).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "llmtrace/genai/error_classifier.h"
#include "llmtrace/genai/llm_client.h"
#include "llmtrace/http/http_client.h"
#include "llmtrace/trace/propagation.h"

namespace llmtrace::genai {

struct LlmClient::Impl {
  LlmClientOptions options;
  std::shared_ptr<Instrumentation> instrumentation;  // never null (a no-op one when off)
  std::shared_ptr<http::HttpClient> http;
  std::optional<RetryExecutor> retry;
  std::string server_address;
  std::int64_t server_port = 0;
  std::unique_ptr<trace::TextMapPropagator> propagator;

  // Content type, credentials, the extra headers, then traceparent/baggage of `context`.
  http::HeaderList Headers(const trace::Context& context) const;
  std::string Url(std::string_view path) const { return options.base_url + std::string(path); }
  LlmError TransportError(const Status& status) const noexcept;
  LlmError HttpError(int status, std::string_view body,
                     const http::HeaderList& headers) const noexcept;
  // One whole-body POST: the response body on 2xx, else the classified error.
  Outcome<std::string> Post(const http::HttpRequest& request) const noexcept;

  // Runs `op` (Outcome<T>(AttemptContext&)) once, or through the retry executor.
  template <typename T, typename Op>
  Outcome<T> Run(std::string_view model, Op& op, int& attempts) const noexcept {
    if (retry) {
      auto result = retry->Execute(model, op);
      attempts = result.summary().attempts;
      if (result.ok()) return std::move(result).value();
      return result.error();
    }
    attempts = 1;
    AttemptContext context(1, 1, model, false, MonotonicTime::max());
    try {
      return op(context);
    } catch (...) {
      return LlmError{.type = ErrorType::kOther, .message = "the call threw"};
    }
  }

  LlmResult<ChatResponse> Chat(const ChatRequest& request,
                               const std::function<void(std::string_view)>* on_delta) const;
  LlmResult<EmbeddingsResponse> Embed(std::string_view model,
                                      std::span<const std::string> inputs) const;
};

}  // namespace llmtrace::genai
