#include "llmtrace/genai/llm_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "llmtrace/common/sleeper.h"
#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/trace/baggage.h"
#include "llmtrace/trace/propagation.h"
#include "test/genai/genai_test_util.h"
#include "test/support/loopback_http_server.h"

namespace llmtrace::genai {
namespace {

using ::llmtrace::testing::LoopbackHttpServer;
using testing::Attr;
using testing::GenAiPipeline;

// Advances the ManualClock by each wait instead of sleeping.
class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(ManualClock& clock) : clock_(clock) {}
  bool SleepFor(std::chrono::nanoseconds duration) noexcept override {
    waits.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(duration));
    clock_.Advance(duration);
    return true;
  }
  void Interrupt() noexcept override {}
  std::vector<std::chrono::milliseconds> waits;

 private:
  ManualClock& clock_;
};

constexpr std::string_view kChatAnswer = R"({
  "id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-2024-08-06",
  "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
    "role": "assistant", "content": "Checking.",
    "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}}],
  "usage": {"prompt_tokens": 1200, "completion_tokens": 80, "total_tokens": 1280,
            "prompt_tokens_details": {"cached_tokens": 1024},
            "completion_tokens_details": {"reasoning_tokens": 30}}})";

LoopbackHttpServer::Response Json(int status, std::string_view body,
                                  LoopbackHttpServer::Headers headers = {}) {
  headers.emplace_back("content-type", "application/json");
  return {.status = status, .headers = std::move(headers), .body = std::string(body)};
}

struct Harness {
  GenAiPipeline pipeline;
  std::shared_ptr<Instrumentation> genai;
  MapEnvironment env;
  std::unique_ptr<LoopbackHttpServer> server;
  std::unique_ptr<LlmClient> client;
  std::shared_ptr<FakeSleeper> sleeper = std::make_shared<FakeSleeper>(pipeline.clock);

  explicit Harness(LoopbackHttpServer::Handler handler, bool with_retry = false,
                   WireApi api = WireApi::kOpenAi,
                   std::shared_ptr<BudgetLedger> budgets = nullptr) {
    auto options = pipeline.Options();
    options.budgets = std::move(budgets);
    genai = pipeline.Create(std::move(options));
    server = std::make_unique<LoopbackHttpServer>(std::move(handler));
    EXPECT_TRUE(server->Start().ok());
    env.Set(api == WireApi::kAnthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY", "sk-test");
    env.Set(api == WireApi::kAnthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL",
            server->base_url() + "/v1/");
    LlmClientOptions client_options{.api = api, .instrumentation = genai, .environment = &env};
    if (with_retry) {
      client_options.retry = RetryOptions{.tracer_provider = pipeline.tracer_provider,
                                          .clock = &pipeline.clock,
                                          .sleeper = sleeper,
                                          .uniform01 = [] { return 0.0; }};
    }
    auto created = LlmClient::Create(std::move(client_options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (created.ok()) client = std::move(*created);
  }
};

ChatRequest WeatherRequest() {
  return ChatRequest{
      .model = "gpt-4o",
      .messages = {{.role = "system", .content = "Be brief."},
                   {.role = "user", .content = "Weather in \"Paris\"?"}},
      .tools = {{.name = "get_weather",
                 .description = "Current weather",
                 .parameters = R"({"type":"object","properties":{"city":{"type":"string"}}})"}},
      .tool_choice = R"("auto")",
      .max_tokens = 200,
      .temperature = 0.5,
      .seed = 7};
}

TEST(LlmClientTest, ChatSendsTheRequestAndParsesToolCallsAndCachedAndReasoningTokens) {
  Harness h([](const LoopbackHttpServer::Request&) { return Json(200, kChatAnswer); });
  auto answer = h.client->Chat(WeatherRequest());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value().id, "chatcmpl-1");
  EXPECT_EQ(answer.value().model, "gpt-4o-2024-08-06");
  EXPECT_EQ(answer.value().content, "Checking.");
  EXPECT_EQ(answer.value().finish_reason, "tool_calls");
  ASSERT_EQ(answer.value().tool_calls.size(), 1u);
  EXPECT_EQ(answer.value().tool_calls[0].id, "call_1");
  EXPECT_EQ(answer.value().tool_calls[0].name, "get_weather");
  EXPECT_EQ(answer.value().tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(answer.value().usage, (TokenUsage{.input_tokens = 1200,
                                              .output_tokens = 80,
                                              .cache_read_input_tokens = 1024,
                                              .reasoning_output_tokens = 30}));

  auto requests = h.server->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].Header("authorization").value_or(""), "Bearer sk-test");
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(requests[0].body);
  EXPECT_EQ(std::string_view(body["model"]), "gpt-4o");
  EXPECT_EQ(std::string_view(body["messages"].at(1)["content"]), "Weather in \"Paris\"?");
  EXPECT_EQ(std::string_view(body["messages"].at(0)["role"]), "system");
  EXPECT_EQ(std::string_view(body["tools"].at(0)["function"]["name"]), "get_weather");
  EXPECT_EQ(
      std::string_view(body["tools"].at(0)["function"]["parameters"]["properties"]["city"]["type"]),
      "string");
  EXPECT_EQ(std::string_view(body["tool_choice"]), "auto");
  EXPECT_EQ(int64_t(body["max_tokens"]), 200);
  EXPECT_EQ(double(body["temperature"]), 0.5);
  EXPECT_EQ(int64_t(body["seed"]), 7);
  EXPECT_TRUE(body["stream"].error() == simdjson::NO_SUCH_FIELD);

  auto span = h.pipeline.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "gen_ai.usage.input_tokens"), "1200");
  EXPECT_EQ(Attr(*span, "gen_ai.response.id"), "chatcmpl-1");
  EXPECT_EQ(Attr(*span, "server.address"), "127.0.0.1");
  EXPECT_EQ(Attr(*span, "server.port"), std::to_string(h.server->port()));
}

