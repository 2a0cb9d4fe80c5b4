// PricingCatalog: what one LLM call costs, from the model name and its TokenUsage.
//
// Prices come from data files, never from code: the shipped data/pricing.json (installed as
// <datadir>/llmtrace/pricing.json), a user override file in the same schema merged over it
// (the override's entry wins per model and may add models), or LiteLLM's
// model_prices_and_context_window.json. docs/pricing.md describes the schema, how a dated or
// provider-prefixed name resolves to its family (model_family.h), and the cost formula.
//
// An unknown model has an UNKNOWN cost (nullptr / nullopt), never 0: the lookup is counted in
// unpriced_lookups() and the first lookup of each unknown name logs one warning.
//
// Thread-safety: a catalog is immutable after Create except for its resolved-name cache, which
// is lock-free. Find and Cost may be called from any number of threads; for a name seen before
// they neither lock nor allocate (the first lookup of a dated name resolves it and allocates).
//
//   auto catalog = PricingCatalog::Create({.catalog_path = "/usr/share/llmtrace/pricing.json"});
//   if (!catalog.ok()) return catalog.status();
//   std::optional<CostBreakdown> cost = (*catalog)->Cost("gpt-4o-2024-08-06", usage);
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "llmtrace/common/environment.h"
#include "llmtrace/common/internal_log.h"
#include "llmtrace/common/result.h"
#include "llmtrace/genai/token_usage.h"

namespace llmtrace::genai {
namespace internal {
class ResolvedNameCache;
}

// Prices per 1,000,000 tokens, in the entry's currency.
struct TokenRates {
  double input_per_million = 0;
  // Input tokens read from the provider's prompt cache. Defaults to the input price.
  double cache_read_per_million = 0;
  // Input tokens written to the cache (Anthropic's 5-minute write). Defaults to the input price.
  double cache_write_per_million = 0;
  double output_per_million = 0;
  // Set only when the provider prices reasoning tokens apart; otherwise they bill as output.
  std::optional<double> reasoning_per_million;
};

// A second price level for long prompts (Gemini 2.5 Pro, Claude Sonnet 4 with 1M context): when
// the call's input_tokens exceed `above_input_tokens`, all of its tokens bill at `rates`.
struct LongContextTier {
  std::int64_t above_input_tokens = 0;
  TokenRates rates;
};

struct ModelPrice {
  std::string model;     // the catalog key ("gpt-4o")
  std::string provider;  // gen_ai.provider.name: openai, anthropic, gcp.gemini, ...
  TokenRates rates;
  std::optional<LongContextTier> long_context;
  std::string currency;        // ISO 4217, "USD"
  std::string effective_date;  // YYYY-MM-DD; empty for LiteLLM entries, which carry none
  std::vector<std::string> aliases;

  // The rates a call with this usage bills at (the long-context tier when it applies).
  const TokenRates& RatesFor(const TokenUsage& usage) const noexcept {
    return long_context && usage.input_tokens > long_context->above_input_tokens
               ? long_context->rates
               : rates;
  }
};

// The cost of one call by token class, in `currency`. input covers only the uncached input
// tokens; output covers the reasoning tokens too unless they are priced apart.
struct CostBreakdown {
  double input = 0;
  double cache_read = 0;
  double cache_write = 0;
  double output = 0;
  double reasoning = 0;
  double total = 0;
  std::string_view currency;  // points into the ModelPrice
  bool long_context = false;  // the long-context tier applied
};

// Negative token counts are treated as 0. Does not allocate.
CostBreakdown ComputeCost(const ModelPrice& price, const TokenUsage& usage) noexcept;

struct PricingCatalogOptions {
  // The base catalog. Empty: LLMTRACE_PRICING_CATALOG, else DefaultPricingCatalogPath().
  std::string catalog_path;
  // Merged over the base catalog. Empty: LLMTRACE_PRICING_FILE, else none.
  std::string override_path;
  // Null: the process environment. Must outlive Create().
  const Environment* environment = nullptr;
};

// Where the installed data/pricing.json lives (<prefix>/share/llmtrace/pricing.json), or ""
// when this build does not know its install location.
std::string_view DefaultPricingCatalogPath() noexcept;

class PricingCatalog {
 public:
  // Reads and validates both files. Either may be llmtrace's schema (an object with "models")
  // or LiteLLM's format; errors name the file, the model and the field.
  static Result<std::shared_ptr<const PricingCatalog>> Create(const PricingCatalogOptions& options);
  // From text in llmtrace's schema; `source_name` prefixes error messages.
  static Result<std::shared_ptr<const PricingCatalog>> FromJson(std::string_view json,
                                                                std::string_view source_name);
  // From text in LiteLLM's format: per-token costs become per-million prices; entries that are
  // not priced chat, completion or embedding models are skipped and counted.
  static Result<std::shared_ptr<const PricingCatalog>> FromLiteLlmJson(
      std::string_view json, std::string_view source_name);

  ~PricingCatalog();
  PricingCatalog(const PricingCatalog&) = delete;
  PricingCatalog& operator=(const PricingCatalog&) = delete;

  // The price of `model`: an exact key or alias first, then its family (model_family.h).
  // nullptr when unknown (counted, and warned once per name).
  const ModelPrice* Find(std::string_view model) const noexcept;
  std::optional<CostBreakdown> Cost(std::string_view model, const TokenUsage& usage) const noexcept;

  std::uint64_t unpriced_lookups() const noexcept {
    return unpriced_lookups_.load(std::memory_order_relaxed);
  }
  // Number of priced models (aliases not counted).
  std::size_t size() const noexcept { return models_.size(); }
  // LiteLLM entries left out when loading (non-chat modes, no costs, unreadable costs).
  std::size_t skipped_entries() const noexcept { return skipped_entries_; }
  // Every model, sorted by key.
  const std::vector<ModelPrice>& models() const noexcept { return models_; }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>()(s);
    }
  };

  PricingCatalog(std::vector<ModelPrice> models, std::size_t skipped_entries);
  static Result<std::shared_ptr<const PricingCatalog>> Build(std::vector<ModelPrice> models,
                                                             std::size_t skipped_entries);
  const ModelPrice* FindExact(std::string_view name) const noexcept;
  const ModelPrice* ResolveFirstTime(std::string_view model) const noexcept;
  const ModelPrice* CountUnpriced() const noexcept;

  std::vector<ModelPrice> models_;
  std::size_t skipped_entries_ = 0;
  // Keys and aliases. Immutable after construction, so read without a lock.
  std::unordered_map<std::string, const ModelPrice*, StringHash, std::equal_to<>> exact_;
  // Names resolved through their family, and unknown names (so each is warned about once).
  std::unique_ptr<internal::ResolvedNameCache> resolved_;
  mutable std::atomic<std::size_t> unknown_names_cached_{0};
  mutable std::atomic<std::uint64_t> unpriced_lookups_{0};
  mutable RateLimitedLog cache_full_log_;
};

}  // namespace llmtrace::genai
