#include "cli/trace_tree_render.h"

#include <cstdio>
#include <string_view>

namespace llmtrace::cli {
namespace {

bool IsInference(std::string_view operation) {
  return operation == "chat" || operation == "text_completion" || operation == "generate_content";
}

std::string_view Operation(const TreeSpan& span) {
  const std::string* op = span.String("gen_ai.operation.name");
  return op ? std::string_view(*op) : std::string_view();
}

std::string FormatDuration(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  return buffer;
}

std::string FormatCost(double usd) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "$%.6f", usd);
  return buffer;
}

void AppendDetail(std::string& out, std::string_view detail) {
  if (!out.empty()) out += ", ";
  out += detail;
}

std::string Count(const TreeSpan& span, std::string_view key) {
  auto n = span.Int(key);
  return n ? std::to_string(*n) : std::string("?");
}

void RenderSpan(const Trace& trace, std::size_t index, const std::string& prefix, bool last,
                bool root, const RenderOptions& options, std::string& out) {
  const TreeSpan& span = trace.spans[index];
  const char* branch = options.ascii ? (last ? "`- " : "|- ") : (last ? "└─ " : "├─ ");
  const char* through = options.ascii ? "|  " : "│  ";
  out += prefix;
  out += branch;
  out += span.name;
  out += " (" + FormatDuration(span.duration_ms()) + ")";
  if (const std::string details = SpanDetails(span); !details.empty()) out += "  " + details;
  if (span.parent_missing && root) out += "  (parent not in file)";
  out += '\n';
  const std::string child_prefix = prefix + (last ? "   " : through);
  for (std::size_t i = 0; i < span.children.size(); ++i) {
    RenderSpan(trace, span.children[i], child_prefix, i + 1 == span.children.size(), false, options,
               out);
  }
}

}  // namespace

std::string SpanDetails(const TreeSpan& span) {
  const std::string_view operation = Operation(span);
  std::string details;
  const std::string* response_model = span.String("gen_ai.response.model");
  const std::string* request_model = span.String("gen_ai.request.model");
  const std::string* model = response_model ? response_model : request_model;
  if (IsInference(operation) || operation == "embeddings") {
    if (model) AppendDetail(details, "model=" + *model);
    auto input = span.Int("gen_ai.usage.input_tokens");
    auto output = span.Int("gen_ai.usage.output_tokens");
    if (operation == "embeddings") {
      if (input) AppendDetail(details, "tokens=" + std::to_string(*input));
    } else if (input || output) {
      AppendDetail(details, "tokens=" + (input ? std::to_string(*input) : std::string("?")) + "/" +
                                (output ? std::to_string(*output) : std::string("?")));
    }
    if (auto ttfc = span.Double("gen_ai.response.time_to_first_chunk")) {
      AppendDetail(details, "ttft=" + FormatDuration(*ttfc * 1000));
    }
    if (auto cost = span.Double("gen_ai.usage.cost.amount")) {
      AppendDetail(details, "cost=" + FormatCost(*cost));
    } else if (input || output) {
      AppendDetail(details, "cost=unknown");
    }
  } else if (operation == "retrieval") {
    if (const std::string* db = span.String("db.system.name")) AppendDetail(details, "db=" + *db);
    AppendDetail(details, "results=" + Count(span, "llmtrace.retrieval.documents"));
  } else if (operation == "rerank") {
    if (model) AppendDetail(details, "model=" + *model);
    AppendDetail(details, "documents=" + Count(span, "llmtrace.rerank.input_documents") +
                              " → top_n=" + Count(span, "llmtrace.rerank.top_n"));
  } else if (operation == "execute_tool") {
    if (const std::string* status = span.String("llmtrace.tool.status")) {
      AppendDetail(details, "status=" + *status);
    }
  } else if (operation == "invoke_agent") {
    std::string iterations = "iterations=" + Count(span, "llmtrace.agent.iterations_used");
    if (span.Int("llmtrace.agent.max_iterations")) {
      iterations += "/" + Count(span, "llmtrace.agent.max_iterations");
    }
    AppendDetail(details, iterations);
    if (span.Int("llmtrace.agent.final_answer.length")) {
      AppendDetail(details,
                   "final_answer_length=" + Count(span, "llmtrace.agent.final_answer.length"));
    }
    if (const std::string* status = span.String("llmtrace.agent.status");
        status && *status != "completed") {
      AppendDetail(details, "status=" + *status);
    }
  } else if (operation == "invoke_workflow") {
    if (span.Int("llmtrace.rag.documents_retrieved")) {
      AppendDetail(details, "documents=" + Count(span, "llmtrace.rag.documents_retrieved"));
    }
    if (span.Int("llmtrace.rag.context.length")) {
      AppendDetail(details, "context_length=" + Count(span, "llmtrace.rag.context.length"));
    }
    if (span.Int("llmtrace.rag.answer.length")) {
      AppendDetail(details, "answer_length=" + Count(span, "llmtrace.rag.answer.length"));
    }
  } else if (span.Int("llmtrace.agent.iteration.number")) {
    if (const std::string* type = span.String("llmtrace.agent.iteration.type")) {
      AppendDetail(details, "type=" + *type);
    }
  }
  if (const std::string* error = span.String("error.type")) {
    AppendDetail(details, "error=" + *error);
  } else if (span.status_code == 2) {
    AppendDetail(
        details,
        "status=ERROR" + (span.status_message.empty() ? "" : " (" + span.status_message + ")"));
  }
  return details;
}

