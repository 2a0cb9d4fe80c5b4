#include "src/genai/budget_gauges.h"

#include <cstdint>

#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/semconv.h"

namespace llmtrace::genai::internal {
namespace {

// Calls `observe(state)` for every budget of the ledger, if it is still alive.
template <typename Observe>
void ForEachBudget(const std::weak_ptr<BudgetLedger>& weak, Observe&& observe) {
  const std::shared_ptr<BudgetLedger> ledger = weak.lock();
  if (ledger == nullptr) return;
  try {
    for (const BudgetState& state : ledger->States()) observe(state);
  } catch (...) {  // out of memory: this collection misses the budgets
  }
}

}  // namespace

std::vector<metrics::ObservableInstrument> RegisterBudgetGauges(
    metrics::Meter& meter, const std::shared_ptr<BudgetLedger>& ledger) {
  std::vector<metrics::ObservableInstrument> handles;
  if (ledger == nullptr) return handles;
  const std::weak_ptr<BudgetLedger> weak = ledger;
  handles.push_back(meter.CreateDoubleObservableGauge(
      metric::kBudgetLimit,
      [weak](metrics::ObserverResult<double>& result) {
        ForEachBudget(weak, [&](const BudgetState& s) {
          if (!s.limit_usd) return;
          result.Observe(*s.limit_usd, {{attr::kBudgetName, s.name},
                                        {attr::kBudgetScope, BudgetScopeName(s.scope)},
                                        {attr::kBudgetWindow, BudgetWindowName(s.window)}});
        });
      },
      {"Currency limit of each llmtrace budget in its window.", "{USD}", {}}));
  handles.push_back(meter.CreateDoubleObservableGauge(
      metric::kBudgetRemaining,
      [weak](metrics::ObserverResult<double>& result) {
        ForEachBudget(weak, [&](const BudgetState& s) {
          if (!s.limit_usd) return;
          result.Observe(s.remaining.cost, {{attr::kBudgetName, s.name},
                                            {attr::kBudgetScope, BudgetScopeName(s.scope)},
                                            {attr::kBudgetWindow, BudgetWindowName(s.window)}});
        });
      },
      {"What is left of each llmtrace budget's currency limit (limit - spent - in flight).",
       "{USD}",
       {}}));
  handles.push_back(meter.CreateInt64ObservableGauge(
      metric::kBudgetRemainingTokens,
      [weak](metrics::ObserverResult<std::int64_t>& result) {
        ForEachBudget(weak, [&](const BudgetState& s) {
          if (!s.limit_tokens) return;
          result.Observe(s.remaining.tokens, {{attr::kBudgetName, s.name},
                                              {attr::kBudgetScope, BudgetScopeName(s.scope)},
                                              {attr::kBudgetWindow, BudgetWindowName(s.window)}});
        });
      },
      {"What is left of each llmtrace budget's token limit (limit - spent - in flight).",
       "{token}",
       {}}));
  return handles;
}

}  // namespace llmtrace::genai::internal
