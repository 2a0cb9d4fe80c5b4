#include "llmtrace/genai/pricing_catalog.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "llmtrace/genai/model_family.h"
#include "src/genai/pricing_json.h"
#include "src/genai/resolved_name_cache.h"

namespace llmtrace::genai {
namespace {

// Resolved names kept (dated and prefixed spellings of known models, and unknown names).
constexpr std::size_t kMaxResolvedNames = 2048;
// Unknown names remembered, and so warned about one by one; past this a rate-limited warning.
constexpr std::size_t kMaxUnknownNames = 1024;

double Count(std::int64_t tokens) noexcept { return tokens > 0 ? static_cast<double>(tokens) : 0; }

// Model names can come from untrusted requests (the gateway): keep log lines one short line.
std::string PrintableModelName(std::string_view model) {
  constexpr std::size_t kMaxLength = 128;
  std::string printable;
  for (char c : model.substr(0, kMaxLength)) printable += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (model.size() > kMaxLength) printable += "...";
  return printable;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return UnavailableError("cannot read " + path + ": read error");
  return contents.str();
}

// Within one file a name is either one model's key or one alias; never both.
Status CheckAliases(const std::vector<ModelPrice>& models, std::string_view source) {
  std::map<std::string_view, std::string_view> owner;  // name -> model that claims it
  for (const ModelPrice& price : models) owner.emplace(price.model, price.model);
  for (const ModelPrice& price : models) {
    for (const std::string& alias : price.aliases) {
      auto [it, inserted] = owner.emplace(alias, price.model);
      if (!inserted) {
        return InvalidArgumentError(std::string(source) + ": model '" + price.model +
                                    "': field 'aliases': '" + alias + "' is already " +
                                    (it->first == it->second
                                         ? "a model"
                                         : "an alias of '" + std::string(it->second) + "'"));
      }
    }
  }
  return Status::Ok();
}

Result<internal::PriceFile> LoadFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status().WithContext("pricing catalog");
  auto file = internal::ParsePriceFile(*text, path);
  if (!file.ok()) return file.status();
  if (Status aliases = CheckAliases(file->models, path); !aliases.ok()) return aliases;
  return file;
}

}  // namespace

CostBreakdown ComputeCost(const ModelPrice& price, const TokenUsage& usage) noexcept {
  constexpr double kPerMillion = 1e-6;
  const TokenRates& rates = price.RatesFor(usage);
  CostBreakdown cost;
  cost.currency = price.currency;
  cost.long_context = &rates != &price.rates;
  cost.input = Count(usage.uncached_input_tokens()) * rates.input_per_million * kPerMillion;
  cost.cache_read =
      Count(usage.cache_read_input_tokens) * rates.cache_read_per_million * kPerMillion;
  cost.cache_write =
      Count(usage.cache_write_input_tokens) * rates.cache_write_per_million * kPerMillion;
  if (rates.reasoning_per_million) {
    cost.output =
        Count(usage.non_reasoning_output_tokens()) * rates.output_per_million * kPerMillion;
    cost.reasoning =
        Count(usage.reasoning_output_tokens) * *rates.reasoning_per_million * kPerMillion;
  } else {
    cost.output = Count(usage.output_tokens) * rates.output_per_million * kPerMillion;
  }
  cost.total = cost.input + cost.cache_read + cost.cache_write + cost.output + cost.reasoning;
  return cost;
}

std::string_view DefaultPricingCatalogPath() noexcept {
#ifdef LLMTRACE_PRICING_DEFAULT_PATH
  return LLMTRACE_PRICING_DEFAULT_PATH;
#else
  return {};
#endif
}

PricingCatalog::PricingCatalog(std::vector<ModelPrice> models, std::size_t skipped_entries)
    : models_(std::move(models)),
      skipped_entries_(skipped_entries),
      resolved_(std::make_unique<internal::ResolvedNameCache>(kMaxResolvedNames)) {}

PricingCatalog::~PricingCatalog() = default;

Result<std::shared_ptr<const PricingCatalog>> PricingCatalog::Build(std::vector<ModelPrice> models,
                                                                    std::size_t skipped_entries) {
  // Earlier models win an alias two of them claim (the override file's come first); a model's
  // own key always beats another model's alias.
  std::map<std::string, std::string, std::less<>> alias_owner;
  for (const ModelPrice& price : models) {
    for (const std::string& alias : price.aliases) alias_owner.emplace(alias, price.model);
  }
  // LiteLLM keys carry routing prefixes ("gemini/gemini-2.5-pro"); lookups strip the prefix
  // from the name asked for, so the bare name answers too, unless something else claims it.
  for (const ModelPrice& price : models) {
    const std::string_view bare = StripProviderPrefix(price.model);
    if (bare != price.model) alias_owner.emplace(std::string(bare), price.model);
  }
  std::sort(models.begin(), models.end(),
            [](const ModelPrice& a, const ModelPrice& b) { return a.model < b.model; });
  std::shared_ptr<PricingCatalog> catalog(new PricingCatalog(std::move(models), skipped_entries));
  for (const ModelPrice& price : catalog->models_) catalog->exact_.emplace(price.model, &price);
  for (const auto& [alias, model] : alias_owner) {
    if (catalog->exact_.contains(alias)) continue;
    catalog->exact_.emplace(alias, catalog->exact_.find(model)->second);
  }
  return std::shared_ptr<const PricingCatalog>(std::move(catalog));
}

