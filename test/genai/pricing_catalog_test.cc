#include "llmtrace/genai/pricing_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "llmtrace/common/internal_log.h"

namespace llmtrace::genai {
namespace {

using ::testing::HasSubstr;

constexpr char kShippedCatalog[] = LLMTRACE_SOURCE_DIR "/data/pricing.json";
constexpr char kLiteLlmSample[] =
    LLMTRACE_SOURCE_DIR "/test/testdata/litellm_model_prices_sample.json";

// Round prices, so the expected costs below can be checked by hand.
constexpr char kTestCatalog[] = R"({
  "schema_version": 1,
  "source": "test prices",
  "models": {
    "gpt-4o": {"provider": "openai", "input": 2.50, "cache_read": 1.25, "output": 10.00,
               "currency": "USD", "effective_date": "2024-10-01"},
    "gpt-4o-2024-05-13": {"provider": "openai", "input": 5.00, "output": 15.00,
                          "currency": "USD", "effective_date": "2024-05-13"},
    "o4-mini": {"provider": "openai", "input": 1.10, "cache_read": 0.275, "output": 4.40,
                "currency": "USD", "effective_date": "2025-04-16"},
    "claude-sonnet-4": {"provider": "anthropic", "input": 3.00, "cache_read": 0.30,
                        "cache_write": 3.75, "output": 15.00, "currency": "USD",
                        "effective_date": "2025-05-22", "aliases": ["claude-sonnet-4-0"]},
    "claude-3-5-sonnet": {"provider": "anthropic", "input": 3.00, "output": 15.00,
                          "currency": "USD", "effective_date": "2024-10-22"},
    "claude-3-5-sonnet-20241022": {"provider": "anthropic", "input": 1.00, "output": 2.00,
                                   "currency": "USD", "effective_date": "2024-10-22"},
    "thinker-preview": {"provider": "gcp.gemini", "input": 0.15, "output": 0.60,
                        "reasoning": 3.50, "currency": "USD", "effective_date": "2025-04-17"},
    "gemini-2.5-pro": {"provider": "gcp.gemini", "input": 1.25, "cache_read": 0.31,
                       "output": 10.00, "currency": "USD", "effective_date": "2025-06-17",
                       "long_context": {"above_input_tokens": 200000, "input": 2.50,
                                        "cache_read": 0.625, "output": 15.00}}
  }
})";

std::shared_ptr<const PricingCatalog> TestCatalog() {
  auto catalog = PricingCatalog::FromJson(kTestCatalog, "test.json");
  EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
  return *catalog;
}

std::string WriteTempFile(const std::string& name, std::string_view contents) {
  const std::string path = ::testing::TempDir() + "/pricing_catalog_test_" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
  return path;
}

std::string ErrorOf(std::string_view json, std::string_view source = "bad.json") {
  auto catalog = PricingCatalog::FromJson(json, source);
  EXPECT_FALSE(catalog.ok());
  return catalog.ok() ? std::string() : catalog.status().message();
}

// An entry for "m" with the given fields spliced in after the valid ones.
std::string OneModel(std::string_view fields) {
  return std::string(R"({"models": {"m": {"provider": "openai", "currency": "USD", )"
                     R"("effective_date": "2025-01-01")") +
         std::string(fields) + "}}}";
}

// Captures the internal log's warnings for the life of the object.
class WarningCapture {
 public:
  WarningCapture() {
    previous_ = SetInternalLogHandler([this](LogLevel level, std::string_view message) {
      if (level != LogLevel::kWarning) return;
      std::lock_guard<std::mutex> lock(mutex_);
      warnings_.emplace_back(message);
    });
  }
  ~WarningCapture() { SetInternalLogHandler(std::move(previous_)); }
  int CountContaining(std::string_view text) {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& w : warnings_) n += w.find(text) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  InternalLogHandler previous_;
  std::mutex mutex_;
  std::vector<std::string> warnings_;
};

TEST(PricingCatalogTest, PricesPlainInputAndOutput) {
  auto catalog = TestCatalog();
  auto cost = catalog->Cost("gpt-4o", TokenUsage{.input_tokens = 1000, .output_tokens = 500});
  ASSERT_TRUE(cost.has_value());
  EXPECT_DOUBLE_EQ(cost->input, 0.0025);  // 1000 * 2.50 / 1e6
  EXPECT_DOUBLE_EQ(cost->output, 0.005);  // 500 * 10.00 / 1e6
  EXPECT_DOUBLE_EQ(cost->cache_read, 0);
  EXPECT_DOUBLE_EQ(cost->total, 0.0075);
  EXPECT_EQ(cost->currency, "USD");
}

