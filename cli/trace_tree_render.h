// Rendering a trace as the seed's chain view: the span tree with durations and, per GenAI span,
// the model, tokens, cost, results or tool status, then a totals line
// ("Total: 3 LLM calls, 2 tool calls, 4247 input tokens, 1467 output tokens, cost $0.0123").
// Pure functions; used by `llmtrace tree`.
//
//   std::cout << RenderTrace(trace, {.ascii = false});
#pragma once

#include <cstdint>
#include <string>

#include "cli/trace_tree.h"

namespace llmtrace::cli {

struct RenderOptions {
  bool ascii = false;  // "|-", "`-" instead of box-drawing characters
};

// What the totals line sums. LLM calls are inference spans (chat, text_completion,
// generate_content); tokens come from inference and embeddings spans.
struct TraceTotals {
  std::int64_t llm_calls = 0;
  std::int64_t tool_calls = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  double cost = 0;
  std::int64_t priced_calls = 0;
  std::int64_t unpriced_calls = 0;  // inference/embeddings spans with usage but no cost
};

TraceTotals ComputeTotals(const Trace& trace);
std::string RenderTotals(const TraceTotals& totals);
// The header line, the tree and the totals line, each line ending in '\n'.
std::string RenderTrace(const Trace& trace, const RenderOptions& options);
// One span's detail text ("model=gpt-4o, tokens=1523/847, cost=$0.010998"), "" if none.
std::string SpanDetails(const TreeSpan& span);

}  // namespace llmtrace::cli