TraceTotals ComputeTotals(const Trace& trace) {
  TraceTotals totals;
  for (const TreeSpan& span : trace.spans) {
    const std::string_view operation = Operation(span);
    if (operation == "execute_tool") ++totals.tool_calls;
    const bool inference = IsInference(operation);
    if (inference) ++totals.llm_calls;
    if (!inference && operation != "embeddings") continue;
    auto input = span.Int("gen_ai.usage.input_tokens");
    auto output = span.Int("gen_ai.usage.output_tokens");
    totals.input_tokens += input.value_or(0);
    totals.output_tokens += output.value_or(0);
    if (auto cost = span.Double("gen_ai.usage.cost.amount")) {
      totals.cost += *cost;
      ++totals.priced_calls;
    } else if (input || output) {
      ++totals.unpriced_calls;
    }
  }
  return totals;
}

std::string RenderTotals(const TraceTotals& t) {
  std::string line =
      "Total: " + std::to_string(t.llm_calls) +
      (t.llm_calls == 1 ? " LLM call, " : " LLM calls, ") + std::to_string(t.tool_calls) +
      (t.tool_calls == 1 ? " tool call, " : " tool calls, ") + std::to_string(t.input_tokens) +
      " input tokens, " + std::to_string(t.output_tokens) + " output tokens, ";
  if (t.priced_calls == 0 && t.unpriced_calls > 0) {
    line += "cost unknown (" + std::to_string(t.unpriced_calls) + " unpriced)";
  } else {
    line += "cost " + FormatCost(t.cost);
    if (t.unpriced_calls > 0) {
      line += " (" + std::to_string(t.unpriced_calls) +
              (t.unpriced_calls == 1 ? " call unpriced)" : " calls unpriced)");
    }
  }
  return line;
}

std::string RenderTrace(const Trace& trace, const RenderOptions& options) {
  std::string out = "Trace: " + trace.trace_id + "\n";
  for (std::size_t i = 0; i < trace.roots.size(); ++i) {
    RenderSpan(trace, trace.roots[i], "", i + 1 == trace.roots.size(), true, options, out);
  }
  out += RenderTotals(ComputeTotals(trace)) + "\n";
  return out;
}

}  // namespace llmtrace::cli
