// LlmClient::Chat and ChatStream: one inference span around the attempts, the stream folded as
// it arrives.
#include <utility>
#include <vector>

#include "src/genai/llm_client_impl.h"
#include "src/genai/llm_wire.h"
#include "src/genai/streaming_http.h"

namespace llmtrace::genai {
namespace {

using OnDelta = std::function<void(std::string_view)>;

// One streamed attempt. Content deltas go to the span (time to first chunk) and the caller as
// they arrive; the first one marks output as begun so the attempt is never repeated.
template <typename Accumulator>
Outcome<ChatResponse> StreamAttempt(const LlmClient::Impl& client, const http::HttpRequest& request,
                                    AttemptContext& attempt, InferenceSpan& span,
                                    const OnDelta& on_delta) {
  Accumulator accumulator;
  internal::SseParser sse;
  std::string stream_error_event;  // the raw `data:` of an error event, for the classifier
  Status failure;
  auto on_event = [&](std::string_view data) {
    if (!failure.ok() || accumulator.done()) return;
    typename Accumulator::Chunk chunk;
    failure = accumulator.Add(data, chunk);
    if (!failure.ok()) {
      if (!accumulator.stream_error().empty()) stream_error_event = std::string(data);
      return;
    }
    if (chunk.has_choice) span.OnChunk(chunk.content);
    if (chunk.content.empty()) return;
    attempt.MarkOutputBegan();
    try {
      on_delta(chunk.content);
    } catch (...) {
      failure = InternalError("the on_delta callback threw");
    }
  };
  auto sent = internal::SendStreaming(request, [&](std::string_view bytes) {
    sse.Feed(bytes, on_event);
    return failure.ok();
  });
  if (!sent.ok()) return client.TransportError(sent.status());
  if (sent->status < 200 || sent->status >= 300) {
    return client.HttpError(sent->status, sent->error_body, sent->headers);
  }
  if (sent->transport.ok()) sse.Finish(on_event);
  if (!stream_error_event.empty()) {
    return ClassifyHttpError({.body = stream_error_event, .provider = client.options.provider});
  }
  if (!failure.ok()) return LlmError{.type = ErrorType::kOther, .message = failure.message()};
  // A stream that stopped before its end: the connection broke, or the server hung up early.
  if (!accumulator.done() && !(sent->transport.ok() && accumulator.finished())) {
    if (!sent->transport.ok()) return client.TransportError(sent->transport);
    return ClassifyTransportFailure(TransportFailure::kReset,
                                    "the stream ended before its last chunk");
  }
  return accumulator.Take();
}

}  // namespace

LlmResult<ChatResponse> LlmClient::Impl::Chat(const ChatRequest& request,
                                              const OnDelta* on_delta) const {
  const bool stream = on_delta != nullptr;
  const bool anthropic = options.api == WireApi::kAnthropic;
  std::vector<Message> messages;
  messages.reserve(request.messages.size());
  for (const ChatMessage& m : request.messages) {
    messages.push_back({m.role, m.content, m.tool_call_id});
  }
  std::vector<std::string_view> stop(request.stop.begin(), request.stop.end());
  InferenceRequest inference;
  inference.provider = options.provider;
  inference.model = request.model;
  inference.server_address = server_address;
  inference.server_port = server_port;
  inference.max_tokens = request.max_tokens;
  inference.temperature = request.temperature;
  inference.top_p = request.top_p;
  inference.stop_sequences = stop;
  inference.seed = request.seed;
  inference.stream = stream;
  if (!request.response_format.empty()) inference.output_type = "json";
  inference.messages = messages;
  inference.metadata = request.metadata;

  InferenceSpan span = instrumentation->StartInference(inference);
  if (!span.admitted()) {
    // Refused before anything was sent; the span already says budget_exceeded.
    LlmError refused{.type = ErrorType::kBudgetExceeded, .message = span.admission().message()};
    span.End();
    return refused;
  }
  const http::HeaderList headers = Headers(span.context());
  const std::string url = Url(anthropic ? "/messages" : "/chat/completions");
  std::string body;
  std::string body_model;
  auto attempt = [&](AttemptContext& context) -> Outcome<ChatResponse> {
    // A fallback model needs its own body.
    if (body.empty() || body_model != context.model()) {
      body_model = std::string(context.model());
      body = anthropic ? internal::AnthropicMessagesBody(
                             request, body_model, options.anthropic_default_max_tokens, stream)
                       : internal::OpenAiChatBody(request, body_model, stream);
    }
    http::HttpRequest http_request{
        .url = url, .headers = headers, .body = body, .timeout = options.timeout};
    if (stream && anthropic) {
      return StreamAttempt<internal::AnthropicStreamAccumulator>(*this, http_request, context, span,
                                                                 *on_delta);
    }
    if (stream) {
      return StreamAttempt<internal::OpenAiStreamAccumulator>(*this, http_request, context, span,
                                                              *on_delta);
    }
    Outcome<std::string> answer = Post(http_request);
    if (!answer.ok()) return std::move(answer).error();
    ChatResponse response;
    Status parsed = anthropic ? internal::ParseAnthropicMessages(answer.value(), response)
                              : internal::ParseOpenAiChat(answer.value(), response);
    if (!parsed.ok()) return LlmError{.type = ErrorType::kOther, .message = parsed.message()};
    return response;
  };
  int attempts = 0;
  Outcome<ChatResponse> outcome = [&] {
    // Attempt spans nest under the inference span.
    trace::ContextScope scope = span.Activate();
    return Run<ChatResponse>(request.model, attempt, attempts);
  }();
  if (!outcome.ok()) {
    span.SetError(outcome.error());
    span.End();
    return outcome;
  }
  ChatResponse response = std::move(outcome).value();
  response.attempts = attempts;
  span.SetResponseId(response.id);
  span.SetResponseModel(response.model);
  if (!response.finish_reason.empty()) span.AddFinishReason(response.finish_reason);
  span.SetUsage(response.usage);
  if (!stream) span.SetOutput(response.content);
  std::vector<std::string> reasons;
  if (!response.finish_reason.empty()) reasons.push_back(response.finish_reason);
  if (auto failed = ClassifyFinish(std::span<const std::string>(reasons), !response.content.empty(),
                                   !response.tool_calls.empty())) {
    LlmError error{.type = *failed,
                   .message = response.finish_reason.empty()
                                  ? std::string("the response has no content and no tool call")
                                  : "finish reason " + response.finish_reason};
    span.SetError(error);
    span.End();
    return error;
  }
  span.End();
  return response;
}

}  // namespace llmtrace::genai
