// A deterministic stand-in for the models and stores of a RAG + agent application: the same
// question always gets the same embeddings, documents, tool calls, answers, token counts and
// latencies. Latency is simulated by advancing a ManualClock, so the recorded trace has
// realistic, repeatable durations and the example runs in milliseconds.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/genai/token_usage.h"

namespace rag_agent {

struct Document {
  std::string id;
  double score;
  std::string text;
};

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON
};

struct ChatReply {
  std::string response_id;
  std::string response_model;
  std::vector<std::string> chunks;  // the answer as streamed; empty when it is a tool call
  std::vector<ToolCall> tool_calls;
  std::string finish_reason;  // "tool_calls" or "stop"
  llmtrace::genai::TokenUsage usage;
};

class FakeModel {
 public:
  explicit FakeModel(llmtrace::ManualClock& clock) : clock_(clock) {}

  // Embeds the query: 23 tokens, 45 ms.
  std::int64_t Embed(const std::string& query);
  // Top-10 vector search in 32 ms.
  std::vector<Document> Search(const std::string& query);
  // Keeps the best 3 of `documents` in 180 ms.
  std::vector<Document> Rerank(const std::vector<Document>& documents);
  // One ReAct step: a tool call on steps 1 and 2, the final answer on step 3. Time passes
  // between chunks when `on_chunk` streams them.
  template <typename OnChunk>
  ChatReply Chat(int step, OnChunk&& on_chunk);
  // Runs a tool in 40 ms (search_database) or 43 ms (calculate).
  std::string RunTool(const ToolCall& call);

  void Wait(std::chrono::milliseconds ms) { clock_.Advance(ms); }

 private:
  ChatReply Reply(int step);
  llmtrace::ManualClock& clock_;
};

template <typename OnChunk>
ChatReply FakeModel::Chat(int step, OnChunk&& on_chunk) {
  ChatReply reply = Reply(step);
  if (reply.chunks.empty()) {
    Wait(std::chrono::milliseconds(step == 1 ? 480 : 460));
    return reply;
  }
  Wait(std::chrono::milliseconds(310));  // time to first chunk
  for (const std::string& chunk : reply.chunks) {
    on_chunk(chunk);
    Wait(std::chrono::milliseconds(12));
  }
  return reply;
}

}  // namespace rag_agent
