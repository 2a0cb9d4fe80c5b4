// BudgetLedger: spend limits for LLM calls, checked atomically before each call.
//
// A budget caps the cost (USD) and/or tokens of the calls that match its scope (all calls, or
// one model, user, team or API key) within a window (the local day or month in an IANA time
// zone, or no reset). Before a call the caller Reserve()s an estimate (from the input size and
// max_tokens; the ledger knows amounts, not prices); the reservation succeeds only if
// spent + reserved + estimate <= limit holds for EVERY matching budget, so concurrent callers
// cannot overspend by more than the actual-minus-estimate of calls in flight. After the call it
// Settle()s the actual amounts; a reservation dropped without Settle is released. A budget that
// crosses its soft threshold (default 80%) is reported once per window to the observer.
// Settled spend is written behind to SQLite (WAL) by a background thread every flush_interval,
// so a restart keeps the window's spend; a crash loses at most one interval of settled spend.
// Thread-safety: every member may be called from any thread. Reserve/Settle take one short
// lock, never allocate for up to 8 matching budgets, and never touch SQLite.
//
//   auto ledger = BudgetLedger::Create({.budgets = {{.name = "daily", .limit_usd = 50}}});
//   Result<BudgetReservation> r = (*ledger)->Reserve({.user = "alice"}, {.cost = 0.02});
//   if (!r.ok()) return r.status();  /* call the model */  r->Settle({.cost = 0.015, .tokens =
//   900});
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/clock.h"
#include "llmtrace/common/result.h"
#include "llmtrace/common/status.h"

namespace llmtrace::genai {
namespace internal {
class BudgetLedgerCore;  // the shared state behind a ledger and its reservations
}  // namespace internal

enum class BudgetScope { kGlobal, kModel, kUser, kTeam, kApiKey };
enum class BudgetWindow { kDaily, kMonthly, kTotal };

// "global", "model", "user", "team", "api_key" / "daily", "monthly", "total".
std::string_view BudgetScopeName(BudgetScope scope) noexcept;
std::string_view BudgetWindowName(BudgetWindow window) noexcept;

struct BudgetDefinition {
  std::string name;  // unique; the key of its persisted spend
  BudgetScope scope = BudgetScope::kGlobal;
  // The attribute value this budget applies to (model name, user, team, API key); empty for
  // kGlobal. API keys never appear in messages or states: `label`, or "sha256:<12 hex>".
  std::string match;
  std::string label;  // optional display name of `match`
  BudgetWindow window = BudgetWindow::kDaily;
  std::string time_zone = "UTC";  // IANA name; windows start at local midnight there
  std::optional<double> limit_usd;
  std::optional<std::int64_t> limit_tokens;  // at least one of the two limits is required
  double soft_limit = 0.8;                   // fraction of each limit that triggers the warning
};

// The attributes of one call. Views: they need to live only during Reserve.
struct BudgetSubject {
  std::string_view model;
  std::string_view user;
  std::string_view team;
  std::string_view api_key;
};

struct BudgetAmount {
  double cost = 0;  // USD
  std::int64_t tokens = 0;
  friend bool operator==(const BudgetAmount&, const BudgetAmount&) = default;
};

// A snapshot of one budget in its current window.
struct BudgetState {
  std::string name;
  BudgetScope scope = BudgetScope::kGlobal;
  std::string subject;  // the match value as shown to people (API keys: label or short hash)
  BudgetWindow window = BudgetWindow::kDaily;
  std::string time_zone;
  Timestamp window_start;  // kTotal: the Unix epoch
  Timestamp window_end;    // kTotal: Timestamp::max()
  std::optional<double> limit_usd;
  std::optional<std::int64_t> limit_tokens;
  BudgetAmount spent;     // settled in this window
  BudgetAmount reserved;  // estimates of calls in flight
  // limit - spent - reserved, floored at 0; +infinity / INT64_MAX for a dimension with no limit.
  BudgetAmount remaining;
  bool soft_limit_reached = false;  // the soft threshold was crossed in this window
};

// Told when a budget crosses its soft threshold: once per budget per window (also across
// restarts with persistence). Called on the thread that settled or reserved, outside the
// ledger's lock; keep it short (set a span attribute, add to a counter, enqueue an alert).
class BudgetObserver {
 public:
  virtual ~BudgetObserver() = default;
  virtual void OnSoftLimitReached(const BudgetState& state) noexcept = 0;
};

struct BudgetLedgerOptions {
  std::vector<BudgetDefinition> budgets;
  // SQLite file for spend; empty = in memory only (tests, or no persistence wanted).
  std::string database_path;
  // Write-behind period of the background thread; 0 = no thread (write on Flush/destruction).
  std::chrono::milliseconds flush_interval{1000};
  const Clock* clock = nullptr;              // windows; default SystemClock
  std::shared_ptr<BudgetObserver> observer;  // optional
  std::string zoneinfo_directory = "/usr/share/zoneinfo";
};

class BudgetLedger;

// The right to spend up to an estimate. Move-only; Settle or Cancel at most once (later calls
// do nothing); destruction without either releases the estimate, as Cancel does.
class BudgetReservation {
 public:
  BudgetReservation() noexcept = default;
  BudgetReservation(BudgetReservation&& other) noexcept;
  BudgetReservation& operator=(BudgetReservation&& other) noexcept;
  BudgetReservation(const BudgetReservation&) = delete;
  BudgetReservation& operator=(const BudgetReservation&) = delete;
  ~BudgetReservation();