TEST(LlmClientTest, TraceparentIsTheInferenceSpanAndBaggageIsPropagated) {
  Harness h([](const LoopbackHttpServer::Request&) { return Json(200, kChatAnswer); });
  {
    trace::ContextScope scope(
        trace::Context().WithBaggage(trace::Baggage::Empty()->Set("user.id", "alice")));
    ASSERT_TRUE(h.client->Chat(WeatherRequest()).ok());
  }
  auto span = h.pipeline.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  auto requests = h.server->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("traceparent").value_or(""),
            trace::TraceContextPropagator::FormatTraceParent(span->context()));
  EXPECT_EQ(requests[0].Header("baggage").value_or(""), "user.id=alice");
}

TEST(LlmClientTest, StreamDeliversDeltasInOrderAndTakesUsageFromTheFinalChunk) {
  std::string sse =
      "data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
      "{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
      "\"id\":\"call_9\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
      "\"function\":{\"arguments\":\":1}\"}}]},\"finish_reason\":\"stop\"}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,"
      "\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":3}}}\n\n"
      "data: [DONE]\n\n";
  Harness h([&](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{
        .status = 200, .headers = {{"content-type", "text/event-stream"}}, .body = sse};
  });
  std::vector<std::string> deltas;
  auto answer = h.client->ChatStream({.model = "gpt-4o-mini", .messages = {{"user", "hi"}}},
                                     [&](std::string_view d) { deltas.emplace_back(d); });
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_THAT(deltas, ::testing::ElementsAre("Hel", "lo"));
  EXPECT_EQ(answer.value().content, "Hello");
  EXPECT_EQ(answer.value().finish_reason, "stop");
  EXPECT_EQ(answer.value().usage,
            (TokenUsage{.input_tokens = 11, .output_tokens = 2, .cache_read_input_tokens = 3}));
  ASSERT_EQ(answer.value().tool_calls.size(), 1u);
  EXPECT_EQ(answer.value().tool_calls[0].id, "call_9");
  EXPECT_EQ(answer.value().tool_calls[0].arguments, R"({"a":1})");

  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(h.server->requests().at(0).body);
  EXPECT_TRUE(bool(body["stream"]));
  EXPECT_TRUE(bool(body["stream_options"]["include_usage"]));
  auto span = h.pipeline.Span("chat gpt-4o-mini");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "gen_ai.usage.output_tokens"), "2");
  EXPECT_EQ(Attr(*span, "llmtrace.usage.source"), "");  // not "estimated"
  EXPECT_EQ(Attr(*span, "gen_ai.request.stream"), "true");
  EXPECT_TRUE(testing::HasAttr(*span, "gen_ai.response.time_to_first_chunk"));
}