TEST(PricingCatalogTest, BillsOpenAiCachedTokensOutOfTheInclusiveInputCount) {
  auto catalog = TestCatalog();
  // OpenAI: prompt_tokens 10000 of which cached_tokens 8000.
  auto cost = catalog->Cost(
      "gpt-4o",
      TokenUsage{.input_tokens = 10000, .output_tokens = 200, .cache_read_input_tokens = 8000});
  ASSERT_TRUE(cost.has_value());
  EXPECT_DOUBLE_EQ(cost->input, 0.005);      // 2000 uncached * 2.50 / 1e6
  EXPECT_DOUBLE_EQ(cost->cache_read, 0.01);  // 8000 * 1.25 / 1e6
  EXPECT_DOUBLE_EQ(cost->output, 0.002);     // 200 * 10.00 / 1e6
  EXPECT_DOUBLE_EQ(cost->total, 0.017);
}

TEST(PricingCatalogTest, BillsAnthropicCacheReadsAndWritesFromTheExclusiveForm) {
  auto catalog = TestCatalog();
  const TokenUsage usage = TokenUsage::FromExclusiveInput(
      /*uncached_input=*/100, /*cache_read=*/20000, /*cache_write=*/5000, /*output=*/400);
  auto cost = catalog->Cost("claude-sonnet-4", usage);
  ASSERT_TRUE(cost.has_value());
  EXPECT_DOUBLE_EQ(cost->input, 0.0003);         // 100 * 3.00 / 1e6
  EXPECT_DOUBLE_EQ(cost->cache_read, 0.006);     // 20000 * 0.30 / 1e6
  EXPECT_DOUBLE_EQ(cost->cache_write, 0.01875);  // 5000 * 3.75 / 1e6
  EXPECT_DOUBLE_EQ(cost->output, 0.006);         // 400 * 15.00 / 1e6
  EXPECT_DOUBLE_EQ(cost->total, 0.03105);
}

TEST(PricingCatalogTest, PricesReasoningTokensApartWhenTheEntrySaysSo) {
  auto catalog = TestCatalog();
  const TokenUsage usage{
      .input_tokens = 1000, .output_tokens = 3000, .reasoning_output_tokens = 2500};
  auto cost = catalog->Cost("thinker-preview", usage);
  ASSERT_TRUE(cost.has_value());
  EXPECT_DOUBLE_EQ(cost->input, 0.00015);      // 1000 * 0.15 / 1e6
  EXPECT_DOUBLE_EQ(cost->output, 0.0003);      // 500 visible * 0.60 / 1e6
  EXPECT_DOUBLE_EQ(cost->reasoning, 0.00875);  // 2500 * 3.50 / 1e6
  EXPECT_DOUBLE_EQ(cost->total, 0.0092);
}

TEST(PricingCatalogTest, BillsReasoningTokensAsOutputWhenNotPricedApart) {
  auto catalog = TestCatalog();
  const TokenUsage usage{
      .input_tokens = 1000, .output_tokens = 3000, .reasoning_output_tokens = 2500};
  auto cost = catalog->Cost("o4-mini", usage);
  ASSERT_TRUE(cost.has_value());
  EXPECT_DOUBLE_EQ(cost->input, 0.0011);   // 1000 * 1.10 / 1e6
  EXPECT_DOUBLE_EQ(cost->output, 0.0132);  // all 3000 * 4.40 / 1e6
  EXPECT_DOUBLE_EQ(cost->reasoning, 0);
  EXPECT_DOUBLE_EQ(cost->total, 0.0143);
}

TEST(PricingCatalogTest, AppliesTheLongContextTierOnlyAboveItsThreshold) {
  auto catalog = TestCatalog();
  auto at_threshold =
      catalog->Cost("gemini-2.5-pro", TokenUsage{.input_tokens = 200000, .output_tokens = 1000});
  ASSERT_TRUE(at_threshold.has_value());
  EXPECT_FALSE(at_threshold->long_context);
  EXPECT_DOUBLE_EQ(at_threshold->total, 0.26);  // 200000 * 1.25 + 1000 * 10.00, / 1e6

  auto above =
      catalog->Cost("gemini-2.5-pro", TokenUsage{.input_tokens = 250000, .output_tokens = 1000});
  ASSERT_TRUE(above.has_value());
  EXPECT_TRUE(above->long_context);
  EXPECT_DOUBLE_EQ(above->input, 0.625);   // 250000 * 2.50 / 1e6
  EXPECT_DOUBLE_EQ(above->output, 0.015);  // 1000 * 15.00 / 1e6
  EXPECT_DOUBLE_EQ(above->total, 0.64);
}