  // Replaces the estimate with what the call really cost (which may be more: it is recorded,
  // never refused). Negative or NaN amounts count as 0. The spend is charged to the window
  // current at settle time.
  void Settle(const BudgetAmount& actual) noexcept;
  void Cancel() noexcept;

  bool active() const noexcept { return ledger_ != nullptr; }
  const BudgetAmount& estimate() const noexcept { return estimate_; }
  // True when a matching budget was at or past its soft threshold after this reservation:
  // what a caller records on the call's span (llmtrace.budget.soft_limit_reached).
  bool soft_limit_reached() const noexcept { return soft_limit_reached_; }
  // Number of budgets this reservation holds against (0: no budget matched the call).
  std::size_t budget_count() const noexcept { return count_; }

 private:
  friend class BudgetLedger;
  friend class internal::BudgetLedgerCore;
  static constexpr std::size_t kInlineBudgets = 8;
  void Release(const BudgetAmount* actual) noexcept;

  std::shared_ptr<internal::BudgetLedgerCore> ledger_;
  BudgetAmount estimate_;
  std::uint32_t inline_budgets_[kInlineBudgets] = {};
  std::vector<std::uint32_t> more_budgets_;  // past kInlineBudgets matches (rare)
  std::uint32_t count_ = 0;
  bool soft_limit_reached_ = false;
};

class BudgetLedger {
 public:
  // Validates the budgets (messages name "budgets[i] 'name'" and the field), loads their time
  // zones, opens the database and loads each budget's spend in its current window.
  static Result<std::shared_ptr<BudgetLedger>> Create(BudgetLedgerOptions options);
  ~BudgetLedger();
  BudgetLedger(const BudgetLedger&) = delete;
  BudgetLedger& operator=(const BudgetLedger&) = delete;

  // Holds `estimate` against every budget matching `subject`, or fails with kResourceExhausted
  // naming the first budget it would overrun (window, limit, spend; never an API key).
  // kInvalidArgument for a negative or NaN estimate.
  Result<BudgetReservation> Reserve(const BudgetSubject& subject,
                                    const BudgetAmount& estimate) noexcept;

  std::vector<BudgetState> States() const;
  Result<BudgetState> State(std::string_view name) const;

  // Writes settled spend to the database now. OK (and a no-op) without a database.
  Status Flush();

 private:
  explicit BudgetLedger(std::shared_ptr<internal::BudgetLedgerCore> core);
  std::shared_ptr<internal::BudgetLedgerCore> core_;
};

}  // namespace llmtrace::genai
