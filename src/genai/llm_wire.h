// The wire formats LlmClient speaks: request bodies built by hand (escaped with json_text.h) and
// responses parsed with simdjson, for OpenAI chat completions (whole and streamed chunks),
// OpenAI embeddings and Anthropic messages. Pure functions plus one per-stream accumulator.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "llmtrace/common/status.h"
#include "llmtrace/genai/llm_client.h"

namespace llmtrace::genai::internal {

std::string OpenAiChatBody(const ChatRequest& request, std::string_view model, bool stream);
std::string OpenAiEmbeddingsBody(std::string_view model, std::span<const std::string> inputs);
std::string AnthropicMessagesBody(const ChatRequest& request, std::string_view model,
                                  std::int64_t default_max_tokens, bool stream = false);

// Errors name what was missing or malformed; they never quote content.
Status ParseOpenAiChat(std::string_view body, ChatResponse& out);
Status ParseOpenAiEmbeddings(std::string_view body, EmbeddingsResponse& out);
Status ParseAnthropicMessages(std::string_view body, ChatResponse& out);

// Folds the `data:` payloads of one OpenAI chat completion stream into a ChatResponse.
class OpenAiStreamAccumulator {
 public:
  struct Chunk {
    std::string content;      // this chunk's content delta ("" for none)
    bool has_choice = false;  // a choices[] entry was present (a chunk the span counts)
  };
  // One event's data. "[DONE]" ends the stream. An `error` object in the stream is returned as
  // kUnavailable with the provider's message in `stream_error`.
  Status Add(std::string_view data, Chunk& chunk);
  bool done() const noexcept { return done_; }
  bool finished() const noexcept { return !response_.finish_reason.empty(); }
  const std::string& stream_error() const noexcept { return stream_error_; }
  // The accumulated response, tool calls in index order.
  ChatResponse Take();

 private:
  ChatResponse response_;
  std::map<std::int64_t, ToolCall> tool_calls_;
  std::string stream_error_;
  bool done_ = false;
};

// The same for an Anthropic messages stream (message_start, content_block_start/delta,
// message_delta, message_stop, error events; the usage comes in message_start and
// message_delta and is normalised to the inclusive convention).
class AnthropicStreamAccumulator {
 public:
  using Chunk = OpenAiStreamAccumulator::Chunk;
  Status Add(std::string_view data, Chunk& chunk);
  bool done() const noexcept { return done_; }
  bool finished() const noexcept { return !response_.finish_reason.empty(); }
  const std::string& stream_error() const noexcept { return stream_error_; }
  ChatResponse Take();

 private:
  ChatResponse response_;
  std::map<std::int64_t, ToolCall> tool_calls_;  // by content block index
  std::int64_t uncached_input_ = 0;
  std::int64_t cache_read_ = 0;
  std::int64_t cache_write_ = 0;
  std::int64_t output_ = 0;
  std::string stream_error_;
  bool done_ = false;
};

// Splits a Server-Sent Events byte stream into events' data (multi-line data joined by "\n").
class SseParser {
 public:
  template <typename OnData>
  void Feed(std::string_view bytes, OnData&& on_data) {
    buffer_.append(bytes);
    std::size_t start = 0;
    for (std::size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view line(buffer_.data() + start, nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) {
        if (has_data_) on_data(std::string_view(data_));
        data_.clear();
        has_data_ = false;
      } else if (line.starts_with("data:")) {
        line.remove_prefix(5);
        if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        if (has_data_) data_.push_back('\n');
        data_.append(line);
        has_data_ = true;
      }  // comments (":"), event:, id: and retry: lines carry nothing LlmClient needs
    }
    buffer_.erase(0, start);
  }
  // End of the byte stream: an event not closed by a blank line still counts.
  template <typename OnData>
  void Finish(OnData&& on_data) {
    Feed("\n\n", on_data);
  }

 private:
  std::string buffer_;
  std::string data_;
  bool has_data_ = false;
};

}  // namespace llmtrace::genai::internal