TEST(PricingCatalogTest, TreatsNegativeCountsAsZero) {
  auto catalog = TestCatalog();
  auto cost = catalog->Cost(
      "gpt-4o", TokenUsage{.input_tokens = -5, .output_tokens = -1, .cache_read_input_tokens = -3});
  ASSERT_TRUE(cost.has_value());
  EXPECT_DOUBLE_EQ(cost->total, 0);
}

TEST(PricingCatalogTest, UnknownModelHasUnknownCostIsCountedAndWarnedOnce) {
  WarningCapture warnings;
  auto catalog = TestCatalog();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(catalog->Find("no-such-model"), nullptr);
    EXPECT_EQ(catalog->Cost("no-such-model", TokenUsage{.input_tokens = 10}), std::nullopt);
  }
  EXPECT_EQ(catalog->unpriced_lookups(), 6u);
  EXPECT_EQ(warnings.CountContaining("'no-such-model'"), 1);
  ASSERT_NE(catalog->Find("gpt-4o"), nullptr);
  EXPECT_EQ(catalog->unpriced_lookups(), 6u);
}

TEST(PricingCatalogTest, ResolvesDatedAndPrefixedNamesToTheirFamily) {
  auto catalog = TestCatalog();
  const ModelPrice* gpt4o = catalog->Find("gpt-4o");
  ASSERT_NE(gpt4o, nullptr);
  EXPECT_EQ(catalog->Find("gpt-4o-2024-08-06"), gpt4o);
  EXPECT_EQ(catalog->Find("gpt-4o-2024-08-06"), gpt4o);  // second time from the cache
  EXPECT_EQ(catalog->Find("openai/gpt-4o"), gpt4o);
  EXPECT_EQ(catalog->Find("gpt-4o-latest"), gpt4o);
  ASSERT_NE(catalog->Find("claude-sonnet-4-20250514"), nullptr);
  EXPECT_EQ(catalog->Find("claude-sonnet-4-20250514")->model, "claude-sonnet-4");
  EXPECT_EQ(catalog->Find("anthropic/claude-sonnet-4-20250514")->model, "claude-sonnet-4");
  EXPECT_EQ(catalog->Find("claude-sonnet-4-0")->model, "claude-sonnet-4");  // alias
  EXPECT_EQ(catalog->unpriced_lookups(), 0u);
}

TEST(PricingCatalogTest, ExactEntryWinsOverItsFamily) {
  auto catalog = TestCatalog();
  ASSERT_NE(catalog->Find("gpt-4o-2024-05-13"), nullptr);
  EXPECT_EQ(catalog->Find("gpt-4o-2024-05-13")->model, "gpt-4o-2024-05-13");
  EXPECT_DOUBLE_EQ(catalog->Find("gpt-4o-2024-05-13")->rates.input_per_million, 5.00);
}

TEST(PricingCatalogTest, LongestFamilyMatchWins) {
  auto catalog = TestCatalog();
  // Stripping "-v2:0" finds the dated entry before stripping the date finds the family.
  const ModelPrice* price = catalog->Find("claude-3-5-sonnet-20241022-v2:0");
  ASSERT_NE(price, nullptr);
  EXPECT_EQ(price->model, "claude-3-5-sonnet-20241022");
  EXPECT_EQ(catalog->Find("claude-3-5-sonnet-20240620")->model, "claude-3-5-sonnet");
}

TEST(PricingCatalogTest, NeverResolvesADifferentModelToAFamily) {
  auto catalog = TestCatalog();  // has gpt-4o but no gpt-4o-mini
  EXPECT_EQ(catalog->Find("gpt-4o-mini"), nullptr);
  EXPECT_EQ(catalog->Find("gpt-4o-mini-2024-07-18"), nullptr);
  EXPECT_EQ(catalog->Find("gpt-4o-realtime-preview"), nullptr);
  EXPECT_EQ(catalog->Find("claude-3-5"), nullptr);
  EXPECT_EQ(catalog->unpriced_lookups(), 4u);
}

