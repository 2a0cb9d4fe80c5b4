#include "src/genai/llm_wire.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <utility>

#include "src/genai/json_text.h"

namespace llmtrace::genai::internal {
namespace {

void AppendKey(std::string& out, std::string_view key) {
  if (out.back() != '{') out.push_back(',');
  AppendJsonString(out, key);
  out.push_back(':');
}

void AppendStringField(std::string& out, std::string_view key, std::string_view value) {
  AppendKey(out, key);
  AppendJsonString(out, value);
}

void AppendRawField(std::string& out, std::string_view key, std::string_view json) {
  AppendKey(out, key);
  out.append(json);
}

void AppendIntField(std::string& out, std::string_view key, std::int64_t value) {
  AppendKey(out, key);
  out.append(std::to_string(value));
}

void AppendDoubleField(std::string& out, std::string_view key, double value) {
  AppendKey(out, key);
  if (!std::isfinite(value)) value = 0;  // JSON has no NaN or infinity
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
  out.append(text, ec == std::errc() ? end : text);
}

void AppendStringArray(std::string& out, std::span<const std::string> values) {
  out.push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(out, values[i]);
  }
  out.push_back(']');
}

std::string_view SchemaOrDefault(std::string_view parameters) {
  return parameters.empty() ? std::string_view(R"({"type":"object"})") : parameters;
}

void AppendSamplingFields(std::string& out, const ChatRequest& request) {
  if (request.temperature) AppendDoubleField(out, "temperature", *request.temperature);
  if (request.top_p) AppendDoubleField(out, "top_p", *request.top_p);
}

// simdjson helpers: absent or mistyped fields read as empty / zero.
std::string_view StringOf(simdjson::dom::element e, std::string_view key) {
  std::string_view value;
  if (e[key].get_string().get(value) != simdjson::SUCCESS) return {};
  return value;
}

std::int64_t IntOf(simdjson::dom::element e, std::string_view key) {
  std::int64_t value = 0;
  if (e[key].get_int64().get(value) != simdjson::SUCCESS) return 0;
  return value;
}

TokenUsage OpenAiUsage(simdjson::dom::element usage) {
  TokenUsage out;
  out.input_tokens = IntOf(usage, "prompt_tokens");
  out.output_tokens = IntOf(usage, "completion_tokens");
  simdjson::dom::element details;
  if (usage["prompt_tokens_details"].get(details) == simdjson::SUCCESS) {
    out.cache_read_input_tokens = IntOf(details, "cached_tokens");
  }
  if (usage["completion_tokens_details"].get(details) == simdjson::SUCCESS) {
    out.reasoning_output_tokens = IntOf(details, "reasoning_tokens");
  }
  return out;
}

Status Malformed(std::string_view what, std::string_view detail) {
  return InvalidArgumentError(std::string(what) + ": " + std::string(detail));
}

}  // namespace