TEST(LlmClientTest, AStreamCutAfterOutputIsAnErrorAndIsNotRetried) {
  Harness h(
      [](const LoopbackHttpServer::Request&) {
        return LoopbackHttpServer::Response{
            .body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n"};
      },
      /*with_retry=*/true);
  std::string seen;
  auto answer = h.client->ChatStream({.model = "gpt-4o", .messages = {{"user", "hi"}}},
                                     [&](std::string_view d) { seen.append(d); });
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().type, ErrorType::kNetwork);
  EXPECT_EQ(seen, "par");
  EXPECT_EQ(h.server->request_count(), 1u);  // output began: never repeated
  auto span = h.pipeline.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "error.type"), "network");
}

TEST(LlmClientTest, RateLimitWithRetryAfterIsRetriedAndTracedPerAttempt) {
  std::atomic<int> calls{0};
  Harness h(
      [&](const LoopbackHttpServer::Request&) {
        if (calls.fetch_add(1) == 0) {
          return Json(429,
                      R"({"error":{"message":"Rate limit reached","type":"requests",)"
                      R"("code":"rate_limit_exceeded"}})",
                      {{"retry-after", "2"}});
        }
        return Json(200, kChatAnswer);
      },
      /*with_retry=*/true);
  auto answer = h.client->Chat(WeatherRequest());
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value().attempts, 2);
  EXPECT_EQ(h.server->request_count(), 2u);
  EXPECT_THAT(h.sleeper->waits, ::testing::ElementsAre(std::chrono::milliseconds(2000)));
  int attempt_spans = 0;
  auto inference = h.pipeline.Span("chat gpt-4o");
  ASSERT_NE(inference, nullptr);
  for (const auto& span : h.pipeline.spans->Spans()) {
    if (span->name() == "retry_attempt gpt-4o") {
      ++attempt_spans;
      EXPECT_EQ(span->context().trace_id(), inference->context().trace_id());
    }
  }
  EXPECT_EQ(attempt_spans, 2);
}

TEST(LlmClientTest, InvalidKeyIsNotRetriedAndKeepsTheProviderMessage) {
  Harness h(
      [](const LoopbackHttpServer::Request&) {
        return Json(401, R"({"error":{"message":"Incorrect API key provided",)"
                         R"("type":"invalid_request_error","code":"invalid_api_key"}})");
      },
      /*with_retry=*/true);
  auto answer = h.client->Chat(WeatherRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().type, ErrorType::kInvalidApiKey);
  EXPECT_EQ(answer.error().http_status, 401);
  EXPECT_THAT(answer.error().message, ::testing::HasSubstr("Incorrect API key"));
  EXPECT_EQ(h.server->request_count(), 1u);
  auto span = h.pipeline.Span("chat gpt-4o");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "error.type"), "invalid_api_key");
}

TEST(LlmClientTest, ConnectionRefusedIsANetworkError) {
  std::string dead_url;
  {
    LoopbackHttpServer gone;
    ASSERT_TRUE(gone.Start().ok());
    dead_url = gone.base_url();
  }  // stopped: nothing listens on that port any more
  auto client = LlmClient::Create({.base_url = dead_url, .api_key = "k"});
  ASSERT_TRUE(client.ok());
  auto answer = (*client)->Chat(WeatherRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().type, ErrorType::kNetwork);
  auto streamed = (*client)->ChatStream(WeatherRequest(), [](std::string_view) {});
  ASSERT_FALSE(streamed.ok());
  EXPECT_EQ(streamed.error().type, ErrorType::kNetwork);
}

