#include "src/genai/pricing_json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <utility>

namespace llmtrace::genai::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr std::string_view kDefaultCurrency = "USD";

Status FileError(std::string_view source, std::string_view what) {
  return InvalidArgumentError(std::string(source) + ": " + std::string(what));
}

Status ModelError(std::string_view source, std::string_view model, std::string_view what) {
  return FileError(source, "model '" + std::string(model) + "': " + std::string(what));
}

Status FieldError(std::string_view source, std::string_view model, std::string_view field,
                  std::string_view what) {
  return ModelError(source, model, "field '" + std::string(field) + "' " + std::string(what));
}

std::optional<double> NonNegativeNumber(const element& value) noexcept {
  double number = 0;
  switch (value.type()) {
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      if (value.get_double().get(number) != simdjson::SUCCESS) return std::nullopt;
      break;
    default:
      return std::nullopt;
  }
  if (!std::isfinite(number) || number < 0) return std::nullopt;
  return number;
}

bool IsCurrencyCode(std::string_view s) noexcept {
  return s.size() == 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// YYYY-MM-DD with a month 01-12 and a day 01-31.
bool IsIsoDate(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int year = 0, month = 0, day = 0;
  auto parse = [&](std::size_t at, std::size_t length, int& out) {
    auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + length, out);
    return ec == std::errc() && end == s.data() + at + length;
  };
  return parse(0, 4, year) && parse(5, 2, month) && parse(8, 2, day) && month >= 1 && month <= 12 &&
         day >= 1 && day <= 31;
}

// Reads the rate fields of one object (an entry, or its long_context tier) into `rates`.
// `field_prefix` names the tier in messages ("long_context.").
class RatesReader {
 public:
  RatesReader(std::string_view source, std::string_view model, std::string_view field_prefix)
      : source_(source), model_(model), prefix_(field_prefix) {}

  // True when `key` is a rate field (and stores it); a bad value sets error().
  bool Read(std::string_view key, const element& value) {
    std::optional<double>* slot = nullptr;
    if (key == "input") slot = &input_;
    if (key == "cache_read") slot = &cache_read_;
    if (key == "cache_write") slot = &cache_write_;
    if (key == "output") slot = &output_;
    if (key == "reasoning") slot = &reasoning_;
    if (slot == nullptr) return false;
    *slot = NonNegativeNumber(value);
    if (!*slot && error_.ok()) {
      error_ = FieldError(source_, model_, Field(key), "must be a non-negative number");
    }
    return true;
  }

  // The rates, once every field was read; input and output are required.
  Result<TokenRates> Finish() const {
    if (!error_.ok()) return error_;
    if (!input_) return FieldError(source_, model_, Field("input"), "is required");
    if (!output_) return FieldError(source_, model_, Field("output"), "is required");
    TokenRates rates;
    rates.input_per_million = *input_;
    rates.cache_read_per_million = cache_read_.value_or(*input_);
    rates.cache_write_per_million = cache_write_.value_or(*input_);
    rates.output_per_million = *output_;
    rates.reasoning_per_million = reasoning_;
    return rates;
  }

 private:
  std::string Field(std::string_view key) const { return prefix_ + std::string(key); }

  std::string_view source_, model_;
  std::string prefix_;
  std::optional<double> input_, cache_read_, cache_write_, output_, reasoning_;
  Status error_;
};

Result<LongContextTier> ReadLongContext(std::string_view source, std::string_view model,
                                        const element& value) {
  object tier_object;
  if (value.get_object().get(tier_object) != simdjson::SUCCESS) {
    return FieldError(source, model, "long_context", "must be an object");
  }
  LongContextTier tier;
  bool has_threshold = false;
  RatesReader rates(source, model, "long_context.");
  for (auto [key, field] : tier_object) {
    if (rates.Read(key, field)) continue;
    if (key == "above_input_tokens") {
      std::int64_t threshold = 0;
      if (field.get_int64().get(threshold) != simdjson::SUCCESS || threshold <= 0) {
        return FieldError(source, model, "long_context.above_input_tokens",
                          "must be a positive integer");
      }
      tier.above_input_tokens = threshold;
      has_threshold = true;
      continue;
    }
    return FieldError(source, model, "long_context." + std::string(key), "is not a known field");
  }
  if (!has_threshold) {
    return FieldError(source, model, "long_context.above_input_tokens", "is required");
  }
  auto finished = rates.Finish();
  if (!finished.ok()) return finished.status();
  tier.rates = *finished;
  return tier;
}

