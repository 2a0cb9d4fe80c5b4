// Budget gauges: the budget ledger's limits and what is left of them, as observable metrics.
//
// The dashboard's "budget remaining" panel and the LLMBudgetLow alert read these; the values are
// the ledger's own (settled spend plus reservations in flight, in each budget's window and time
// zone), so they agree with what the ledger enforces. Reported on every collection:
//   llmtrace.budget.limit      {USD}    per budget with a currency limit
//   llmtrace.budget.remaining  {USD}    limit - spent - reserved, floored at 0
//   llmtrace.budget.remaining_tokens {token}  the same for token limits
// each with llmtrace.budget.name, llmtrace.budget.scope and llmtrace.budget.window.
// Thread-safety: the callbacks run on the collecting thread and only read the ledger.
#pragma once

#include <memory>
#include <vector>

#include "llmtrace/metrics/meter.h"

namespace llmtrace::genai {
class BudgetLedger;
}

namespace llmtrace::genai::internal {

// Registers the gauges; they stop when the returned handles are unregistered (the
// Instrumentation does so when it is destroyed) or when the ledger is gone.
std::vector<metrics::ObservableInstrument> RegisterBudgetGauges(
    metrics::Meter& meter, const std::shared_ptr<BudgetLedger>& ledger);

}  // namespace llmtrace::genai::internal
