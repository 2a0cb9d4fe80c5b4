// LlmClient::Embed: one embeddings span around the attempts.
#include <utility>

#include "src/genai/llm_client_impl.h"
#include "src/genai/llm_wire.h"

namespace llmtrace::genai {

LlmResult<EmbeddingsResponse> LlmClient::Impl::Embed(std::string_view model,
                                                     std::span<const std::string> inputs) const {
  if (options.api != WireApi::kOpenAi) {
    return LlmError{.type = ErrorType::kInvalidRequest,
                    .message = "LlmClient::Embed: only the OpenAI wire API has embeddings"};
  }
  EmbeddingsSpan span = instrumentation->StartEmbeddings({.provider = options.provider,
                                                          .model = model,
                                                          .server_address = server_address,
                                                          .server_port = server_port,
                                                          .encoding_format = "float"});
  const http::HeaderList headers = Headers(span.context());
  const std::string url = Url("/embeddings");
  auto attempt = [&](AttemptContext& context) -> Outcome<EmbeddingsResponse> {
    Outcome<std::string> answer =
        Post({.url = url,
              .headers = headers,
              .body = internal::OpenAiEmbeddingsBody(context.model(), inputs),
              .timeout = options.timeout});
    if (!answer.ok()) return std::move(answer).error();
    EmbeddingsResponse response;
    Status parsed = internal::ParseOpenAiEmbeddings(answer.value(), response);
    if (!parsed.ok()) return LlmError{.type = ErrorType::kOther, .message = parsed.message()};
    return response;
  };
  int attempts = 0;
  Outcome<EmbeddingsResponse> outcome = [&] {
    trace::ContextScope scope = span.Activate();
    return Run<EmbeddingsResponse>(model, attempt, attempts);
  }();
  if (!outcome.ok()) {
    span.SetError(outcome.error());
    span.End();
    return outcome;
  }
  span.SetResponseModel(outcome.value().model);
  span.SetInputTokens(outcome.value().usage.input_tokens);
  span.End();
  return outcome;
}

}  // namespace llmtrace::genai
