// The seed's multi-model chain, end to end: a RAG pipeline (embed the question, vector search,
// rerank) feeding a ReAct agent that takes 3 iterations and makes 2 tool calls, every step
// recorded by llmtrace::genai against a deterministic in-process model (fake_model.h).
//
// It writes the spans and the per-call log records as JSON lines (the OpenTelemetry Collector's
// file-exporter format), prices every call from data/pricing.json, holds the calls against a
// daily budget, and prints the answer, the cost and the budget left. With
// OTEL_EXPORTER_OTLP_ENDPOINT set, the spans also go to that collector. Render the trace with:
//
//   build/examples/rag_agent_example --spans /tmp/spans.jsonl --logs /tmp/calls.jsonl
//   build/cli/llmtrace tree --file /tmp/spans.jsonl
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "examples/rag_agent/fake_model.h"
#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/logs/json_lines_log_exporter.h"
#include "llmtrace/logs/logger_provider.h"
#include "llmtrace/logs/simple_log_record_processor.h"
#include "llmtrace/metrics/meter_provider.h"
#include "llmtrace/metrics/prometheus_reader.h"
#include "llmtrace/otlp/json_lines_span_exporter.h"
#include "llmtrace/otlp/otlp_http_span_exporter.h"
#include "llmtrace/trace/batch_span_processor.h"
#include "llmtrace/trace/simple_span_processor.h"
#include "llmtrace/trace/tracer_provider.h"