Result<std::string> RequiredString(std::string_view source, std::string_view model,
                                   std::string_view field, const std::optional<element>& value) {
  std::string_view text;
  if (!value) return FieldError(source, model, field, "is required");
  if (value->get_string().get(text) != simdjson::SUCCESS || text.empty()) {
    return FieldError(source, model, field, "must be a non-empty string");
  }
  return std::string(text);
}

Result<ModelPrice> ReadEntry(std::string_view source, std::string_view model,
                             const element& value) {
  object entry;
  if (value.get_object().get(entry) != simdjson::SUCCESS) {
    return ModelError(source, model, "must be an object");
  }
  ModelPrice price;
  price.model = std::string(model);
  RatesReader rates(source, model, "");
  std::optional<element> provider, currency, effective_date;
  for (auto [key, field] : entry) {
    if (rates.Read(key, field)) continue;
    if (key == "provider") {
      provider = field;
    } else if (key == "currency") {
      currency = field;
    } else if (key == "effective_date") {
      effective_date = field;
    } else if (key == "note") {
      if (!field.is_string()) return FieldError(source, model, key, "must be a string");
    } else if (key == "aliases") {
      simdjson::dom::array aliases;
      if (field.get_array().get(aliases) != simdjson::SUCCESS) {
        return FieldError(source, model, key, "must be an array of model names");
      }
      for (element alias : aliases) {
        std::string_view name;
        if (alias.get_string().get(name) != simdjson::SUCCESS || name.empty()) {
          return FieldError(source, model, key, "must be an array of model names");
        }
        price.aliases.emplace_back(name);
      }
    } else if (key == "long_context") {
      auto tier = ReadLongContext(source, model, field);
      if (!tier.ok()) return tier.status();
      price.long_context = *tier;
    } else {
      return FieldError(source, model, key, "is not a known field");
    }
  }
  auto finished = rates.Finish();
  if (!finished.ok()) return finished.status();
  price.rates = *finished;

  auto provider_name = RequiredString(source, model, "provider", provider);
  if (!provider_name.ok()) return provider_name.status();
  price.provider = std::move(*provider_name);
  auto currency_code = RequiredString(source, model, "currency", currency);
  if (!currency_code.ok()) return currency_code.status();
  if (!IsCurrencyCode(*currency_code)) {
    return FieldError(source, model, "currency", "must be an ISO 4217 code such as \"USD\"");
  }
  price.currency = std::move(*currency_code);
  auto date = RequiredString(source, model, "effective_date", effective_date);
  if (!date.ok()) return date.status();
  if (!IsIsoDate(*date)) return FieldError(source, model, "effective_date", "must be YYYY-MM-DD");
  price.effective_date = std::move(*date);
  return price;
}

