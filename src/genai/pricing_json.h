// Readers for the two pricing file formats the catalog loads: llmtrace's own schema
// (docs/pricing.md; strict: any bad entry is an error naming the file, the model and the field)
// and LiteLLM's model_prices_and_context_window.json (lenient: entries that are not priced
// chat, completion or embedding models are skipped and counted). Pure functions.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "llmtrace/common/result.h"
#include "llmtrace/genai/pricing_catalog.h"

namespace llmtrace::genai::internal {

struct PriceFile {
  std::vector<ModelPrice> models;  // in file order
  std::size_t skipped_entries = 0;
};

Result<PriceFile> ParseLlmtracePriceFile(std::string_view json, std::string_view source_name);
Result<PriceFile> ParseLiteLlmPriceFile(std::string_view json, std::string_view source_name);
// llmtrace's schema when the top-level object has "models" or "schema_version", else LiteLLM's.
Result<PriceFile> ParsePriceFile(std::string_view json, std::string_view source_name);

// The gen_ai.provider.name for a litellm_provider value ("mistral" -> "mistral_ai"); unknown
// values are returned as they are.
std::string_view ProviderFromLiteLlm(std::string_view litellm_provider) noexcept;

}  // namespace llmtrace::genai::internal
