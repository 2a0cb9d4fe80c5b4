#include "cli/trace_tree.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cli/commands/tree_command.h"
#include "cli/trace_tree_render.h"

namespace llmtrace::cli {
namespace {

constexpr char kTraceA[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kTraceB[] = "0af7651916cd43dd8448eb211c80319c";

// One span in OTLP/JSON; times in ms from an arbitrary epoch; `attributes` is the inner JSON.
std::string Span(const std::string& span_id, const std::string& parent, const std::string& name,
                 int start_ms, int end_ms, const std::string& attributes = "",
                 const std::string& trace = kTraceA) {
  return R"({"traceId":")" + trace + R"(","spanId":")" + span_id + R"(","parentSpanId":")" +
         parent + R"(","name":")" + name + R"(","kind":3,"startTimeUnixNano":")" +
         std::to_string(1'700'000'000'000ull + start_ms) + R"(000000","endTimeUnixNano":")" +
         std::to_string(1'700'000'000'000ull + end_ms) + R"(000000","attributes":[)" + attributes +
         "]}";
}

std::string Str(const std::string& key, const std::string& value) {
  return R"({"key":")" + key + R"(","value":{"stringValue":")" + value + R"("}})";
}
std::string Int(const std::string& key, long long value, bool as_number = false) {
  const std::string v = as_number ? std::to_string(value) : "\"" + std::to_string(value) + "\"";
  return R"({"key":")" + key + R"(","value":{"intValue":)" + v + "}}";
}
std::string Dbl(const std::string& key, double value) {
  return R"({"key":")" + key + R"(","value":{"doubleValue":)" + std::to_string(value) + "}}";
}

std::string Line(const std::string& spans) {
  return R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"t"},"spans":[)" +
         spans + "]}]}]}\n";
}

std::string Chat(const std::string& id, const std::string& parent, int start, int end, int in,
                 int out, const std::string& extra = "") {
  return Span(id, parent, "chat gpt-4o", start, end,
              Str("gen_ai.operation.name", "chat") + "," + Str("gen_ai.request.model", "gpt-4o") +
                  "," + Int("gen_ai.usage.input_tokens", in) + "," +
                  Int("gen_ai.usage.output_tokens", out) + extra);
}

std::string ReadFixture() {
  std::ifstream in(LLMTRACE_SOURCE_DIR "/test/testdata/cli/rag_agent_trace.jsonl");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(TraceTreeTest, RendersTheRagAgentExampleAsTheSeedsChainView) {
  auto traces = ParseSpanLines(ReadFixture(), "rag_agent_trace.jsonl");
  ASSERT_TRUE(traces.ok()) << traces.status().ToString();
  ASSERT_EQ(traces->size(), 1u);
  EXPECT_EQ(
      RenderTrace(traces->front(), {}),
      "Trace: 4ea6d10a8b2b0422c775a3d82d57de26\n"
      "└─ invoke_workflow rag-pipeline (1650 ms)  documents=10, context_length=345, "
      "answer_length=174\n"
      "   ├─ embeddings text-embedding-3-large (45 ms)  model=text-embedding-3-large, tokens=23, "
      "cost=$0.000003\n"
      "   ├─ retrieval support-kb (32 ms)  db=pgvector, results=10\n"
      "   ├─ rerank rerank-v3.5 (180 ms)  model=rerank-v3.5, documents=10 → top_n=3\n"
      "   └─ invoke_agent support-agent (1393 ms)  iterations=3/5, final_answer_length=174\n"
      "      ├─ iteration 1 (520 ms)  type=tool_call\n"
      "      │  ├─ chat gpt-4o (480 ms)  model=gpt-4o-2024-08-06, tokens=1523/847, cost=$0.010998\n"
      "      │  └─ execute_tool search_database (40 ms)  status=success\n"
      "      ├─ iteration 2 (503 ms)  type=tool_call\n"
      "      │  ├─ chat gpt-4o (460 ms)  model=gpt-4o-2024-08-06, tokens=2100/620, cost=$0.009530\n"
      "      │  └─ execute_tool calculate (43 ms)  status=success\n"
      "      └─ iteration 3 (370 ms)  type=final\n"
      "         └─ chat gpt-4o (370 ms)  model=gpt-4o-2024-08-06, tokens=624/38, ttft=310 ms, "
      "cost=$0.001940\n"
      "Total: 3 LLM calls, 2 tool calls, 4270 input tokens, 1505 output tokens, cost $0.022470\n");
}

TEST(TraceTreeTest, TotalsCountCallsTokensAndKnownCostAndSayWhatIsUnpriced) {
  const std::string text = Line(
      Span("a000000000000001", "", "invoke_workflow rag", 0, 100,
           Str("gen_ai.operation.name", "invoke_workflow")) +
      "," +
      Chat("a000000000000002", "a000000000000001", 1, 40, 100, 10,
           "," + Dbl("gen_ai.usage.cost.amount", 0.25)) +
      "," + Chat("a000000000000003", "a000000000000001", 41, 80, 200, 20) + "," +
      Span("a000000000000004", "a000000000000001", "embeddings e", 81, 82,
           Str("gen_ai.operation.name", "embeddings") + "," + Int("gen_ai.usage.input_tokens", 7)) +
      "," +
      Span("a000000000000005", "a000000000000001", "execute_tool calc", 83, 90,
           Str("gen_ai.operation.name", "execute_tool") + "," +
               Str("llmtrace.tool.status", "error") + "," + Str("error.type", "timeout")));
  auto traces = ParseSpanLines(text, "t");
  ASSERT_TRUE(traces.ok()) << traces.status().ToString();
  const TraceTotals totals = ComputeTotals(traces->front());
  EXPECT_EQ(totals.llm_calls, 2);
  EXPECT_EQ(totals.tool_calls, 1);
  EXPECT_EQ(totals.input_tokens, 307);
  EXPECT_EQ(totals.output_tokens, 30);
  EXPECT_DOUBLE_EQ(totals.cost, 0.25);
  EXPECT_EQ(totals.unpriced_calls, 2);  // the second chat and the embeddings
  EXPECT_EQ(RenderTotals(totals),
            "Total: 2 LLM calls, 1 tool call, 307 input tokens, 30 output tokens, cost $0.250000 "
            "(2 calls unpriced)");
  EXPECT_EQ(SpanDetails(traces->front().spans[4]), "status=error, error=timeout");

  auto none = ParseSpanLines(Line(Chat("b000000000000001", "", 0, 5, 1, 1)), "t");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(RenderTotals(ComputeTotals(none->front())),
            "Total: 1 LLM call, 0 tool calls, 1 input tokens, 1 output tokens, cost unknown "
            "(1 unpriced)");
}

TEST(TraceTreeTest, GroupsSpansOfATraceSpreadOverLinesAndOrdersTracesByStart) {
  const std::string text =
      Line(Span("c000000000000002", "c000000000000001", "child", 20, 30, "", kTraceB)) +
      "\n" +  // a blank line is fine
      Line(Span("d000000000000001", "", "first", 0, 5)) +
      Line(Span("c000000000000001", "", "root", 10, 40, "", kTraceB));
  auto traces = ParseSpanLines(text, "t");
  ASSERT_TRUE(traces.ok()) << traces.status().ToString();
  ASSERT_EQ(traces->size(), 2u);
  EXPECT_EQ((*traces)[0].trace_id, kTraceA);
  const Trace& b = (*traces)[1];
  ASSERT_EQ(b.roots.size(), 1u);
  EXPECT_EQ(b.spans[b.roots[0]].name, "root");
  ASSERT_EQ(b.spans[b.roots[0]].children.size(), 1u);
  EXPECT_EQ(RenderTrace(b, {.ascii = true}),
            std::string("Trace: ") + kTraceB +
                "\n`- root (30 ms)\n   `- child (10 ms)\nTotal: 0 LLM calls, 0 tool calls, 0 input "
                "tokens, 0 output tokens, cost $0.000000\n");
}

TEST(TraceTreeTest, ASpanWhoseParentIsNotInTheFileIsARootAndSaysSo) {
  auto traces =
      ParseSpanLines(Line(Span("e000000000000001", "ffffffffffffffff", "orphan", 0, 2)), "t");
  ASSERT_TRUE(traces.ok());
  EXPECT_NE(RenderTrace(traces->front(), {}).find("orphan (2.0 ms)  (parent not in file)"),
            std::string::npos);
}

TEST(TraceTreeTest, AMalformedLineIsAnErrorWithItsLineNumber) {
  auto bad_json =
      ParseSpanLines(Line(Span("f000000000000001", "", "ok", 0, 1)) + "{not json\n", "spans.jsonl");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.status().message().rfind("spans.jsonl:2: not valid JSON", 0), 0u)
      << bad_json.status().message();
  auto not_otlp = ParseSpanLines("{\"hello\":1}\n", "spans.jsonl");
  ASSERT_FALSE(not_otlp.ok());
  EXPECT_NE(not_otlp.status().message().find("spans.jsonl:1: not an OTLP/JSON trace export"),
            std::string::npos);
  auto no_time = ParseSpanLines(
      Line(R"({"traceId":"aa","spanId":"bb","name":"x","endTimeUnixNano":"1"})"), "s");
  ASSERT_FALSE(no_time.ok());
  EXPECT_NE(no_time.status().message().find("startTimeUnixNano"), std::string::npos);
}

TEST(TraceTreeTest, AcceptsIntValueAsAStringOrAsANumber) {
  const std::string text =
      Line(Span("a100000000000001", "", "chat m", 0, 1,
                Str("gen_ai.operation.name", "chat") + "," +
                    Int("gen_ai.usage.input_tokens", 12, /*as_number=*/true) + "," +
                    Int("gen_ai.usage.output_tokens", 3, /*as_number=*/false)));
  auto traces = ParseSpanLines(text, "t");
  ASSERT_TRUE(traces.ok());
  const TraceTotals totals = ComputeTotals(traces->front());
  EXPECT_EQ(totals.input_tokens, 12);
  EXPECT_EQ(totals.output_tokens, 3);
}

TEST(TreeCommandTest, SelectsOneTraceAndReportsAnUnknownOne) {
  std::istringstream in(Line(Span("a200000000000001", "", "one", 0, 1)) +
                        Line(Span("a200000000000002", "", "two", 0, 1, "", kTraceB)));
  std::ostringstream out, err;
  EXPECT_EQ(RunTreeCommand({.file = "-", .trace_id = kTraceB}, in, out, err), kExitOk);
  EXPECT_NE(out.str().find("two (1.0 ms)"), std::string::npos);
  EXPECT_EQ(out.str().find("one"), std::string::npos);

  std::istringstream again(Line(Span("a200000000000001", "", "one", 0, 1)));
  std::ostringstream out2, err2;
  EXPECT_EQ(RunTreeCommand({.file = "-", .trace_id = "00000000000000000000000000000001"}, again,
                           out2, err2),
            kExitFailure);
  EXPECT_EQ(err2.str(),
            "llmtrace tree: trace 00000000000000000000000000000001 not found in stdin\n");
}

TEST(TreeCommandTest, AMissingFileIsARuntimeErrorNamingIt) {
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(RunTreeCommand({.file = "/nonexistent/spans.jsonl"}, in, out, err), kExitFailure);
  EXPECT_EQ(err.str(), "llmtrace tree: cannot open /nonexistent/spans.jsonl\n");
}

}  // namespace
}  // namespace llmtrace::cli