Result<object> ParseTopLevelObject(simdjson::dom::parser& parser,
                                   const simdjson::padded_string& padded, std::string_view source) {
  element document;
  if (auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    return FileError(source, std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  object top;
  if (document.get_object().get(top) != simdjson::SUCCESS) {
    return FileError(source, "the top level must be a JSON object");
  }
  return top;
}

// A LiteLLM cost field in per-million units, rounded to 1e-9 so that 2.5e-06 per token reads
// back as exactly 2.5 per million. nullopt when absent; `bad` is set when present but unusable.
std::optional<double> LiteLlmCost(const object& entry, std::string_view key, bool& bad) {
  element value;
  if (entry.at_key(key).get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  std::optional<double> per_token = NonNegativeNumber(value);
  if (!per_token) {
    bad = true;
    return std::nullopt;
  }
  return std::round(*per_token * 1e15) / 1e9;
}

// LiteLLM's long-prompt prices: "input_cost_per_token_above_200k_tokens" and siblings. The
// lowest threshold found is modelled.
std::optional<std::int64_t> LiteLlmTierThreshold(const object& entry) {
  constexpr std::string_view kPrefix = "input_cost_per_token_above_";
  constexpr std::string_view kSuffix = "k_tokens";
  std::optional<std::int64_t> lowest;
  for (auto [key, value] : entry) {
    if (key.substr(0, kPrefix.size()) != kPrefix || key.size() <= kPrefix.size() + kSuffix.size() ||
        key.substr(key.size() - kSuffix.size()) != kSuffix) {
      continue;
    }
    const std::string_view digits =
        key.substr(kPrefix.size(), key.size() - kPrefix.size() - kSuffix.size());
    std::int64_t thousands = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), thousands);
    if (ec != std::errc() || end != digits.data() + digits.size() || thousands <= 0) continue;
    if (!lowest || thousands * 1000 < *lowest) lowest = thousands * 1000;
  }
  return lowest;
}

// The rates of one LiteLLM entry for the field names ending in `suffix` ("" for the base
// prices, "_above_200k_tokens" for the tier). nullopt when the entry has no input price there.
std::optional<TokenRates> LiteLlmRates(const object& entry, const std::string& suffix,
                                       const TokenRates* fallback, bool& bad) {
  std::optional<double> input = LiteLlmCost(entry, "input_cost_per_token" + suffix, bad);
  std::optional<double> output = LiteLlmCost(entry, "output_cost_per_token" + suffix, bad);
  if (!input && !output) return std::nullopt;
  TokenRates rates;
  rates.input_per_million = input.value_or(fallback ? fallback->input_per_million : 0);
  rates.output_per_million = output.value_or(fallback ? fallback->output_per_million : 0);
  rates.cache_read_per_million = LiteLlmCost(entry, "cache_read_input_token_cost" + suffix, bad)
                                     .value_or(rates.input_per_million);
  rates.cache_write_per_million =
      LiteLlmCost(entry, "cache_creation_input_token_cost" + suffix, bad)
          .value_or(rates.input_per_million);
  rates.reasoning_per_million = LiteLlmCost(entry, "output_cost_per_reasoning_token" + suffix, bad);
  if (!rates.reasoning_per_million && fallback) {
    rates.reasoning_per_million = fallback->reasoning_per_million;
  }
  return rates;
}

bool IsPricedMode(const object& entry) {
  element mode;
  if (entry.at_key("mode").get(mode) != simdjson::SUCCESS) return true;  // unspecified: chat
  std::string_view name;
  if (mode.get_string().get(name) != simdjson::SUCCESS) return false;
  return name == "chat" || name == "completion" || name == "embedding" || name == "responses";
}

}  // namespace

std::string_view ProviderFromLiteLlm(std::string_view litellm_provider) noexcept {
  static constexpr std::pair<std::string_view, std::string_view> kProviders[] = {
      {"openai", "openai"},
      {"text-completion-openai", "openai"},
      {"azure", "azure.ai.openai"},
      {"azure_ai", "azure.ai.inference"},
      {"anthropic", "anthropic"},
      {"gemini", "gcp.gemini"},
      {"vertex_ai-language-models", "gcp.vertex_ai"},
      {"vertex_ai-anthropic_models", "gcp.vertex_ai"},
      {"vertex_ai-mistral_models", "gcp.vertex_ai"},
      {"vertex_ai-embedding-models", "gcp.vertex_ai"},
      {"deepseek", "deepseek"},
      {"mistral", "mistral_ai"},
      {"codestral", "mistral_ai"},
      {"text-completion-codestral", "mistral_ai"},
      {"bedrock", "aws.bedrock"},
      {"bedrock_converse", "aws.bedrock"},
      {"groq", "groq"},
      {"cohere", "cohere"},
      {"cohere_chat", "cohere"},
      {"xai", "x_ai"},
      {"perplexity", "perplexity"},
      {"watsonx", "ibm.watsonx.ai"},
  };
  for (const auto& [litellm, otel] : kProviders) {
    if (litellm == litellm_provider) return otel;
  }
  return litellm_provider;
}

