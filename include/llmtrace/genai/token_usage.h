// TokenUsage: the billed token counts of one LLM call, in the one convention llmtrace uses
// everywhere (spans, metrics, cost, budgets): the inclusive form of the OpenTelemetry GenAI
// semantic conventions.
//
//   input_tokens   ALL prompt tokens, including the cache_read and cache_write ones;
//   output_tokens  ALL generated tokens, including the reasoning ones.
//
// Providers disagree. OpenAI reports inclusive counts (prompt_tokens includes
// prompt_tokens_details.cached_tokens). Anthropic reports cache reads and cache writes OUTSIDE
// input_tokens; FromExclusiveInput converts that form, so nothing is double-counted or lost.
// A plain value type; safe to copy between threads.
//
//   auto usage = TokenUsage::FromExclusiveInput(/*uncached_input=*/25, /*cache_read=*/1000,
//                                               /*cache_write=*/0, /*output=*/80);
//   usage.input_tokens == 1025
#pragma once

#include <cstdint>

namespace llmtrace::genai {

struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_read_input_tokens = 0;
  std::int64_t cache_write_input_tokens = 0;
  std::int64_t reasoning_output_tokens = 0;

  // Input tokens billed at the full input price: neither read from nor written to a cache.
  std::int64_t uncached_input_tokens() const noexcept {
    const std::int64_t n = input_tokens - cache_read_input_tokens - cache_write_input_tokens;
    return n > 0 ? n : 0;
  }
  // Output tokens that are not reasoning tokens (the visible answer).
  std::int64_t non_reasoning_output_tokens() const noexcept {
    const std::int64_t n = output_tokens - reasoning_output_tokens;
    return n > 0 ? n : 0;
  }
  std::int64_t total_tokens() const noexcept { return input_tokens + output_tokens; }

  // Anthropic's form: `uncached_input` excludes the cache reads and cache writes.
  static TokenUsage FromExclusiveInput(std::int64_t uncached_input, std::int64_t cache_read,
                                       std::int64_t cache_write, std::int64_t output,
                                       std::int64_t reasoning = 0) noexcept {
    return TokenUsage{uncached_input + cache_read + cache_write, output, cache_read, cache_write,
                      reasoning};
  }

  friend bool operator==(const TokenUsage&, const TokenUsage&) = default;
};

}  // namespace llmtrace::genai
