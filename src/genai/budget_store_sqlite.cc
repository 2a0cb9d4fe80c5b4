#include "src/genai/budget_store_sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace llmtrace::genai::internal {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS llmtrace_budget_spend ("
    "  budget TEXT NOT NULL,"
    "  window_start INTEGER NOT NULL,"
    "  window_end INTEGER NOT NULL,"
    "  cost_usd REAL NOT NULL,"
    "  tokens INTEGER NOT NULL,"
    "  soft_limit_reached INTEGER NOT NULL,"
    "  updated_unix INTEGER NOT NULL DEFAULT (unixepoch()),"
    "  PRIMARY KEY (budget, window_start)"
    ") WITHOUT ROWID";

constexpr const char* kLoad =
    "SELECT window_end, cost_usd, tokens, soft_limit_reached FROM llmtrace_budget_spend "
    "WHERE budget = ?1 AND window_start = ?2";

constexpr const char* kUpsert =
    "INSERT INTO llmtrace_budget_spend "
    "(budget, window_start, window_end, cost_usd, tokens, soft_limit_reached, updated_unix) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, unixepoch()) "
    "ON CONFLICT (budget, window_start) DO UPDATE SET window_end = excluded.window_end, "
    "cost_usd = excluded.cost_usd, tokens = excluded.tokens, "
    "soft_limit_reached = excluded.soft_limit_reached, updated_unix = excluded.updated_unix";

// Resets a prepared statement when the scope ends, whatever path leaves it.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementReset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

Status SqliteBudgetStore::Error(std::string_view doing) const {
  return UnavailableError("budget store " + path_ + ": " + std::string(doing) + ": " +
                          (db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
}

Result<std::unique_ptr<SqliteBudgetStore>> SqliteBudgetStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteBudgetStore> store(new SqliteBudgetStore(path, db));
  if (rc != SQLITE_OK) return store->Error("open");
  // Another process may hold the write lock briefly (a second reader, a backup).
  sqlite3_busy_timeout(db, 2000);
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", kSchema}) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return store->Error(sql);
    }
  }
  if (sqlite3_prepare_v3(db, kLoad, -1, SQLITE_PREPARE_PERSISTENT, &store->load_, nullptr) !=
          SQLITE_OK ||
      sqlite3_prepare_v3(db, kUpsert, -1, SQLITE_PREPARE_PERSISTENT, &store->upsert_, nullptr) !=
          SQLITE_OK) {
    return store->Error("prepare");
  }
  return store;
}

SqliteBudgetStore::~SqliteBudgetStore() {
  sqlite3_finalize(load_);
  sqlite3_finalize(upsert_);
  sqlite3_close(db_);
}

Result<std::optional<BudgetSpendRow>> SqliteBudgetStore::Load(std::string_view budget,
                                                              std::int64_t window_start) {
  StatementReset reset(load_);
  sqlite3_bind_text(load_, 1, budget.data(), static_cast<int>(budget.size()), SQLITE_STATIC);
  sqlite3_bind_int64(load_, 2, window_start);
  const int rc = sqlite3_step(load_);
  if (rc == SQLITE_DONE) return std::optional<BudgetSpendRow>();
  if (rc != SQLITE_ROW) return Error("load '" + std::string(budget) + "'");
  BudgetSpendRow row;
  row.budget = std::string(budget);
  row.window_start = window_start;
  row.window_end = sqlite3_column_int64(load_, 0);
  row.cost = sqlite3_column_double(load_, 1);
  row.tokens = sqlite3_column_int64(load_, 2);
  row.soft_limit_reached = sqlite3_column_int(load_, 3) != 0;
  return std::optional<BudgetSpendRow>(std::move(row));
}

Status SqliteBudgetStore::Write(const std::vector<BudgetSpendRow>& rows) {
  if (rows.empty()) return Status::Ok();
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("begin");
  }
  for (const BudgetSpendRow& row : rows) {
    StatementReset reset(upsert_);
    sqlite3_bind_text(upsert_, 1, row.budget.data(), static_cast<int>(row.budget.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(upsert_, 2, row.window_start);
    sqlite3_bind_int64(upsert_, 3, row.window_end);
    sqlite3_bind_double(upsert_, 4, row.cost);
    sqlite3_bind_int64(upsert_, 5, row.tokens);
    sqlite3_bind_int(upsert_, 6, row.soft_limit_reached ? 1 : 0);
    if (sqlite3_step(upsert_) != SQLITE_DONE) {
      Status error = Error("write '" + row.budget + "'");
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return error;
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status error = Error("commit");
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return Status::Ok();
}

Result<std::string> SqliteBudgetStore::JournalMode() {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA journal_mode", -1, &statement, nullptr) != SQLITE_OK) {
    return Error("journal_mode");
  }
  std::string mode;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  return mode;
}

}  // namespace llmtrace::genai::internal