TEST(LlmClientTest, ContentFilterFinishIsReturnedAsAnError) {
  Harness h([](const LoopbackHttpServer::Request&) {
    return Json(200, R"({"id":"x","model":"gpt-4o","choices":[{"index":0,)"
                     R"("finish_reason":"content_filter","message":{"content":""}}],)"
                     R"("usage":{"prompt_tokens":5,"completion_tokens":0}})");
  });
  auto answer = h.client->Chat(WeatherRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().type, ErrorType::kContentFilter);
}

TEST(LlmClientTest, BudgetRefusalIsNotSent) {
  auto ledger = BudgetLedger::Create({.budgets = {{.name = "tiny", .limit_tokens = 10}}});
  ASSERT_TRUE(ledger.ok());
  Harness h([](const LoopbackHttpServer::Request&) { return Json(200, kChatAnswer); },
            /*with_retry=*/false, WireApi::kOpenAi, *ledger);
  auto answer = h.client->Chat(WeatherRequest());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().type, ErrorType::kBudgetExceeded);
  EXPECT_EQ(h.server->request_count(), 0u);
}

TEST(LlmClientTest, EmbeddingsAreParsedInInputOrderWithUsage) {
  Harness h([](const LoopbackHttpServer::Request&) {
    return Json(200, R"({"object":"list","model":"text-embedding-3-small","data":[)"
                     R"({"index":1,"embedding":[0.5,-1]},{"index":0,"embedding":[0.25,2]}],)"
                     R"("usage":{"prompt_tokens":9,"total_tokens":9}})");
  });
  std::vector<std::string> inputs = {"a", "b"};
  auto answer = h.client->Embed("text-embedding-3-small", inputs);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  ASSERT_EQ(answer.value().embeddings.size(), 2u);
  EXPECT_THAT(answer.value().embeddings[0], ::testing::ElementsAre(0.25f, 2.0f));
  EXPECT_THAT(answer.value().embeddings[1], ::testing::ElementsAre(0.5f, -1.0f));
  EXPECT_EQ(answer.value().usage.input_tokens, 9);
  auto request = h.server->requests().at(0);
  EXPECT_EQ(request.target, "/v1/embeddings");
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(request.body);
  EXPECT_EQ(std::string_view(body["input"].at(1)), "b");
  auto span = h.pipeline.Span("embeddings text-embedding-3-small");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(request.Header("traceparent").value_or(""),
            trace::TraceContextPropagator::FormatTraceParent(span->context()));
}

TEST(LlmClientTest, AnthropicMessagesNormaliseCacheTokensToTheInclusiveConvention) {
  Harness h(
      [](const LoopbackHttpServer::Request&) {
        return Json(200, R"({"id":"msg_1","type":"message","model":"claude-sonnet-4",)"
                         R"("stop_reason":"tool_use","content":[{"type":"text","text":"Sure."},)"
                         R"({"type":"tool_use","id":"tu_1","name":"get_weather",)"
                         R"("input":{"city":"Paris"}}],"usage":{"input_tokens":25,)"
                         R"("cache_read_input_tokens":1000,"cache_creation_input_tokens":50,)"
                         R"("output_tokens":80}})");
      },
      /*with_retry=*/false, WireApi::kAnthropic);
  ChatRequest request = WeatherRequest();
  request.model = "claude-sonnet-4";
  auto answer = h.client->Chat(request);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value().content, "Sure.");
  ASSERT_EQ(answer.value().tool_calls.size(), 1u);
  EXPECT_EQ(answer.value().tool_calls[0].arguments, R"({"city":"Paris"})");
  EXPECT_EQ(answer.value().usage, TokenUsage::FromExclusiveInput(25, 1000, 50, 80));
  auto sent = h.server->requests().at(0);
  EXPECT_EQ(sent.target, "/v1/messages");
  EXPECT_EQ(sent.Header("x-api-key").value_or(""), "sk-test");
  EXPECT_EQ(sent.Header("anthropic-version").value_or(""), "2023-06-01");
  EXPECT_FALSE(sent.Header("authorization").has_value());
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(sent.body);
  EXPECT_EQ(std::string_view(body["system"]), "Be brief.");
  EXPECT_EQ(body["messages"].get_array().size(), 1u);
  EXPECT_EQ(std::string_view(body["tools"].at(0)["input_schema"]["type"]), "object");
  auto span = h.pipeline.Span("chat claude-sonnet-4");
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(Attr(*span, "gen_ai.provider.name"), "anthropic");
  EXPECT_EQ(Attr(*span, "gen_ai.usage.input_tokens"), "1075");
}

