// Message: one turn of an LLM conversation as the instrumentation sees it (a view; nothing is
// copied). Used to measure, hash and, when content capture is on, record the prompt in the
// conventions' message schema (gen_ai.input.messages).
//
//   Message messages[] = {{"system", "Answer from the context."}, {"user", question}};
//   InferenceRequest request{.provider = "openai", .model = "gpt-4o", .messages = messages};
#pragma once

#include <string_view>

namespace llmtrace::genai {

struct Message {
  std::string_view role;               // system | user | assistant | tool
  std::string_view content;            // text content
  std::string_view tool_call_id = {};  // for role "tool": the call this message answers
};

}  // namespace llmtrace::genai
