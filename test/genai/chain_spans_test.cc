#include <gtest/gtest.h>

#include <chrono>

#include "llmtrace/genai/agent_spans.h"
#include "llmtrace/genai/content_capture.h"
#include "llmtrace/genai/content_hash.h"
#include "llmtrace/genai/retrieval_spans.h"
#include "test/genai/genai_test_util.h"

namespace llmtrace::genai {
namespace {

using std::chrono::milliseconds;
using testing::Attr;
using testing::GenAiPipeline;
using testing::HasAttr;

TEST(ChainSpansTest, RagPipelineStepsNestUnderTheWorkflow) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  {
    WorkflowSpan pipeline = genai->StartWorkflow({.name = "rag-pipeline"});
    auto scope = pipeline.Activate();
    {
      EmbeddingsSpan embed = genai->StartEmbeddings(
          {.provider = "openai", .model = "text-embedding-3-large", .dimension_count = 3072});
      embed.SetInputTokens(23);
      embed.End();
    }
    {
      RetrievalSpan search = genai->StartRetrieval({.data_source_id = "docs",
                                                    .db_system = "pgvector",
                                                    .query = "what is otel",
                                                    .top_k = 10});
      search.AddDocument("doc-1", 0.91, "OpenTelemetry is ...");
      search.AddDocument("doc-2", 0.87);
      search.End();
    }
    {
      RerankSpan rerank = genai->StartRerank(
          {.provider = "cohere", .model = "rerank-v3.5", .input_documents = 10, .top_n = 3});
      rerank.AddResult("doc-2", 0.99);
      rerank.End();
    }
    pipeline.SetDocumentsRetrieved(2);
    pipeline.SetContextLength(1800);
    pipeline.SetAnswerLength(342);
    pipeline.End();
  }
  auto workflow = p.Span("invoke_workflow rag-pipeline");
  auto embed = p.Span("embeddings text-embedding-3-large");
  auto search = p.Span("retrieval docs");
  auto rerank = p.Span("rerank rerank-v3.5");
  ASSERT_TRUE(workflow && embed && search && rerank);
  for (const auto& child : {embed, search, rerank}) {
    EXPECT_EQ(child->parent_span_id(), workflow->context().span_id()) << child->name();
    EXPECT_EQ(child->context().trace_id(), workflow->context().trace_id());
  }
  EXPECT_EQ(Attr(*workflow, "gen_ai.operation.name"), "invoke_workflow");
  EXPECT_EQ(Attr(*workflow, "gen_ai.workflow.name"), "rag-pipeline");
  EXPECT_EQ(Attr(*workflow, "llmtrace.rag.documents_retrieved"), "2");
  EXPECT_EQ(Attr(*workflow, "llmtrace.rag.context.length"), "1800");
  EXPECT_EQ(Attr(*workflow, "llmtrace.rag.answer.length"), "342");
  EXPECT_EQ(embed->kind(), trace::SpanKind::kClient);
  EXPECT_EQ(Attr(*embed, "gen_ai.usage.input_tokens"), "23");
  EXPECT_EQ(Attr(*embed, "gen_ai.embeddings.dimension.count"), "3072");
  EXPECT_EQ(Attr(*search, "db.system.name"), "pgvector");
  EXPECT_EQ(Attr(*search, "llmtrace.retrieval.documents"), "2");
  EXPECT_EQ(Attr(*search, "llmtrace.retrieval.query.sha256"), Sha256Hex("what is otel"));
  ASSERT_EQ(search->events().size(), 2u);
  EXPECT_EQ(search->events()[0].name, "llmtrace.retrieval.document");
  // Content capture is off: ids and scores, no preview.
  EXPECT_EQ(Attr(search->events()[0], "llmtrace.document.id"), "doc-1");
  EXPECT_EQ(Attr(search->events()[0], "llmtrace.document.score"), "0.91");
  EXPECT_FALSE(HasAttr(search->events()[0], "llmtrace.document.preview"));
  EXPECT_EQ(Attr(*rerank, "gen_ai.operation.name"), "rerank");
  EXPECT_EQ(Attr(*rerank, "llmtrace.rerank.input_documents"), "10");
  EXPECT_EQ(Attr(*rerank, "llmtrace.rerank.top_n"), "3");
}

TEST(ChainSpansTest, RetrievalPreviewsAreRedactedAndCutWhenContentCaptureIsOn) {
  GenAiPipeline p;
  auto options = p.Options();
  options.content_capture = *ContentCapture::Create({.mode = ContentCaptureMode::kSpanOnly});
  auto genai = p.Create(std::move(options));
  {
    RetrievalSpan search = genai->StartRetrieval({.data_source_id = "crm"});
    search.AddDocument("c-1", 0.5, "Contact bob@example.org " + std::string(300, 'x'));
    search.End();
  }
  auto span = p.Span("retrieval crm");
  ASSERT_NE(span, nullptr);
  ASSERT_EQ(span->events().size(), 1u);
  const std::string preview = Attr(span->events()[0], "llmtrace.document.preview");
  EXPECT_EQ(preview.rfind("Contact [EMAIL] xxx", 0), 0u) << preview;
  EXPECT_LE(preview.size(), RetrievalSpan::kPreviewLength + 20);
}

TEST(ChainSpansTest, AgentIterationsAndToolCallsFormTheSeedsTree) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  {
    AgentSpan agent = genai->StartAgent({.name = "support", .type = "react", .max_iterations = 5});
    for (int i = 0; i < 2; ++i) {
      AgentIteration step = agent.StartIteration("tool_call");
      auto scope = step.Activate();
      ToolSpan tool = genai->StartTool({.name = i == 0 ? "search_database" : "calculate",
                                        .call_id = "call-1",
                                        .arguments = R"({"q":"x"})"});
      tool.SetResult("42 rows");
      tool.End();
      step.SetToolCalls(1);
    }
    AgentIteration last = agent.StartIteration("final");
    last.End();
    agent.Finish(std::string(342, 'a'));
  }
  auto agent = p.Span("invoke_agent support");
  auto first = p.Span("iteration 1");
  auto third = p.Span("iteration 3");
  auto tool = p.Span("execute_tool search_database");
  ASSERT_TRUE(agent && first && third && tool);
  EXPECT_EQ(first->parent_span_id(), agent->context().span_id());
  EXPECT_EQ(tool->parent_span_id(), first->context().span_id());
  EXPECT_EQ(agent->kind(), trace::SpanKind::kInternal);
  EXPECT_EQ(Attr(*agent, "llmtrace.agent.type"), "react");
  EXPECT_EQ(Attr(*agent, "llmtrace.agent.max_iterations"), "5");
  EXPECT_EQ(Attr(*agent, "llmtrace.agent.iterations_used"), "3");
  EXPECT_EQ(Attr(*agent, "llmtrace.agent.final_answer.length"), "342");
  EXPECT_EQ(Attr(*agent, "llmtrace.agent.status"), "completed");
  EXPECT_EQ(agent->status(), trace::SpanStatus::kUnset);
  EXPECT_EQ(Attr(*first, "llmtrace.agent.iteration.number"), "1");
  EXPECT_EQ(Attr(*first, "llmtrace.agent.iteration.tool_calls"), "1");
  EXPECT_EQ(Attr(*third, "llmtrace.agent.iteration.type"), "final");
  EXPECT_EQ(Attr(*tool, "gen_ai.tool.call.id"), "call-1");
  EXPECT_EQ(Attr(*tool, "llmtrace.tool.arguments.sha256"), Sha256Hex(R"({"q":"x"})"));
  EXPECT_EQ(Attr(*tool, "llmtrace.tool.result.length"), "7");
  EXPECT_EQ(Attr(*tool, "llmtrace.tool.status"), "success");
}