Result<std::shared_ptr<const PricingCatalog>> PricingCatalog::FromJson(
    std::string_view json, std::string_view source_name) {
  auto file = internal::ParseLlmtracePriceFile(json, source_name);
  if (!file.ok()) return file.status();
  if (Status aliases = CheckAliases(file->models, source_name); !aliases.ok()) return aliases;
  return Build(std::move(file->models), file->skipped_entries);
}

Result<std::shared_ptr<const PricingCatalog>> PricingCatalog::FromLiteLlmJson(
    std::string_view json, std::string_view source_name) {
  auto file = internal::ParseLiteLlmPriceFile(json, source_name);
  if (!file.ok()) return file.status();
  return Build(std::move(file->models), file->skipped_entries);
}

Result<std::shared_ptr<const PricingCatalog>> PricingCatalog::Create(
    const PricingCatalogOptions& options) {
  EnvironmentReader env(options.environment != nullptr ? *options.environment
                                                       : ProcessEnvironment::Instance());
  std::string catalog_path = options.catalog_path;
  if (catalog_path.empty()) {
    catalog_path = env.GetString("LLMTRACE_PRICING_CATALOG")
                       .value_or(std::string(DefaultPricingCatalogPath()));
  }
  if (catalog_path.empty()) {
    return FailedPreconditionError(
        "pricing catalog: no catalog file: set PricingCatalogOptions::catalog_path or "
        "LLMTRACE_PRICING_CATALOG (this build does not know its install location)");
  }
  std::string override_path = options.override_path;
  if (override_path.empty()) override_path = env.GetString("LLMTRACE_PRICING_FILE").value_or("");

  auto base = LoadFile(catalog_path);
  if (!base.ok()) return base.status();
  if (override_path.empty()) return Build(std::move(base->models), base->skipped_entries);

  auto overrides = LoadFile(override_path);
  if (!overrides.ok()) return overrides.status();
  std::set<std::string, std::less<>> overridden;
  for (const ModelPrice& price : overrides->models) overridden.insert(price.model);
  std::vector<ModelPrice> merged = std::move(overrides->models);
  for (ModelPrice& price : base->models) {
    if (!overridden.contains(price.model)) merged.push_back(std::move(price));
  }
  return Build(std::move(merged), base->skipped_entries + overrides->skipped_entries);
}

const ModelPrice* PricingCatalog::FindExact(std::string_view name) const noexcept {
  auto it = exact_.find(name);
  return it == exact_.end() ? nullptr : it->second;
}

const ModelPrice* PricingCatalog::CountUnpriced() const noexcept {
  unpriced_lookups_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

const ModelPrice* PricingCatalog::Find(std::string_view model) const noexcept {
  if (const ModelPrice* price = FindExact(model)) return price;
  if (std::optional<const ModelPrice*> cached = resolved_->Lookup(model)) {
    return *cached != nullptr ? *cached : CountUnpriced();
  }
  return ResolveFirstTime(model);
}

const ModelPrice* PricingCatalog::ResolveFirstTime(std::string_view model) const noexcept {
  try {
    for (const std::string& candidate : ModelNameCandidates(model)) {
      if (const ModelPrice* price = FindExact(candidate)) {
        resolved_->Insert(model, price);  // when full, the name is resolved again next time
        return price;
      }
    }
    if (unknown_names_cached_.load(std::memory_order_relaxed) < kMaxUnknownNames) {
      switch (resolved_->Insert(model, nullptr)) {
        case internal::ResolvedNameCache::InsertResult::kInserted:
          unknown_names_cached_.fetch_add(1, std::memory_order_relaxed);
          InternalLog(LogLevel::kWarning, "pricing catalog: no price for model '" +
                                              PrintableModelName(model) +
                                              "'; its cost is unknown (add it to the file named by "
                                              "LLMTRACE_PRICING_FILE)");
          return CountUnpriced();
        case internal::ResolvedNameCache::InsertResult::kAlreadyPresent:
          return CountUnpriced();  // another thread found it unknown first and warned
        case internal::ResolvedNameCache::InsertResult::kFull:
          break;
      }
    }
    cache_full_log_.Warn([&] {
      return "pricing catalog: no price for model '" + PrintableModelName(model) +
             "'; too many unknown model names to warn about each";
    });
  } catch (...) {  // out of memory while resolving: the cost is unknown this time
  }
  return CountUnpriced();
}

std::optional<CostBreakdown> PricingCatalog::Cost(std::string_view model,
                                                  const TokenUsage& usage) const noexcept {
  const ModelPrice* price = Find(model);
  if (price == nullptr) return std::nullopt;
  return ComputeCost(*price, usage);
}

}  // namespace llmtrace::genai
