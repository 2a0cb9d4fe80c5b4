// SqliteBudgetStore: where a BudgetLedger keeps the spend of each budget window across restarts.
//
// One row per (budget name, window start): the window's settled cost and tokens and whether
// its soft-limit warning was already given. Rows hold absolute totals, so writing the same
// state twice is harmless. The database runs in WAL mode with synchronous=NORMAL: a write is
// a short transaction that does not wait for readers, and a power loss can drop the last
// transactions but never corrupts the file. The ledger calls it only from its flush thread,
// Flush() and Create(), never on the reserve/settle path.
// Thread-safety: one store is used by one thread at a time (the ledger serialises calls).
//
//   auto store = SqliteBudgetStore::Open("/var/lib/llmtrace/budgets.db");
//   (*store)->Write({{.budget = "daily", .window_start = 1717192800, .cost = 1.5}});
//   Result<std::optional<BudgetSpendRow>> row = (*store)->Load("daily", 1717192800);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/result.h"
#include "llmtrace/common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace llmtrace::genai::internal {

struct BudgetSpendRow {
  std::string budget;
  std::int64_t window_start = 0;  // Unix seconds (UTC)
  std::int64_t window_end = 0;    // Unix seconds; informational (INT64_MAX for no reset)
  double cost = 0;
  std::int64_t tokens = 0;
  bool soft_limit_reached = false;
};

class SqliteBudgetStore {
 public:
  // Creates the file and table if needed. Errors name the path and SQLite's message.
  static Result<std::unique_ptr<SqliteBudgetStore>> Open(const std::string& path);
  ~SqliteBudgetStore();
  SqliteBudgetStore(const SqliteBudgetStore&) = delete;
  SqliteBudgetStore& operator=(const SqliteBudgetStore&) = delete;

  // The row of `budget` for the window starting at `window_start`, if one was written.
  Result<std::optional<BudgetSpendRow>> Load(std::string_view budget, std::int64_t window_start);
  // Upserts all rows in one transaction (all or nothing).
  Status Write(const std::vector<BudgetSpendRow>& rows);
  // "wal" once open; exposed so tests can check the mode took effect.
  Result<std::string> JournalMode();

 private:
  SqliteBudgetStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Status Error(std::string_view doing) const;

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* load_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
};

}  // namespace llmtrace::genai::internal