std::string OpenAiChatBody(const ChatRequest& request, std::string_view model, bool stream) {
  std::string out = "{";
  AppendStringField(out, "model", model);
  AppendKey(out, "messages");
  out.push_back('[');
  for (std::size_t i = 0; i < request.messages.size(); ++i) {
    const ChatMessage& m = request.messages[i];
    if (i > 0) out.push_back(',');
    out.push_back('{');
    AppendStringField(out, "role", m.role);
    // An assistant turn that only called tools has null content.
    if (m.content.empty() && !m.tool_calls.empty()) {
      AppendRawField(out, "content", "null");
    } else {
      AppendStringField(out, "content", m.content);
    }
    if (!m.tool_call_id.empty()) AppendStringField(out, "tool_call_id", m.tool_call_id);
    if (!m.tool_calls.empty()) {
      AppendKey(out, "tool_calls");
      out.push_back('[');
      for (std::size_t t = 0; t < m.tool_calls.size(); ++t) {
        if (t > 0) out.push_back(',');
        out.push_back('{');
        AppendStringField(out, "id", m.tool_calls[t].id);
        AppendStringField(out, "type", "function");
        AppendKey(out, "function");
        out.push_back('{');
        AppendStringField(out, "name", m.tool_calls[t].name);
        AppendStringField(out, "arguments", m.tool_calls[t].arguments);
        out.append("}}");
      }
      out.push_back(']');
    }
    out.push_back('}');
  }
  out.push_back(']');
  if (!request.tools.empty()) {
    AppendKey(out, "tools");
    out.push_back('[');
    for (std::size_t i = 0; i < request.tools.size(); ++i) {
      const ToolDefinition& tool = request.tools[i];
      if (i > 0) out.push_back(',');
      out.append(R"({"type":"function","function":{)");
      AppendStringField(out, "name", tool.name);
      if (!tool.description.empty()) AppendStringField(out, "description", tool.description);
      AppendRawField(out, "parameters", SchemaOrDefault(tool.parameters));
      out.append("}}");
    }
    out.push_back(']');
  }
  if (!request.tool_choice.empty()) AppendRawField(out, "tool_choice", request.tool_choice);
  if (!request.response_format.empty()) {
    AppendRawField(out, "response_format", request.response_format);
  }
  if (request.max_tokens) AppendIntField(out, "max_tokens", *request.max_tokens);
  AppendSamplingFields(out, request);
  if (!request.stop.empty()) {
    AppendKey(out, "stop");
    AppendStringArray(out, request.stop);
  }
  if (request.seed) AppendIntField(out, "seed", *request.seed);
  if (!request.metadata.user_id.empty()) AppendStringField(out, "user", request.metadata.user_id);
  if (stream) {
    AppendRawField(out, "stream", "true");
    // Without it the stream carries no usage and the counts would have to be guessed.
    AppendRawField(out, "stream_options", R"({"include_usage":true})");
  }
  out.push_back('}');
  return out;
}

std::string OpenAiEmbeddingsBody(std::string_view model, std::span<const std::string> inputs) {
  std::string out = "{";
  AppendStringField(out, "model", model);
  AppendKey(out, "input");
  AppendStringArray(out, inputs);
  out.push_back('}');
  return out;
}

std::string AnthropicMessagesBody(const ChatRequest& request, std::string_view model,
                                  std::int64_t default_max_tokens, bool stream) {
  std::string out = "{";
  AppendStringField(out, "model", model);
  AppendIntField(out, "max_tokens", request.max_tokens.value_or(default_max_tokens));
  // Anthropic takes the system prompt as a top-level field, not as a message.
  std::string system;
  for (const ChatMessage& m : request.messages) {
    if (m.role != "system") continue;
    if (!system.empty()) system.append("\n\n");
    system.append(m.content);
  }
  if (!system.empty()) AppendStringField(out, "system", system);
  AppendKey(out, "messages");
  out.push_back('[');
  bool first = true;
  for (const ChatMessage& m : request.messages) {
    if (m.role == "system") continue;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('{');
    if (m.role == "tool") {
      // A tool result is a user turn holding a tool_result block.
      AppendStringField(out, "role", "user");
      AppendKey(out, "content");
      out.append(R"([{"type":"tool_result",)");
      out.append(R"("tool_use_id":)");
      AppendJsonString(out, m.tool_call_id);
      out.append(R"(,"content":)");
      AppendJsonString(out, m.content);
      out.append("}]}");
      continue;
    }
    AppendStringField(out, "role", m.role);
    if (m.tool_calls.empty()) {
      AppendStringField(out, "content", m.content);
    } else {
      AppendKey(out, "content");
      out.push_back('[');
      bool first_block = true;
      if (!m.content.empty()) {
        out.append(R"({"type":"text","text":)");
        AppendJsonString(out, m.content);
        out.push_back('}');
        first_block = false;
      }
      for (const ToolCall& call : m.tool_calls) {
        if (!first_block) out.push_back(',');
        first_block = false;
        out.append(R"({"type":"tool_use","id":)");
        AppendJsonString(out, call.id);
        out.append(R"(,"name":)");
        AppendJsonString(out, call.name);
        out.append(R"(,"input":)");
        out.append(call.arguments.empty() ? std::string_view("{}") : call.arguments);
        out.push_back('}');
      }
      out.push_back(']');
    }
    out.push_back('}');
  }
  out.push_back(']');
  if (!request.tools.empty()) {
    AppendKey(out, "tools");
    out.push_back('[');
    for (std::size_t i = 0; i < request.tools.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('{');
      AppendStringField(out, "name", request.tools[i].name);
      if (!request.tools[i].description.empty()) {
        AppendStringField(out, "description", request.tools[i].description);
      }
      AppendRawField(out, "input_schema", SchemaOrDefault(request.tools[i].parameters));
      out.push_back('}');
    }
    out.push_back(']');
  }
  if (!request.tool_choice.empty()) AppendRawField(out, "tool_choice", request.tool_choice);
  AppendSamplingFields(out, request);
  if (!request.stop.empty()) {
    AppendKey(out, "stop_sequences");
    AppendStringArray(out, request.stop);
  }
  if (!request.metadata.user_id.empty()) {
    AppendKey(out, "metadata");
    out.push_back('{');
    AppendStringField(out, "user_id", request.metadata.user_id);
    out.push_back('}');
  }
  if (stream) AppendRawField(out, "stream", "true");  // usage always comes with the events
  out.push_back('}');
  return out;
}