TEST(PricingCatalogTest, ShippedCatalogCoversFiveProvidersWithListPrices) {
  MapEnvironment env;
  auto catalog = PricingCatalog::Create({.catalog_path = kShippedCatalog, .environment = &env});
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_GE((*catalog)->size(), 40u);
  std::set<std::string> providers;
  for (const ModelPrice& price : (*catalog)->models()) {
    providers.insert(price.provider);
    EXPECT_EQ(price.currency, "USD") << price.model;
    EXPECT_EQ(price.effective_date.size(), 10u) << price.model;
  }
  EXPECT_EQ(providers,
            (std::set<std::string>{"openai", "anthropic", "gcp.gemini", "deepseek", "mistral_ai"}));
  const ModelPrice* mini = (*catalog)->Find("gpt-4o-mini-2024-07-18");
  ASSERT_NE(mini, nullptr);
  EXPECT_EQ(mini->model, "gpt-4o-mini");
  EXPECT_DOUBLE_EQ(mini->rates.input_per_million, 0.15);
  EXPECT_DOUBLE_EQ(mini->rates.cache_read_per_million, 0.075);
  EXPECT_DOUBLE_EQ(mini->rates.output_per_million, 0.60);
  const ModelPrice* sonnet = (*catalog)->Find("claude-sonnet-4-20250514");
  ASSERT_NE(sonnet, nullptr);
  EXPECT_DOUBLE_EQ(sonnet->rates.input_per_million, 3.00);
  EXPECT_DOUBLE_EQ(sonnet->rates.cache_read_per_million, 0.30);
  EXPECT_DOUBLE_EQ(sonnet->rates.cache_write_per_million, 3.75);
  EXPECT_DOUBLE_EQ(sonnet->rates.output_per_million, 15.00);
  for (std::string_view name :
       {"gpt-4o-2024-08-06", "claude-3-5-sonnet-20241022", "gemini-2.0-flash-001",
        "mistral-large-2411", "mistral-large-latest", "deepseek/deepseek-chat"}) {
    EXPECT_NE((*catalog)->Find(name), nullptr) << name;
  }
  EXPECT_EQ((*catalog)->Find("gemini-2.0-flash-001")->model, "gemini-2.0-flash");
  EXPECT_EQ((*catalog)->Find("mistral-large-2411")->model, "mistral-large");
}

TEST(PricingCatalogTest, OverrideFileWinsPerModelAndAddsModels) {
  const std::string base = WriteTempFile("base.json", R"({"models": {
    "gpt-4o": {"provider": "openai", "input": 2.5, "output": 10, "currency": "USD",
               "effective_date": "2024-10-01", "aliases": ["my-default"]},
    "gpt-4o-mini": {"provider": "openai", "input": 0.15, "output": 0.6, "currency": "USD",
                    "effective_date": "2024-07-18"}}})");
  const std::string override = WriteTempFile("override.json", R"({"models": {
    "gpt-4o": {"provider": "openai", "input": 2.0, "output": 8, "currency": "USD",
               "effective_date": "2025-01-01"},
    "my-finetune": {"provider": "openai", "input": 3.75, "output": 15, "currency": "USD",
                    "effective_date": "2025-02-01", "aliases": ["my-default"]}}})");
  MapEnvironment env;
  auto catalog = PricingCatalog::Create(
      {.catalog_path = base, .override_path = override, .environment = &env});
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ((*catalog)->size(), 3u);
  EXPECT_DOUBLE_EQ((*catalog)->Find("gpt-4o-2024-08-06")->rates.input_per_million, 2.0);
  EXPECT_EQ((*catalog)->Find("gpt-4o")->effective_date, "2025-01-01");
  EXPECT_DOUBLE_EQ((*catalog)->Find("gpt-4o-mini")->rates.input_per_million, 0.15);
  EXPECT_EQ((*catalog)->Find("my-finetune")->rates.output_per_million, 15);
  EXPECT_EQ((*catalog)->Find("my-default")->model, "my-finetune");
}