Result<PriceFile> ParseLlmtracePriceFile(std::string_view json, std::string_view source) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  auto top = ParseTopLevelObject(parser, padded, source);
  if (!top.ok()) return top.status();
  PriceFile file;
  bool has_models = false;
  std::set<std::string, std::less<>> seen;
  for (auto [key, value] : *top) {
    if (key == "schema_version") {
      std::int64_t version = 0;
      if (value.get_int64().get(version) != simdjson::SUCCESS || version != 1) {
        return FileError(source, "field 'schema_version' must be 1");
      }
    } else if (key == "source") {
      if (!value.is_string()) return FileError(source, "field 'source' must be a string");
    } else if (key == "models") {
      object models;
      if (value.get_object().get(models) != simdjson::SUCCESS) {
        return FileError(source, "field 'models' must be an object keyed by model name");
      }
      has_models = true;
      for (auto [model, entry] : models) {
        if (model.empty()) return FileError(source, "a model name is empty");
        if (!seen.emplace(model).second) return ModelError(source, model, "appears twice");
        auto price = ReadEntry(source, model, entry);
        if (!price.ok()) return price.status();
        file.models.push_back(std::move(*price));
      }
    } else {
      return FileError(source, "field '" + std::string(key) + "' is not a known top-level field");
    }
  }
  if (!has_models) return FileError(source, "field 'models' is required");
  return file;
}

Result<PriceFile> ParseLiteLlmPriceFile(std::string_view json, std::string_view source) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  auto top = ParseTopLevelObject(parser, padded, source);
  if (!top.ok()) return top.status();
  PriceFile file;
  std::set<std::string, std::less<>> seen;
  for (auto [model, value] : *top) {
    if (model == "sample_spec") continue;  // LiteLLM's documentation of its own fields
    object entry;
    bool bad = false;
    std::optional<TokenRates> rates;
    if (!model.empty() && value.get_object().get(entry) == simdjson::SUCCESS &&
        IsPricedMode(entry)) {
      rates = LiteLlmRates(entry, "", nullptr, bad);
    }
    if (!rates || bad || !seen.emplace(model).second) {
      ++file.skipped_entries;
      continue;
    }
    ModelPrice price;
    price.model = std::string(model);
    price.rates = *rates;
    if (auto threshold = LiteLlmTierThreshold(entry)) {
      const std::string suffix = "_above_" + std::to_string(*threshold / 1000) + "k_tokens";
      if (auto tier = LiteLlmRates(entry, suffix, &price.rates, bad); tier && !bad) {
        price.long_context = LongContextTier{*threshold, *tier};
      }
    }
    std::string_view provider;
    if (entry.at_key("litellm_provider").get(provider) == simdjson::SUCCESS) {
      price.provider = std::string(ProviderFromLiteLlm(provider));
    }
    price.currency = std::string(kDefaultCurrency);
    file.models.push_back(std::move(price));
  }
  return file;
}

Result<PriceFile> ParsePriceFile(std::string_view json, std::string_view source) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  auto top = ParseTopLevelObject(parser, padded, source);
  if (!top.ok()) return top.status();
  element ignored;
  const bool ours = top->at_key("models").get(ignored) == simdjson::SUCCESS ||
                    top->at_key("schema_version").get(ignored) == simdjson::SUCCESS;
  return ours ? ParseLlmtracePriceFile(json, source) : ParseLiteLlmPriceFile(json, source);
}

}  // namespace llmtrace::genai::internal