Status ParseOpenAiChat(std::string_view body, ChatResponse& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(body.data(), body.size()).get(doc)) {
    return Malformed("chat completion response is not JSON", simdjson::error_message(error));
  }
  out.id = std::string(StringOf(doc, "id"));
  out.model = std::string(StringOf(doc, "model"));
  simdjson::dom::array choices;
  if (doc["choices"].get_array().get(choices) != simdjson::SUCCESS) {
    return Malformed("chat completion response", "no choices array");
  }
  for (simdjson::dom::element choice : choices) {
    out.finish_reason = std::string(StringOf(choice, "finish_reason"));
    simdjson::dom::element message;
    if (choice["message"].get(message) == simdjson::SUCCESS) {
      out.content = std::string(StringOf(message, "content"));
      simdjson::dom::array calls;
      if (message["tool_calls"].get_array().get(calls) == simdjson::SUCCESS) {
        for (simdjson::dom::element call : calls) {
          simdjson::dom::element function;
          ToolCall tool_call{.id = std::string(StringOf(call, "id"))};
          if (call["function"].get(function) == simdjson::SUCCESS) {
            tool_call.name = std::string(StringOf(function, "name"));
            tool_call.arguments = std::string(StringOf(function, "arguments"));
          }
          out.tool_calls.push_back(std::move(tool_call));
        }
      }
    }
    break;  // n > 1 is not supported: the first choice is the answer
  }
  simdjson::dom::element usage;
  if (doc["usage"].get(usage) == simdjson::SUCCESS) out.usage = OpenAiUsage(usage);
  return Status::Ok();
}

Status ParseOpenAiEmbeddings(std::string_view body, EmbeddingsResponse& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(body.data(), body.size()).get(doc)) {
    return Malformed("embeddings response is not JSON", simdjson::error_message(error));
  }
  out.model = std::string(StringOf(doc, "model"));
  simdjson::dom::array data;
  if (doc["data"].get_array().get(data) != simdjson::SUCCESS) {
    return Malformed("embeddings response", "no data array");
  }
  for (simdjson::dom::element item : data) {
    simdjson::dom::array vector;
    if (item["embedding"].get_array().get(vector) != simdjson::SUCCESS) {
      return Malformed("embeddings response", "an item without an embedding array");
    }
    std::int64_t index = IntOf(item, "index");
    if (index < 0 || index > 1'000'000) return Malformed("embeddings response", "bad index");
    if (out.embeddings.size() <= static_cast<std::size_t>(index)) {
      out.embeddings.resize(static_cast<std::size_t>(index) + 1);
    }
    std::vector<float>& values = out.embeddings[static_cast<std::size_t>(index)];
    for (simdjson::dom::element v : vector) {
      double d = 0;
      if (v.get_double().get(d) != simdjson::SUCCESS) {
        return Malformed("embeddings response", "a non-numeric embedding value");
      }
      values.push_back(static_cast<float>(d));
    }
  }
  simdjson::dom::element usage;
  if (doc["usage"].get(usage) == simdjson::SUCCESS) {
    out.usage.input_tokens = IntOf(usage, "prompt_tokens");
  }
  return Status::Ok();
}