namespace {

using namespace llmtrace;
using namespace llmtrace::genai;
using rag_agent::Document;
using rag_agent::FakeModel;

struct Paths {
  std::string spans = "rag_agent_spans.jsonl";
  std::string logs = "rag_agent_calls.jsonl";
  std::string pricing = LLMTRACE_DATA_DIR "/pricing.json";
};

// The agent: up to 5 iterations of chat + tools, as in the seed's trace_agent_execution.
std::string RunAgent(const Instrumentation& genai, FakeModel& model, const std::string& question,
                     const std::string& context) {
  AgentSpan agent =
      genai.StartAgent({.name = "support-agent", .type = "react", .max_iterations = 5});
  auto in_agent = agent.Activate();
  Message messages[] = {{"system", "Answer from this context:\n" + context}, {"user", question}};
  for (int step = 1; step <= 5; ++step) {
    AgentIteration iteration = agent.StartIteration("reasoning");
    auto in_iteration = iteration.Activate();
    InferenceSpan call =
        genai.StartInference({.provider = "openai",
                              .model = "gpt-4o",
                              .server_address = "api.openai.com",
                              .server_port = 443,
                              .max_tokens = 1024,
                              .temperature = 0.0,
                              .stream = step == 3,
                              .messages = messages,
                              .metadata = {.user_id = "user-7", .session_id = "s-19"}});
    if (!call.admitted()) {
      agent.SetError("budget_exceeded", call.admission().message());
      return "(refused: " + call.admission().message() + ")";
    }
    std::string answer;
    rag_agent::ChatReply reply = model.Chat(step, [&](const std::string& chunk) {
      call.OnChunk(chunk);
      answer += chunk;
    });
    call.SetResponseId(reply.response_id);
    call.SetResponseModel(reply.response_model);
    call.AddFinishReason(reply.finish_reason);
    call.SetUsage(reply.usage);
    call.End();
    if (reply.finish_reason == "stop") {
      iteration.SetType("final");
      iteration.End();
      agent.Finish(answer);
      return answer;
    }
    iteration.SetType("tool_call");
    for (const rag_agent::ToolCall& tool_call : reply.tool_calls) {
      ToolSpan tool = genai.StartTool({.name = tool_call.name,
                                       .call_id = tool_call.id,
                                       .type = "function",
                                       .arguments = tool_call.arguments});
      tool.SetResult(model.RunTool(tool_call));
      tool.End();
    }
    iteration.SetToolCalls(static_cast<std::int64_t>(reply.tool_calls.size()));
  }
  agent.End();  // records max_iterations_reached
  return "Agent reached maximum iterations without a final answer.";
}

int Run(const Paths& paths) {
  ManualClock clock(SystemClock::Instance().Now());
  std::filesystem::remove(paths.spans);
  std::filesystem::remove(paths.logs);
  auto span_file = otlp::JsonLinesSpanExporter::OpenFile(paths.spans);
  auto log_file = logs::JsonLinesLogExporter::OpenFile(paths.logs);
  if (!span_file.ok() || !log_file.ok()) {
    std::fprintf(stderr, "rag_agent: %s\n",
                 (span_file.ok() ? log_file.status() : span_file.status()).ToString().c_str());
    return 1;
  }
  trace::TracerProviderOptions tracing;
  tracing.resource_attributes.Set("service.name", "rag-agent-example");
  tracing.processors.push_back(std::make_unique<trace::SimpleSpanProcessor>(std::move(*span_file)));
  tracing.clock = &clock;
  // Also OTLP to a collector when one is configured.
  EnvironmentReader env(ProcessEnvironment::Instance());
  if (env.GetString("OTEL_EXPORTER_OTLP_ENDPOINT") ||
      env.GetString("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    auto exporter = otlp::OtlpHttpSpanExporter::Create(
        otlp::OtlpHttpOptions::FromEnvironment(env, otlp::OtlpSignal::kTraces));
    if (!exporter.ok()) {
      std::fprintf(stderr, "rag_agent: %s\n", exporter.status().ToString().c_str());
      return 1;
    }
    auto batch = trace::BatchSpanProcessor::Create(
        std::move(*exporter), trace::BatchSpanProcessorOptions::FromEnvironment(env));
    if (!batch.ok()) {
      std::fprintf(stderr, "rag_agent: %s\n", batch.status().ToString().c_str());
      return 1;
    }
    tracing.processors.push_back(std::move(*batch));
  }
  auto tracers = trace::TracerProvider::Create(std::move(tracing));
  logs::LoggerProviderOptions logging;
  logging.resource_attributes.Set("service.name", "rag-agent-example");
  logging.processors.push_back(
      std::make_unique<logs::SimpleLogRecordProcessor>(std::move(*log_file)));
  logging.clock = &clock;
  auto loggers = logs::LoggerProvider::Create(std::move(logging));
  auto prometheus = std::make_shared<metrics::PrometheusReader>();
  metrics::MeterProviderOptions metering;
  metering.readers.push_back(prometheus);
  auto meters = metrics::MeterProvider::Create(std::move(metering));
  auto pricing = PricingCatalog::Create({.catalog_path = paths.pricing});
  auto budgets = BudgetLedger::Create({.budgets = {{.name = "user-7-daily",
                                                    .scope = BudgetScope::kUser,
                                                    .match = "user-7",
                                                    .limit_usd = 1.00}},
                                       .clock = &clock});
  for (const Status& s :
       {tracers.status(), loggers.status(), meters.status(), pricing.status(), budgets.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "rag_agent: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  auto genai = Instrumentation::Create({.tracer_provider = *tracers,
                                        .meter_provider = *meters,
                                        .logger_provider = *loggers,
                                        .pricing = *pricing,
                                        .budgets = *budgets,
                                        .clock = &clock});
  if (!genai.ok()) {
    std::fprintf(stderr, "rag_agent: %s\n", genai.status().ToString().c_str());
    return 1;
  }

  FakeModel model(clock);
  const std::string question = "Can I still get a refund for order A-1042?";
  std::string answer;
  {
    WorkflowSpan pipeline = (*genai)->StartWorkflow({.name = "rag-pipeline"});
    auto in_pipeline = pipeline.Activate();
    {
      EmbeddingsSpan embed = (*genai)->StartEmbeddings(
          {.provider = "openai", .model = "text-embedding-3-large", .dimension_count = 3072});
      embed.SetInputTokens(model.Embed(question));
    }
    std::vector<Document> found;
    {
      RetrievalSpan search = (*genai)->StartRetrieval({.data_source_id = "support-kb",
                                                       .db_system = "pgvector",
                                                       .query = question,
                                                       .top_k = 10});
      found = model.Search(question);
      for (const Document& d : found) search.AddDocument(d.id, d.score, d.text);
    }
    std::string context;
    {
      RerankSpan rerank =
          (*genai)->StartRerank({.provider = "cohere",
                                 .model = "rerank-v3.5",
                                 .input_documents = static_cast<std::int64_t>(found.size()),
                                 .top_n = 3});
      for (const Document& d : model.Rerank(found)) {
        rerank.AddResult(d.id, d.score);
        context += d.text + "\n";
      }
    }
    answer = RunAgent(**genai, model, question, context);
    pipeline.SetDocumentsRetrieved(static_cast<std::int64_t>(found.size()));
    pipeline.SetContextLength(static_cast<std::int64_t>(context.size()));
    pipeline.SetAnswerLength(static_cast<std::int64_t>(answer.size()));
  }
  (void)(*tracers)->Shutdown();
  (void)(*loggers)->Shutdown();

  std::printf("question: %s\nanswer:   %s\n\n", question.c_str(), answer.c_str());
  auto budget = (*budgets)->State("user-7-daily");
  if (budget.ok()) {
    std::printf("budget user-7-daily: spent $%.6f of $%.2f today, $%.6f left\n", budget->spent.cost,
                *budget->limit_usd, budget->remaining.cost);
  }
  std::printf("metrics (Prometheus exposition, excerpt):\n");
  const std::string page = prometheus->Render();
  std::size_t start = 0;
  while (start < page.size()) {
    std::size_t end = page.find('\n', start);
    if (end == std::string::npos) end = page.size();
    std::string_view line(page.data() + start, end - start);
    if (line.starts_with("llmtrace_genai_cost") || line.starts_with("llmtrace_genai_calls") ||
        line.starts_with("gen_ai_client_token_usage_sum")) {
      std::printf("  %.*s\n", static_cast<int>(line.size()), line.data());
    }
    start = end + 1;
  }
  std::printf("\nspans: %s\ncall log records: %s\nrender the trace: llmtrace tree --file %s\n",
              paths.spans.c_str(), paths.logs.c_str(), paths.spans.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Paths paths;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--spans") == 0 && has_value) {
      paths.spans = argv[++i];
    } else if (std::strcmp(argv[i], "--logs") == 0 && has_value) {
      paths.logs = argv[++i];
    } else if (std::strcmp(argv[i], "--pricing") == 0 && has_value) {
      paths.pricing = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--spans FILE] [--logs FILE] [--pricing FILE]\n", argv[0]);
      return 2;
    }
  }
  return Run(paths);
}