TEST(ChainSpansTest, AgentThatRunsOutOfIterationsSaysSo) {
  GenAiPipeline p;
  auto genai = p.Create(p.Options());
  {
    AgentSpan agent = genai->StartAgent({.name = "looper", .max_iterations = 2});
    agent.StartIteration().End();
    agent.StartIteration().End();
    agent.End();
  }
  auto agent = p.Span("invoke_agent looper");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(Attr(*agent, "llmtrace.agent.status"), "max_iterations_reached");
  EXPECT_EQ(agent->status(), trace::SpanStatus::kError);
  EXPECT_FALSE(HasAttr(*agent, "error.type"));
}

TEST(ChainSpansTest, FailedToolRecordsErrorStatusAndCountsInTheLatestMetrics) {
  GenAiPipeline p;
  auto options = p.Options();
  options.semconv = SemconvFlavour::kLatest;
  auto genai = p.Create(std::move(options));
  {
    ToolSpan tool = genai->StartTool({.name = "calculate"});
    p.clock.Advance(milliseconds(40));
    tool.SetError("ZeroDivisionError", "division by zero");
    tool.End();
  }
  auto tool = p.Span("execute_tool calculate");
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(Attr(*tool, "llmtrace.tool.status"), "error");
  EXPECT_EQ(Attr(*tool, "error.type"), "ZeroDivisionError");
  EXPECT_EQ(tool->status(), trace::SpanStatus::kError);
  auto snapshot = p.metrics->reader->Collect();
  const auto& duration = metrics::testing::Hist(
      metrics::testing::FindMetric(snapshot, "gen_ai.execute_tool.duration"));
  ASSERT_EQ(duration.points.size(), 1u);
  EXPECT_NEAR(duration.points[0].sum, 0.04, 1e-9);
}

}  // namespace
}  // namespace llmtrace::genai