Status ParseAnthropicMessages(std::string_view body, ChatResponse& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(body.data(), body.size()).get(doc)) {
    return Malformed("messages response is not JSON", simdjson::error_message(error));
  }
  out.id = std::string(StringOf(doc, "id"));
  out.model = std::string(StringOf(doc, "model"));
  out.finish_reason = std::string(StringOf(doc, "stop_reason"));
  simdjson::dom::array content;
  if (doc["content"].get_array().get(content) != simdjson::SUCCESS) {
    return Malformed("messages response", "no content array");
  }
  for (simdjson::dom::element block : content) {
    std::string_view type = StringOf(block, "type");
    if (type == "text") {
      out.content.append(StringOf(block, "text"));
    } else if (type == "tool_use") {
      simdjson::dom::element input;
      ToolCall call{.id = std::string(StringOf(block, "id")),
                    .name = std::string(StringOf(block, "name"))};
      if (block["input"].get(input) == simdjson::SUCCESS) call.arguments = simdjson::minify(input);
      out.tool_calls.push_back(std::move(call));
    }
  }
  simdjson::dom::element usage;
  if (doc["usage"].get(usage) == simdjson::SUCCESS) {
    // Anthropic counts cache reads and writes outside input_tokens.
    out.usage = TokenUsage::FromExclusiveInput(
        IntOf(usage, "input_tokens"), IntOf(usage, "cache_read_input_tokens"),
        IntOf(usage, "cache_creation_input_tokens"), IntOf(usage, "output_tokens"));
  }
  return Status::Ok();
}

Status OpenAiStreamAccumulator::Add(std::string_view data, Chunk& chunk) {
  chunk = Chunk{};
  if (data == "[DONE]") {
    done_ = true;
    return Status::Ok();
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(data.data(), data.size()).get(doc)) {
    return Malformed("stream chunk is not JSON", simdjson::error_message(error));
  }
  simdjson::dom::element error;
  if (doc["error"].get(error) == simdjson::SUCCESS) {
    stream_error_ = std::string(StringOf(error, "message"));
    return UnavailableError("the stream reported an error: " + stream_error_);
  }
  if (std::string_view id = StringOf(doc, "id"); !id.empty()) response_.id = std::string(id);
  if (std::string_view m = StringOf(doc, "model"); !m.empty()) response_.model = std::string(m);
  simdjson::dom::array choices;
  if (doc["choices"].get_array().get(choices) == simdjson::SUCCESS) {
    for (simdjson::dom::element choice : choices) {
      if (IntOf(choice, "index") != 0) continue;  // n > 1 is not supported
      chunk.has_choice = true;
      if (std::string_view reason = StringOf(choice, "finish_reason"); !reason.empty()) {
        response_.finish_reason = std::string(reason);
      }
      simdjson::dom::element delta;
      if (choice["delta"].get(delta) != simdjson::SUCCESS) continue;
      chunk.content = std::string(StringOf(delta, "content"));
      response_.content.append(chunk.content);
      simdjson::dom::array calls;
      if (delta["tool_calls"].get_array().get(calls) != simdjson::SUCCESS) continue;
      // The first delta of a call carries its id and name; later ones append to arguments.
      for (simdjson::dom::element call : calls) {
        ToolCall& target = tool_calls_[IntOf(call, "index")];
        if (std::string_view id = StringOf(call, "id"); !id.empty()) target.id = std::string(id);
        simdjson::dom::element function;
        if (call["function"].get(function) != simdjson::SUCCESS) continue;
        target.name.append(StringOf(function, "name"));
        target.arguments.append(StringOf(function, "arguments"));
      }
    }
  }
  simdjson::dom::element usage;
  if (doc["usage"].get(usage) == simdjson::SUCCESS && usage.is_object()) {
    response_.usage = OpenAiUsage(usage);
  }
  return Status::Ok();
}

