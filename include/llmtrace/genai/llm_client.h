// LlmClient: an instrumented client for OpenAI-compatible chat completions (whole or streamed),
// embeddings, and Anthropic messages. Every call it makes is traced, measured, priced, budgeted,
// retried and classified by the Instrumentation it is given, with no code at the call site.
//
// Each call starts an inference (or embeddings) span with the request's semantic-convention
// attributes, refuses it without sending when a hard budget says no, injects the span's W3C
// traceparent and baggage into the request so a provider-side or gateway span becomes its child,
// sends it through the retry executor when one is configured (a `retry_attempt` span per
// attempt), parses the answer into typed structs, records the usage the API reported (streams
// ask for it with stream_options.include_usage: counts are never estimated), and ends the span
// (cost, metrics, budget settlement, the call's log record). Failures come back as an LlmError of
// the taxonomy in error_type.h with the provider's own message; nothing throws. docs/llm-client.md
// has the details and the limits.
// Thread-safety: an LlmClient may be used from any number of threads at once; a streaming
// callback runs on the calling thread, before ChatStream returns.
//
//   auto client = *LlmClient::Create({.instrumentation = genai});  // OPENAI_API_KEY etc.
//   auto answer = client->Chat({.model = "gpt-4o", .messages = {{.role = "user", .content = q}}});
//   if (answer.ok()) Print(answer.value().content); else Print(ToString(answer.error().type));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/result.h"
#include "llmtrace/genai/error_type.h"
#include "llmtrace/genai/inference_span.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/retry_executor.h"
#include "llmtrace/genai/token_usage.h"
#include "llmtrace/http/http_client.h"

namespace llmtrace::genai {

// A value or the classified error of the call (the retry executor's Outcome): never throws;
// value() of an error aborts, as with Result.
template <typename T>
using LlmResult = Outcome<T>;

// Which wire protocol the base URL speaks.
enum class WireApi {
  kOpenAi,     // POST {base}/chat/completions and {base}/embeddings, Bearer key
  kAnthropic,  // POST {base}/messages, x-api-key + anthropic-version
};

struct LlmClientOptions {
  WireApi api = WireApi::kOpenAi;
  // "": OPENAI_BASE_URL (ANTHROPIC_BASE_URL), else https://api.openai.com/v1
  // (https://api.anthropic.com/v1).
  std::string base_url;
  // "": OPENAI_API_KEY (ANTHROPIC_API_KEY); still empty: no credential header is sent.
  std::string api_key;
  // gen_ai.provider.name; "": "openai" ("anthropic").
  std::string provider;
  // Bounds each attempt's whole exchange (a stream included).
  std::chrono::milliseconds timeout{60'000};
  // Sent with every request (after the credentials, before the trace headers).
  http::HeaderList extra_headers;
  std::string anthropic_version = "2023-06-01";
  // Anthropic requires max_tokens; used when the request sets none.
  std::int64_t anthropic_default_max_tokens = 1024;
  // Null: no telemetry (calls still work, and still come back classified).
  std::shared_ptr<Instrumentation> instrumentation;
  // Set: every call goes through a RetryExecutor built from these (give it a tracer_provider
  // for the attempt spans). Unset: one attempt.
  std::optional<RetryOptions> retry;
  // Whole-body transport for the non-streamed calls; null: a CurlHttpClient. Streams always
  // use libcurl directly (they need the body as it arrives).
  std::shared_ptr<http::HttpClient> http_client;
  // Where the defaults above are read; null: the process environment.
  const Environment* environment = nullptr;
  // Inject traceparent/tracestate and baggage into each request.
  bool propagate_context = true;
};

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON text, as the model wrote it
};

struct ChatMessage {
  std::string role;  // system | user | assistant | tool
  std::string content;
  std::string tool_call_id;          // role "tool": the call this message answers
  std::vector<ToolCall> tool_calls;  // role "assistant": the calls it made
};

struct ToolDefinition {
  std::string name;
  std::string description;
  std::string parameters;  // a JSON Schema object, as JSON text; "": {"type":"object"}
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  std::vector<ToolDefinition> tools;
  std::string tool_choice;      // raw JSON ("\"auto\"", {"type":"function",...}); "": unset
  std::string response_format;  // raw JSON ({"type":"json_object"}); "": unset (OpenAI only)
  std::optional<std::int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::vector<std::string> stop;
  std::optional<std::int64_t> seed;
  // Who the call is for (spans, log record, budgets); views that must outlive the call.
  CallMetadata metadata;
};

struct ChatResponse {
  std::string id;
  std::string model;  // the model that answered
  std::string content;
  std::vector<ToolCall> tool_calls;
  std::string finish_reason;  // as the provider wrote it ("stop", "tool_calls", "end_turn", ...)
  TokenUsage usage;           // inclusive convention (token_usage.h), from the API
  int attempts = 1;           // including retries
};

struct EmbeddingsResponse {
  std::string model;
  std::vector<std::vector<float>> embeddings;  // one per input, in input order
  TokenUsage usage;                            // input_tokens only
};

class LlmClient {
 public:
  // Fills the defaults from the environment and validates the base URL; errors name the field.
  static Result<std::unique_ptr<LlmClient>> Create(LlmClientOptions options);
  ~LlmClient();

  LlmResult<ChatResponse> Chat(const ChatRequest& request) const noexcept;
  // Streams: `on_delta` gets each piece of content text, in order, as it arrives (on the calling
  // thread); the returned response holds the whole text, the tool calls and the API's usage.
  // Once a delta has been delivered the call is never retried; a stream that breaks after that
  // returns the error (the span keeps the partial output).
  LlmResult<ChatResponse> ChatStream(
      const ChatRequest& request,
      const std::function<void(std::string_view)>& on_delta) const noexcept;
  // OpenAI wire API only.
  LlmResult<EmbeddingsResponse> Embed(std::string_view model,
                                      std::span<const std::string> inputs) const noexcept;

  const LlmClientOptions& options() const noexcept;

  struct Impl;

 private:
  explicit LlmClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmtrace::genai
