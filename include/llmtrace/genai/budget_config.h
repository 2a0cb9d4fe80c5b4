// Budget definitions from JSON: the configuration-file form of BudgetLedgerOptions::budgets.
//
// Used by the gateway and CLI to read a budgets file; applications can also build the
// definitions in code. The format (null or an absent field means "not set"):
//   {"budgets": [{"name": "team-search-daily", "scope": "team", "match": "search",
//                 "window": "daily", "time_zone": "Europe/Berlin", "limit_usd": 50,
//                 "limit_tokens": null, "soft_limit": 0.8, "label": "Search team"}]}
// scope: global | model | user | team | api_key; window: daily (default) | monthly | total;
// time_zone defaults to "UTC", soft_limit to 0.8. Unknown fields are errors (a typo must not
// silently remove a limit). Errors name the field and the budget index ("budgets[1].limit_usd:
// expected a number or null"). Semantic checks (a limit is set, names are unique, the zone
// exists) happen in BudgetLedger::Create, with the same naming.
// Thread-safety: a pure function.
//
//   Result<std::vector<BudgetDefinition>> budgets = ParseBudgetDefinitionsJson(file_text);
//   if (!budgets.ok()) return budgets.status().WithContext("budgets.json");
//   options.budgets = std::move(*budgets);
#pragma once

#include <string_view>
#include <vector>

#include "llmtrace/common/result.h"
#include "llmtrace/genai/budget_ledger.h"

namespace llmtrace::genai {

Result<std::vector<BudgetDefinition>> ParseBudgetDefinitionsJson(std::string_view json);

}  // namespace llmtrace::genai