ChatResponse OpenAiStreamAccumulator::Take() {
  for (auto& [index, call] : tool_calls_) response_.tool_calls.push_back(std::move(call));
  tool_calls_.clear();
  return std::move(response_);
}

Status AnthropicStreamAccumulator::Add(std::string_view data, Chunk& chunk) {
  chunk = Chunk{};
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto error = parser.parse(data.data(), data.size()).get(doc)) {
    return Malformed("stream event is not JSON", simdjson::error_message(error));
  }
  const std::string_view type = StringOf(doc, "type");
  simdjson::dom::element part;
  if (type == "error") {
    if (doc["error"].get(part) == simdjson::SUCCESS) {
      stream_error_ = std::string(StringOf(part, "message"));
    }
    if (stream_error_.empty()) stream_error_ = "error event";
    return UnavailableError("the stream reported an error: " + stream_error_);
  }
  if (type == "message_start" && doc["message"].get(part) == simdjson::SUCCESS) {
    response_.id = std::string(StringOf(part, "id"));
    response_.model = std::string(StringOf(part, "model"));
    simdjson::dom::element usage;
    if (part["usage"].get(usage) == simdjson::SUCCESS) {
      uncached_input_ = IntOf(usage, "input_tokens");
      cache_read_ = IntOf(usage, "cache_read_input_tokens");
      cache_write_ = IntOf(usage, "cache_creation_input_tokens");
      output_ = IntOf(usage, "output_tokens");
    }
  } else if (type == "content_block_start" && doc["content_block"].get(part) == simdjson::SUCCESS) {
    if (StringOf(part, "type") == "tool_use") {
      ToolCall& call = tool_calls_[IntOf(doc, "index")];
      call.id = std::string(StringOf(part, "id"));
      call.name = std::string(StringOf(part, "name"));
    }
  } else if (type == "content_block_delta" && doc["delta"].get(part) == simdjson::SUCCESS) {
    chunk.has_choice = true;
    const std::string_view delta_type = StringOf(part, "type");
    if (delta_type == "text_delta") {
      chunk.content = std::string(StringOf(part, "text"));
      response_.content.append(chunk.content);
    } else if (delta_type == "input_json_delta") {
      tool_calls_[IntOf(doc, "index")].arguments.append(StringOf(part, "partial_json"));
    }
  } else if (type == "message_delta") {
    if (doc["delta"].get(part) == simdjson::SUCCESS) {
      if (std::string_view reason = StringOf(part, "stop_reason"); !reason.empty()) {
        response_.finish_reason = std::string(reason);
      }
    }
    simdjson::dom::element usage;
    if (doc["usage"].get(usage) == simdjson::SUCCESS) {
      // Cumulative: the last message_delta holds the final output count.
      if (std::int64_t n = IntOf(usage, "output_tokens"); n > 0) output_ = n;
    }
  } else if (type == "message_stop") {
    done_ = true;
  }
  return Status::Ok();
}

ChatResponse AnthropicStreamAccumulator::Take() {
  for (auto& [index, call] : tool_calls_) {
    if (call.arguments.empty()) call.arguments = "{}";
    response_.tool_calls.push_back(std::move(call));
  }
  tool_calls_.clear();
  response_.usage =
      TokenUsage::FromExclusiveInput(uncached_input_, cache_read_, cache_write_, output_);
  return std::move(response_);
}

}  // namespace llmtrace::genai::internal