TEST(PricingCatalogTest, ReadsBothPathsFromTheEnvironmentWhenOptionsLeaveThemEmpty) {
  const std::string override = WriteTempFile("env_override.json", R"({"models": {
    "gpt-4o": {"provider": "openai", "input": 1.0, "output": 2.0, "currency": "USD",
               "effective_date": "2025-03-01"}}})");
  MapEnvironment env{{"LLMTRACE_PRICING_CATALOG", kShippedCatalog},
                     {"LLMTRACE_PRICING_FILE", override}};
  auto catalog = PricingCatalog::Create({.environment = &env});
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_DOUBLE_EQ((*catalog)->Find("gpt-4o")->rates.input_per_million, 1.0);
  EXPECT_NE((*catalog)->Find("claude-3-haiku"), nullptr);

  // An explicit option beats the variable.
  auto explicit_base = PricingCatalog::Create(
      {.catalog_path = kShippedCatalog, .override_path = kShippedCatalog, .environment = &env});
  ASSERT_TRUE(explicit_base.ok()) << explicit_base.status().ToString();
  EXPECT_DOUBLE_EQ((*explicit_base)->Find("gpt-4o")->rates.input_per_million, 2.5);
}

TEST(PricingCatalogTest, WithoutAnyCatalogPathCreateSaysHowToGiveOne) {
  if (!DefaultPricingCatalogPath().empty()) GTEST_SKIP() << "this build has an installed default";
  MapEnvironment env;
  auto catalog = PricingCatalog::Create({.environment = &env});
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(catalog.status().message(), HasSubstr("LLMTRACE_PRICING_CATALOG"));
}

TEST(PricingCatalogTest, MissingFileErrorNamesThePath) {
  MapEnvironment env;
  auto catalog =
      PricingCatalog::Create({.catalog_path = "/nonexistent/pricing.json", .environment = &env});
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(catalog.status().message(), HasSubstr("/nonexistent/pricing.json"));
}

TEST(PricingCatalogTest, LoadsLiteLlmPricesConvertedToPerMillion) {
  std::ifstream in(kLiteLlmSample);
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(json.empty());
  auto catalog = PricingCatalog::FromLiteLlmJson(json, "litellm.json");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ((*catalog)->size(), 7u);
  // dall-e-3 and whisper-1 (not chat), the entry without costs, the entry with a string cost.
  EXPECT_EQ((*catalog)->skipped_entries(), 4u);
  EXPECT_EQ((*catalog)->Find("sample_spec"), nullptr);

  const ModelPrice* gpt4o = (*catalog)->Find("gpt-4o-2024-08-06");
  ASSERT_NE(gpt4o, nullptr);
  EXPECT_EQ(gpt4o->provider, "openai");
  EXPECT_EQ(gpt4o->rates.input_per_million, 2.5);  // 2.5e-06 per token, exactly
  EXPECT_EQ(gpt4o->rates.cache_read_per_million, 1.25);
  EXPECT_EQ(gpt4o->rates.cache_write_per_million, 2.5);  // absent: bills as input
  EXPECT_EQ(gpt4o->rates.output_per_million, 10.0);
  EXPECT_EQ(gpt4o->currency, "USD");

  const ModelPrice* haiku = (*catalog)->Find("claude-3-5-haiku-20241022");
  ASSERT_NE(haiku, nullptr);
  EXPECT_EQ(haiku->provider, "anthropic");
  EXPECT_EQ(haiku->rates.cache_write_per_million, 1.0);
  EXPECT_EQ(haiku->rates.cache_read_per_million, 0.08);

  const ModelPrice* pro = (*catalog)->Find("gemini-2.5-pro");  // key "gemini/gemini-2.5-pro"
  ASSERT_NE(pro, nullptr);
  EXPECT_EQ(pro->provider, "gcp.gemini");
  ASSERT_TRUE(pro->long_context.has_value());
  EXPECT_EQ(pro->long_context->above_input_tokens, 200000);
  EXPECT_EQ(pro->long_context->rates.input_per_million, 2.5);
  EXPECT_EQ(pro->long_context->rates.cache_read_per_million, 0.625);
  EXPECT_EQ(pro->long_context->rates.output_per_million, 15.0);

  const ModelPrice* preview = (*catalog)->Find("gemini/gemini-2.5-flash-preview-04-17");
  ASSERT_NE(preview, nullptr);
  EXPECT_EQ(preview->rates.reasoning_per_million, 3.5);
  EXPECT_EQ((*catalog)->Find("deepseek-reasoner")->provider, "deepseek");
  EXPECT_EQ((*catalog)->Find("mistral/mistral-large-latest")->provider, "mistral_ai");
  EXPECT_EQ((*catalog)->Find("text-embedding-3-small")->rates.input_per_million, 0.02);
}

TEST(PricingCatalogTest, CreateDetectsALiteLlmFile) {
  MapEnvironment env;
  auto catalog = PricingCatalog::Create({.catalog_path = kLiteLlmSample, .environment = &env});
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ((*catalog)->size(), 7u);
}

