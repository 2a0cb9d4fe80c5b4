// PricingCatalog::Cost on the hot path of every LLM call, next to the conventional baseline
// measured in the same run: a std::unordered_map<std::string, price> keyed by the exact model
// name (the seed's MODEL_PRICING dict), which builds a std::string per lookup and knows no
// families. Cases: an exact key, a dated name resolved once and then served from the
// resolved-name cache, and an unknown name (counted). 1 and 2 threads, items_per_second over
// real time.
#include <benchmark/benchmark.h>

#include <string>
#include <unordered_map>

#include "llmtrace/genai/pricing_catalog.h"

namespace llmtrace::bench {
namespace {

using genai::PricingCatalog;
using genai::TokenUsage;

const PricingCatalog& Catalog() {
  static auto* catalog = new std::shared_ptr<const PricingCatalog>(
      *PricingCatalog::Create({.catalog_path = LLMTRACE_SOURCE_DIR "/data/pricing.json"}));
  return **catalog;
}

constexpr TokenUsage kUsage{.input_tokens = 12000,
                            .output_tokens = 800,
                            .cache_read_input_tokens = 8000,
                            .reasoning_output_tokens = 300};

void CostOf(benchmark::State& state, const char* model) {
  const PricingCatalog& catalog = Catalog();
  const std::string_view name = model;  // as a response parser would hand it over
  for (auto _ : state) {
    auto cost = catalog.Cost(name, kUsage);
    benchmark::DoNotOptimize(cost);
  }
  state.SetItemsProcessed(state.iterations());
}

void Llmtrace_CostExactName(benchmark::State& state) { CostOf(state, "gpt-4o-mini"); }
BENCHMARK(Llmtrace_CostExactName)->Threads(1)->Threads(2)->UseRealTime();

void Llmtrace_CostDatedName(benchmark::State& state) { CostOf(state, "gpt-4o-mini-2024-07-18"); }
BENCHMARK(Llmtrace_CostDatedName)->Threads(1)->Threads(2)->UseRealTime();

void Llmtrace_CostUnknownName(benchmark::State& state) { CostOf(state, "no-such-model-v9"); }
BENCHMARK(Llmtrace_CostUnknownName)->Threads(1)->Threads(2)->UseRealTime();

struct SimplePrice {
  double input, output;
};

void Baseline_UnorderedMapCost(benchmark::State& state) {
  static const auto* prices = new std::unordered_map<std::string, SimplePrice>{
      {"gpt-4o", {2.5, 10}}, {"gpt-4o-mini", {0.15, 0.6}}, {"claude-sonnet-4", {3, 15}}};
  const std::string_view name = "gpt-4o-mini";
  for (auto _ : state) {
    auto it = prices->find(std::string(name));
    double cost =
        it == prices->end()
            ? 0
            : (kUsage.input_tokens * it->second.input + kUsage.output_tokens * it->second.output) *
                  1e-6;
    benchmark::DoNotOptimize(cost);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Baseline_UnorderedMapCost)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