TEST(LlmClientTest, AnthropicStreamDeliversTextDeltasAndUsageFromItsEvents) {
  std::string sse =
      "event: message_start\n"
      "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"model\":"
      "\"claude-sonnet-4\",\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":100,"
      "\"output_tokens\":1}}}\n\n"
      "event: content_block_delta\n"
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
      "\"text\":\"Bon\"}}\n\n"
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
      "\"text\":\"jour\"}}\n\n"
      "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":"
      "\"tool_use\",\"id\":\"tu_2\",\"name\":\"f\",\"input\":{}}}\n\n"
      "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
      "\"input_json_delta\",\"partial_json\":\"{\\\"x\\\":2}\"}}\n\n"
      "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
      "\"usage\":{\"output_tokens\":12}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  Harness h(
      [&](const LoopbackHttpServer::Request&) { return LoopbackHttpServer::Response{.body = sse}; },
      /*with_retry=*/false, WireApi::kAnthropic);
  std::vector<std::string> deltas;
  auto answer = h.client->ChatStream({.model = "claude-sonnet-4", .messages = {{"user", "hi"}}},
                                     [&](std::string_view d) { deltas.emplace_back(d); });
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_THAT(deltas, ::testing::ElementsAre("Bon", "jour"));
  EXPECT_EQ(answer.value().id, "msg_2");
  EXPECT_EQ(answer.value().finish_reason, "tool_use");
  EXPECT_EQ(answer.value().usage, TokenUsage::FromExclusiveInput(10, 100, 0, 12));
  ASSERT_EQ(answer.value().tool_calls.size(), 1u);
  EXPECT_EQ(answer.value().tool_calls[0].arguments, R"({"x":2})");
  simdjson::dom::parser parser;
  simdjson::dom::element body = parser.parse(h.server->requests().at(0).body);
  EXPECT_TRUE(bool(body["stream"]));
  EXPECT_EQ(int64_t(body["max_tokens"]), 1024);
}

TEST(LlmClientTest, AStreamRefusedBeforeAnyOutputIsRetried) {
  std::atomic<int> calls{0};
  Harness h(
      [&](const LoopbackHttpServer::Request&) {
        if (calls.fetch_add(1) == 0) {
          return Json(503, R"({"error":{"message":"overloaded","type":"server_error"}})");
        }
        return LoopbackHttpServer::Response{
            .body =
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},"
                "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"};
      },
      /*with_retry=*/true);
  std::string seen;
  auto answer = h.client->ChatStream({.model = "gpt-4o", .messages = {{"user", "hi"}}},
                                     [&](std::string_view d) { seen.append(d); });
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(seen, "ok");
  EXPECT_EQ(answer.value().attempts, 2);
}

TEST(LlmClientTest, ABaseUrlWithoutHttpSchemeIsRefusedNamingTheField) {
  auto client = LlmClient::Create({.base_url = "ftp://example.com"});
  ASSERT_FALSE(client.ok());
  EXPECT_THAT(client.status().message(), ::testing::HasSubstr("base_url"));
}

}  // namespace
}  // namespace llmtrace::genai