TEST(PricingCatalogTest, MalformedEntriesNameTheFileModelAndField) {
  EXPECT_EQ(ErrorOf(R"({"models": {"gpt-4o": {"provider": "openai", "input": 2.5,
                "output": -1, "currency": "USD", "effective_date": "2024-10-01"}}})",
                    "data/pricing.json"),
            "data/pricing.json: model 'gpt-4o': field 'output' must be a non-negative number");
  EXPECT_EQ(ErrorOf(OneModel(R"(, "input": 1, "output": "2")")),
            "bad.json: model 'm': field 'output' must be a non-negative number");
  EXPECT_EQ(ErrorOf(OneModel(R"(, "input": 1)")),
            "bad.json: model 'm': field 'output' is required");
  EXPECT_EQ(ErrorOf(OneModel(R"(, "input": 1, "ouput": 2)")),
            "bad.json: model 'm': field 'ouput' is not a known field");
  EXPECT_EQ(ErrorOf(R"({"models": {"m": {"provider": "openai", "input": 1, "output": 2,
                "currency": "USD", "effective_date": "2025-13-01"}}})"),
            "bad.json: model 'm': field 'effective_date' must be YYYY-MM-DD");
  EXPECT_EQ(ErrorOf(R"({"models": {"m": {"provider": "openai", "input": 1, "output": 2,
                "effective_date": "2025-01-01"}}})"),
            "bad.json: model 'm': field 'currency' is required");
  EXPECT_EQ(
      ErrorOf(OneModel(R"(, "input": 1, "output": 2, "long_context": {"input": 2, "output": 4})")),
      "bad.json: model 'm': field 'long_context.above_input_tokens' is required");
  EXPECT_EQ(ErrorOf(OneModel(R"(, "input": 1, "output": 2, "aliases": ["m"])")),
            "bad.json: model 'm': field 'aliases': 'm' is already a model");
  EXPECT_THAT(ErrorOf(R"({"models": {"m": )"), HasSubstr("bad.json: not valid JSON"));
  EXPECT_EQ(ErrorOf(R"({"schema_version": 2, "models": {}})"),
            "bad.json: field 'schema_version' must be 1");
  EXPECT_EQ(ErrorOf(R"({"source": "x"})"), "bad.json: field 'models' is required");
}

TEST(PricingCatalogTest, MalformedFileLoadedByCreateNamesThePath) {
  const std::string path =
      WriteTempFile("malformed.json", OneModel(R"(, "input": -2, "output": 1)"));
  MapEnvironment env;
  auto catalog = PricingCatalog::Create({.catalog_path = path, .environment = &env});
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().message(),
            path + ": model 'm': field 'input' must be a non-negative number");
}

TEST(PricingCatalogTest, ConcurrentLookupsAgreeAndWarnOncePerUnknownName) {
  const std::vector<std::string> names = {"gpt-4o",
                                          "gpt-4o-2024-08-06",
                                          "openai/gpt-4o-2024-11-20",
                                          "claude-sonnet-4-20250514",
                                          "claude-3-5-sonnet-20241022-v2:0",
                                          "unknown-a",
                                          "unknown-b-2024-01-01",
                                          "gpt-4o-mini"};
  // Expected answers from a separate catalog, so the one under test starts with a cold cache.
  auto reference = TestCatalog();
  std::vector<std::string> expected;
  for (const auto& name : names) {
    const ModelPrice* price = reference->Find(name);
    expected.push_back(price ? price->model : "");
  }

  WarningCapture warnings;
  auto catalog = TestCatalog();
  constexpr int kThreads = 4;
  constexpr int kRounds = 500;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        for (std::size_t i = 0; i < names.size(); ++i) {
          const std::size_t k = (i + t) % names.size();  // threads start at different names
          const ModelPrice* price = catalog->Find(names[k]);
          if ((price ? price->model : std::string()) != expected[k]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  EXPECT_EQ(catalog->unpriced_lookups(), 3u * kThreads * kRounds);
  EXPECT_EQ(warnings.CountContaining("'unknown-a'"), 1);
  EXPECT_EQ(warnings.CountContaining("'unknown-b-2024-01-01'"), 1);
  EXPECT_EQ(warnings.CountContaining("'gpt-4o-mini'"), 1);
}

}  // namespace
}  // namespace llmtrace::genai
