// Hot-path cost of the budget ledger: Reserve + Settle of one call against two matching budgets
// (a per-user one and a global one), next to the smallest thing that could be called a budget
// check: a mutex-protected double add (Baseline_MutexDoubleAdd), measured in the same run. The
// 2-thread rows are aggregate throughput with both threads charging the same global budget, the
// worst case for the ledger's one mutex. Limits are never reached, so every call takes the
// success path; persistence is off (it is write-behind and never on this path anyway).
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>

#include "llmtrace/genai/budget_ledger.h"

namespace llmtrace::bench {
namespace {

using genai::BudgetDefinition;
using genai::BudgetLedger;
using genai::BudgetScope;

std::shared_ptr<BudgetLedger> MakeLedger(int extra_users) {
  genai::BudgetLedgerOptions options;
  BudgetDefinition global;
  global.name = "global-daily";
  global.limit_usd = 1e9;
  global.limit_tokens = std::int64_t{1} << 60;
  options.budgets.push_back(global);
  BudgetDefinition alice;
  alice.name = "alice-daily";
  alice.scope = BudgetScope::kUser;
  alice.match = "alice";
  alice.time_zone = "Europe/Berlin";
  alice.limit_usd = 1e9;
  options.budgets.push_back(alice);
  for (int i = 0; i < extra_users; ++i) {
    BudgetDefinition user = alice;
    user.name = "user-" + std::to_string(i);
    user.match = "user-" + std::to_string(i);
    options.budgets.push_back(user);
  }
  options.flush_interval = std::chrono::milliseconds(0);
  return *BudgetLedger::Create(std::move(options));
}

void Llmtrace_ReserveSettle2Budgets(benchmark::State& state) {
  static std::shared_ptr<BudgetLedger> ledger = MakeLedger(0);
  for (auto _ : state) {
    auto reservation = ledger->Reserve({.model = "gpt-4o-mini", .user = "alice"},
                                       {.cost = 0.0004, .tokens = 1200});
    benchmark::DoNotOptimize(reservation.ok());
    reservation->Settle({.cost = 0.0003, .tokens = 900});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_ReserveSettle2Budgets)->Threads(1)->Threads(2)->UseRealTime();

// The same call with 1000 other per-user budgets configured: the match index is a sorted
// vector, so the lookup grows with log(budgets).
void Llmtrace_ReserveSettle2Of1002Budgets(benchmark::State& state) {
  static std::shared_ptr<BudgetLedger> ledger = MakeLedger(1000);
  for (auto _ : state) {
    auto reservation = ledger->Reserve({.model = "gpt-4o-mini", .user = "alice"},
                                       {.cost = 0.0004, .tokens = 1200});
    benchmark::DoNotOptimize(reservation.ok());
    reservation->Settle({.cost = 0.0003, .tokens = 900});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Llmtrace_ReserveSettle2Of1002Budgets)->Threads(1)->Threads(2)->UseRealTime();

void Baseline_MutexDoubleAdd(benchmark::State& state) {
  static std::mutex mutex;
  static double spent = 0;
  for (auto _ : state) {
    std::lock_guard lock(mutex);
    spent += 0.0003;
    benchmark::DoNotOptimize(spent);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(Baseline_MutexDoubleAdd)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace llmtrace::bench

BENCHMARK_MAIN();
