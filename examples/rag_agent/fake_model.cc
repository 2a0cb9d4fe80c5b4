#include "examples/rag_agent/fake_model.h"

namespace rag_agent {

using std::chrono::milliseconds;

std::int64_t FakeModel::Embed(const std::string& /*query*/) {
  Wait(milliseconds(45));
  return 23;
}

std::vector<Document> FakeModel::Search(const std::string& /*query*/) {
  Wait(milliseconds(32));
  std::vector<Document> documents;
  for (int i = 0; i < 10; ++i) {
    documents.push_back({"kb-" + std::to_string(100 + i * 7), 0.92 - i * 0.03,
                         "Refund policy section " + std::to_string(i + 1) +
                             ": orders can be returned within 30 days; contact "
                             "support@example.com with the order number."});
  }
  return documents;
}

std::vector<Document> FakeModel::Rerank(const std::vector<Document>& documents) {
  Wait(milliseconds(180));
  std::vector<Document> best(documents.begin(), documents.begin() + 3);
  best[0].score = 0.98, best[1].score = 0.95, best[2].score = 0.71;
  return best;
}

ChatReply FakeModel::Reply(int step) {
  ChatReply reply;
  reply.response_id = "chatcmpl-demo" + std::to_string(step);
  reply.response_model = "gpt-4o-2024-08-06";
  switch (step) {
    case 1:
      reply.tool_calls = {{"call_1", "search_database", R"({"order_id":"A-1042"})"}};
      reply.finish_reason = "tool_calls";
      reply.usage = {.input_tokens = 1523, .output_tokens = 847, .cache_read_input_tokens = 1024};
      break;
    case 2:
      reply.tool_calls = {{"call_2", "calculate", R"({"expression":"129.99 * 0.9"})"}};
      reply.finish_reason = "tool_calls";
      reply.usage = {.input_tokens = 2100, .output_tokens = 620, .cache_read_input_tokens = 1536};
      break;
    default:
      reply.chunks = {"Order A-1042 ", "was delivered on 12 November, ",
                      "so it is within the 30-day window. ", "You will get a refund of $116.99 ",
                      "(the price less the 10% restocking fee) within 5 business days."};
      reply.finish_reason = "stop";
      reply.usage = {.input_tokens = 624, .output_tokens = 38};
      break;
  }
  return reply;
}

std::string FakeModel::RunTool(const ToolCall& call) {
  if (call.name == "search_database") {
    Wait(milliseconds(40));
    return R"({"order_id":"A-1042","status":"delivered","delivered_at":"2026-11-12","price":129.99})";
  }
  Wait(milliseconds(43));
  return "116.991";
}

}  // namespace rag_agent
