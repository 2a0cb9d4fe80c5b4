#include "llmtrace/genai/budget_ledger.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/genai/content_hash.h"
#include "llmtrace/genai/time_zone.h"
#include "src/genai/budget_store_sqlite.h"

namespace llmtrace::genai {

std::string_view BudgetScopeName(BudgetScope scope) noexcept {
  switch (scope) {
    case BudgetScope::kGlobal:
      return "global";
    case BudgetScope::kModel:
      return "model";
    case BudgetScope::kUser:
      return "user";
    case BudgetScope::kTeam:
      return "team";
    case BudgetScope::kApiKey:
      return "api_key";
  }
  return "unknown";
}

std::string_view BudgetWindowName(BudgetWindow window) noexcept {
  switch (window) {
    case BudgetWindow::kDaily:
      return "daily";
    case BudgetWindow::kMonthly:
      return "monthly";
    case BudgetWindow::kTotal:
      return "total";
  }
  return "unknown";
}

namespace internal {
namespace {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::seconds;
using std::chrono::sys_seconds;

// Costs are kept as integer nano-dollars: a reservation and its release cancel exactly, and
// "spent + reserved + estimate <= limit" has no rounding drift after millions of calls.
constexpr double kNanosPerUsd = 1e9;
constexpr double kMaxUsd = 1e9;  // keeps every sum far inside int64
constexpr std::int64_t kNoLimit = -1;
constexpr std::int64_t kEndOfTime = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kScopes = 5;

std::int64_t ToNanos(double usd) noexcept {
  if (!(usd > 0)) return 0;  // also NaN
  if (usd > kMaxUsd) usd = kMaxUsd;
  return std::llround(usd * kNanosPerUsd);
}
double ToUsd(std::int64_t nanos) noexcept { return static_cast<double>(nanos) / kNanosPerUsd; }

std::int64_t UnixSeconds(Timestamp t) noexcept {
  return std::chrono::floor<seconds>(t).time_since_epoch().count();
}
Timestamp FromUnixSeconds(std::int64_t s) noexcept {
  if (s == kEndOfTime) return Timestamp::max();
  return Timestamp(seconds(s));
}

struct Window {
  std::int64_t start = 0;
  std::int64_t end = kEndOfTime;
};

Window WindowAt(BudgetWindow kind, const TimeZone& zone, std::int64_t now) noexcept {
  if (kind == BudgetWindow::kTotal) return Window{};
  const auto local_day = std::chrono::floor<days>(zone.ToLocal(sys_seconds(seconds(now))));
  local_days first = local_day;
  local_days next = local_day + days(1);
  if (kind == BudgetWindow::kMonthly) {
    const std::chrono::year_month_day ymd(local_day);
    const auto month_start = ymd.year() / ymd.month() / 1;
    first = local_days(month_start);
    next = local_days(month_start + std::chrono::months(1));
  }
  return Window{zone.LocalToUtc(first).time_since_epoch().count(),
                zone.LocalToUtc(next).time_since_epoch().count()};
}

struct Numbers {
  std::int64_t spent_nanos = 0;
  std::int64_t spent_tokens = 0;
  std::int64_t reserved_nanos = 0;
  std::int64_t reserved_tokens = 0;
  Window window;
  bool soft_limit_reached = false;
};

}  // namespace

// One budget: its immutable definition and, guarded by the core's mutex, its current window.
struct BudgetSlot {
  BudgetDefinition definition;
  TimeZone zone = TimeZone::Utc();
  std::string subject;  // display form of the match value
  std::int64_t limit_nanos = kNoLimit;
  std::int64_t limit_tokens = kNoLimit;
  std::int64_t soft_nanos = kNoLimit;
  std::int64_t soft_tokens = kNoLimit;

  Numbers numbers;
  bool dirty = false;  // settled spend not yet written

  bool Fits(std::int64_t cost_nanos, std::int64_t tokens) const noexcept {
    const Numbers& n = numbers;
    if (limit_nanos != kNoLimit && n.spent_nanos + n.reserved_nanos + cost_nanos > limit_nanos) {
      return false;
    }
    return limit_tokens == kNoLimit || n.spent_tokens + n.reserved_tokens + tokens <= limit_tokens;
  }
  // True the first time this window's spend + reservations reach the soft threshold.
  bool CrossesSoftLimit() noexcept {
    if (numbers.soft_limit_reached) return false;
    const Numbers& n = numbers;
    const bool reached =
        (soft_nanos != kNoLimit && n.spent_nanos + n.reserved_nanos >= soft_nanos) ||
        (soft_tokens != kNoLimit && n.spent_tokens + n.reserved_tokens >= soft_tokens);
    if (!reached) return false;
    numbers.soft_limit_reached = true;
    dirty = true;
    return true;
  }
  BudgetSpendRow Row() const {
    return BudgetSpendRow{definition.name,      numbers.window.start,
                          numbers.window.end,   ToUsd(numbers.spent_nanos),
                          numbers.spent_tokens, numbers.soft_limit_reached};
  }
};

class BudgetLedgerCore {
 public:
  // Up to this many soft-limit crossings are reported per call without allocating.
  using Crossings = std::array<std::uint32_t, 8>;

  std::vector<BudgetSlot> slots;  // fixed after Create: the match index points into it
  std::vector<std::uint32_t> global;
  // Per scope, (match value, slot) sorted by value: equal_range finds a subject's budgets.
  std::array<std::vector<std::pair<std::string_view, std::uint32_t>>, kScopes> by_scope;
  const Clock* clock = nullptr;
  std::shared_ptr<BudgetObserver> observer;
  std::unique_ptr<SqliteBudgetStore> store;

  ~BudgetLedgerCore() {
    StopFlushThread();
    (void)Flush();  // reservations that outlived the ledger settled after its last flush
  }

  void Collect(const BudgetSubject& subject, BudgetReservation& r) {
    for (std::uint32_t index : global) Add(r, index);
    static_assert(static_cast<int>(BudgetScope::kModel) == 1 &&
                  static_cast<int>(BudgetScope::kApiKey) == 4);  // the order of `values`
    const std::array<std::string_view, kScopes> values = {
        std::string_view(), subject.model, subject.user, subject.team, subject.api_key};
    for (std::size_t scope = 1; scope < kScopes; ++scope) {
      if (values[scope].empty() || by_scope[scope].empty()) continue;
      const auto& index = by_scope[scope];
      auto it =
          std::lower_bound(index.begin(), index.end(), values[scope],
                           [](const auto& entry, std::string_view v) { return entry.first < v; });
      for (; it != index.end() && it->first == values[scope]; ++it) Add(r, it->second);
    }
  }

  template <typename Fn>
  void ForEach(const BudgetReservation& r, Fn&& fn) {
    const std::uint32_t inline_count =
        std::min<std::uint32_t>(r.count_, BudgetReservation::kInlineBudgets);
    for (std::uint32_t i = 0; i < inline_count; ++i) fn(r.inline_budgets_[i]);
    for (std::uint32_t index : r.more_budgets_) fn(index);
  }

  // Starts a new window when `now` has passed the current one. Caller holds mutex.
  void RollIfDue(BudgetSlot& slot, std::int64_t now) {
    if (now < slot.numbers.window.end) return;
    if (slot.dirty && store) {
      try {
        closed_windows.push_back(slot.Row());
      } catch (...) {  // out of memory: that window's last settled spend is not persisted
      }
    }
    slot.numbers.window = WindowAt(slot.definition.window, slot.zone, now);
    slot.numbers.spent_nanos = 0;
    slot.numbers.spent_tokens = 0;
    slot.numbers.soft_limit_reached = false;
    slot.dirty = false;
    // Reservations of calls still in flight stay: they settle into the new window.
  }

  Result<BudgetReservation> Reserve(const BudgetSubject& subject, const BudgetAmount& estimate,
                                    const std::shared_ptr<BudgetLedgerCore>& self) {
    if (!(estimate.cost >= 0) || estimate.cost > kMaxUsd || estimate.tokens < 0) {
      return InvalidArgumentError("budget reserve: the estimate must be a non-negative amount");
    }
    BudgetReservation reservation;
    Collect(subject, reservation);
    if (reservation.count_ == 0) return reservation;
    const std::int64_t cost_nanos = ToNanos(estimate.cost);
    const std::int64_t now = UnixSeconds(clock->Now());
    Crossings crossings;
    std::size_t crossing_count = 0;
    {
      std::lock_guard lock(mutex);
      std::optional<std::uint32_t> refused;
      ForEach(reservation, [&](std::uint32_t i) {
        RollIfDue(slots[i], now);
        if (!refused && !slots[i].Fits(cost_nanos, estimate.tokens)) refused = i;
      });
      if (refused) {
        const Numbers numbers = slots[*refused].numbers;
        reservation.count_ = 0;  // nothing was reserved: the destructor must not release
        return Refusal(slots[*refused], numbers, cost_nanos, estimate.tokens);
      }
      ForEach(reservation, [&](std::uint32_t i) {
        BudgetSlot& slot = slots[i];
        slot.numbers.reserved_nanos += cost_nanos;
        slot.numbers.reserved_tokens += estimate.tokens;
        if (slot.CrossesSoftLimit() && crossing_count < crossings.size()) {
          crossings[crossing_count++] = i;
        }
        reservation.soft_limit_reached_ |= slot.numbers.soft_limit_reached;
      });
    }
    reservation.ledger_ = self;
    reservation.estimate_ = estimate;
    Notify(crossings, crossing_count);
    return reservation;
  }

  void Release(BudgetReservation& r, const BudgetAmount* actual) noexcept {
    const std::int64_t estimate_nanos = ToNanos(r.estimate_.cost);
    const std::int64_t actual_nanos = actual ? ToNanos(actual->cost) : 0;
    const std::int64_t actual_tokens = actual && actual->tokens > 0 ? actual->tokens : 0;
    const std::int64_t now = UnixSeconds(clock->Now());
    Crossings crossings;
    std::size_t crossing_count = 0;
    {
      std::lock_guard lock(mutex);
      ForEach(r, [&](std::uint32_t i) {
        BudgetSlot& slot = slots[i];
        if (actual) RollIfDue(slot, now);
        Numbers& n = slot.numbers;
        n.reserved_nanos = std::max<std::int64_t>(0, n.reserved_nanos - estimate_nanos);
        n.reserved_tokens = std::max<std::int64_t>(0, n.reserved_tokens - r.estimate_.tokens);
        if (!actual) return;
        n.spent_nanos += actual_nanos;
        n.spent_tokens += actual_tokens;
        slot.dirty = true;
        if (slot.CrossesSoftLimit() && crossing_count < crossings.size()) {
          crossings[crossing_count++] = i;
        }
      });
    }
    Notify(crossings, crossing_count);
  }

  void Notify(const Crossings& crossings, std::size_t count) noexcept {
    if (!observer || count == 0) return;
    for (std::size_t k = 0; k < count; ++k) {
      try {
        const BudgetState state = StateOf(crossings[k]);
        observer->OnSoftLimitReached(state);
      } catch (...) {  // building the state failed (out of memory): this report is lost
      }
    }
  }

  BudgetState StateOf(std::uint32_t index) {
    Numbers numbers;
    {
      std::lock_guard lock(mutex);
      RollIfDue(slots[index], UnixSeconds(clock->Now()));
      numbers = slots[index].numbers;
    }
    return MakeState(slots[index], numbers);
  }

  static BudgetState MakeState(const BudgetSlot& slot, const Numbers& n) {
    const BudgetDefinition& d = slot.definition;
    BudgetState state;
    state.name = d.name;
    state.scope = d.scope;
    state.subject = slot.subject;
    state.window = d.window;
    state.time_zone = slot.zone.name();
    state.window_start = FromUnixSeconds(n.window.start);
    state.window_end = FromUnixSeconds(n.window.end);
    state.limit_usd = d.limit_usd;
    state.limit_tokens = d.limit_tokens;
    state.spent = {ToUsd(n.spent_nanos), n.spent_tokens};
    state.reserved = {ToUsd(n.reserved_nanos), n.reserved_tokens};
    state.remaining.cost =
        slot.limit_nanos == kNoLimit
            ? std::numeric_limits<double>::infinity()
            : ToUsd(std::max<std::int64_t>(0, slot.limit_nanos - n.spent_nanos - n.reserved_nanos));
    state.remaining.tokens =
        slot.limit_tokens == kNoLimit
            ? std::numeric_limits<std::int64_t>::max()
            : std::max<std::int64_t>(0, slot.limit_tokens - n.spent_tokens - n.reserved_tokens);
    state.soft_limit_reached = n.soft_limit_reached;
    return state;
  }

  std::vector<BudgetState> States() {
    std::vector<Numbers> numbers(slots.size());
    {
      std::lock_guard lock(mutex);
      const std::int64_t now = UnixSeconds(clock->Now());
      for (std::size_t i = 0; i < slots.size(); ++i) {
        RollIfDue(slots[i], now);
        numbers[i] = slots[i].numbers;
      }
    }
    std::vector<BudgetState> states;
    states.reserve(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i)
      states.push_back(MakeState(slots[i], numbers[i]));
    return states;
  }

  Status Flush() noexcept {
    try {
      return FlushOrThrow();
    } catch (...) {
      return InternalError("budget ledger flush: out of memory");
    }
  }

  Status FlushOrThrow() {
    if (!store) return Status::Ok();
    std::lock_guard flush_lock(flush_mutex);  // one writer at a time; the store is not shared
    std::vector<BudgetSpendRow> rows;
    {
      std::lock_guard lock(mutex);
      const std::int64_t now = UnixSeconds(clock->Now());
      for (BudgetSlot& slot : slots) RollIfDue(slot, now);  // queues windows that just closed
      rows = std::move(closed_windows);
      closed_windows.clear();
      for (BudgetSlot& slot : slots) {
        if (!slot.dirty) continue;
        rows.push_back(slot.Row());
        slot.dirty = false;
      }
    }
    Status status = store->Write(rows);
    if (!status.ok()) {
      // Keep the rows for the next attempt, ahead of anything newer (rows are absolute totals,
      // so a later row for the same window simply overwrites this one).
      std::lock_guard lock(mutex);
      rows.insert(rows.end(), std::make_move_iterator(closed_windows.begin()),
                  std::make_move_iterator(closed_windows.end()));
      closed_windows = std::move(rows);
    }
    return status;
  }

  void StartFlushThread(std::chrono::milliseconds interval) {
    flush_thread = std::thread([this, interval] {
      static RateLimitedLog failures(std::chrono::seconds(60));
      std::unique_lock lock(stop_mutex);
      while (!stop_cv.wait_for(lock, interval, [this] { return stopping; })) {
        lock.unlock();
        const Status status = Flush();
        if (!status.ok()) {
          failures.Warn([&] { return "budget ledger flush: " + status.ToString(); });
        }
        lock.lock();
      }
    });
  }

  void StopFlushThread() noexcept {
    {
      std::lock_guard lock(stop_mutex);
      stopping = true;
    }
    stop_cv.notify_all();
    if (flush_thread.joinable()) flush_thread.join();
  }

  std::mutex mutex;  // guards every slot's numbers/dirty and closed_windows
  std::vector<BudgetSpendRow> closed_windows;

 private:
  static void Add(BudgetReservation& r, std::uint32_t index) {
    if (r.count_ < BudgetReservation::kInlineBudgets) {
      r.inline_budgets_[r.count_] = index;
    } else {
      r.more_budgets_.push_back(index);
    }
    ++r.count_;
  }

  static Status Refusal(const BudgetSlot& slot, const Numbers& n, std::int64_t cost_nanos,
                        std::int64_t tokens) {
    const BudgetDefinition& d = slot.definition;
    const auto local_start = slot.zone.ToLocal(sys_seconds(seconds(n.window.start)));
    const auto day = std::chrono::floor<days>(local_start);
    const std::chrono::year_month_day ymd(day);
    const auto time = std::chrono::hh_mm_ss<seconds>(local_start - day);
    char window[96];
    if (d.window == BudgetWindow::kTotal) {
      std::snprintf(window, sizeof window, "total, no reset");
    } else {
      std::snprintf(window, sizeof window, "%s window from %04d-%02u-%02u %02lld:%02lld %s",
                    std::string(BudgetWindowName(d.window)).c_str(), static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                    static_cast<long long>(time.hours().count()),
                    static_cast<long long>(time.minutes().count()), slot.zone.name().c_str());
    }
    char amounts[256];
    const bool cost_over = slot.limit_nanos != kNoLimit &&
                           n.spent_nanos + n.reserved_nanos + cost_nanos > slot.limit_nanos;
    if (cost_over) {
      std::snprintf(amounts, sizeof amounts,
                    "limit %.6f USD, spent %.6f USD, reserved %.6f USD, this call %.6f USD",
                    ToUsd(slot.limit_nanos), ToUsd(n.spent_nanos), ToUsd(n.reserved_nanos),
                    ToUsd(cost_nanos));
    } else {
      std::snprintf(amounts, sizeof amounts,
                    "limit %lld tokens, spent %lld, reserved %lld, this call %lld tokens",
                    static_cast<long long>(slot.limit_tokens),
                    static_cast<long long>(n.spent_tokens),
                    static_cast<long long>(n.reserved_tokens), static_cast<long long>(tokens));
    }
    std::string scope(BudgetScopeName(d.scope));
    if (d.scope != BudgetScope::kGlobal) scope += " '" + slot.subject + "'";
    return ResourceExhaustedError("budget exceeded: '" + d.name + "' (" + scope + ", " + window +
                                  "): " + amounts);
  }

  std::mutex flush_mutex;
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::thread flush_thread;
};

namespace {

Status ValidateDefinition(const BudgetDefinition& d, std::size_t index) {
  auto error = [&](std::string_view field, std::string_view why) {
    return InvalidArgumentError("budgets[" + std::to_string(index) + "] '" + d.name +
                                "': " + std::string(field) + ": " + std::string(why));
  };
  if (d.name.empty()) return error("name", "must not be empty");
  if (d.scope == BudgetScope::kGlobal && !d.match.empty()) {
    return error("match", "a global budget applies to every call and takes no match value");
  }
  if (d.scope != BudgetScope::kGlobal && d.match.empty()) {
    return error("match", "a " + std::string(BudgetScopeName(d.scope)) +
                              " budget needs the value it applies to");
  }
  if (!d.limit_usd && !d.limit_tokens) {
    return error("limit_usd", "set limit_usd, limit_tokens or both");
  }
  if (d.limit_usd && !(*d.limit_usd >= 0 && *d.limit_usd <= kMaxUsd)) {
    return error("limit_usd", "must be a number from 0 to 1e9");
  }
  if (d.limit_tokens && *d.limit_tokens < 0) return error("limit_tokens", "must be >= 0");
  if (!(d.soft_limit > 0 && d.soft_limit <= 1)) {
    return error("soft_limit", "must be a fraction in (0, 1]");
  }
  return Status::Ok();
}

std::string DisplaySubject(const BudgetDefinition& d) {
  if (!d.label.empty()) return d.label;
  if (d.scope == BudgetScope::kGlobal) return "all calls";
  // Never show an API key: a short hash is enough to tell keys apart in logs.
  if (d.scope == BudgetScope::kApiKey) return "sha256:" + Sha256Hex(d.match).substr(0, 12);
  return d.match;
}

}  // namespace
}  // namespace internal

// ---- BudgetReservation ----

BudgetReservation::BudgetReservation(BudgetReservation&& other) noexcept
    : ledger_(std::move(other.ledger_)),
      estimate_(other.estimate_),
      more_budgets_(std::move(other.more_budgets_)),
      count_(std::exchange(other.count_, 0)),
      soft_limit_reached_(other.soft_limit_reached_) {
  std::copy(std::begin(other.inline_budgets_), std::end(other.inline_budgets_), inline_budgets_);
}

BudgetReservation& BudgetReservation::operator=(BudgetReservation&& other) noexcept {
  if (this != &other) {
    Release(nullptr);
    ledger_ = std::move(other.ledger_);
    estimate_ = other.estimate_;
    std::copy(std::begin(other.inline_budgets_), std::end(other.inline_budgets_), inline_budgets_);
    more_budgets_ = std::move(other.more_budgets_);
    count_ = std::exchange(other.count_, 0);
    soft_limit_reached_ = other.soft_limit_reached_;
  }
  return *this;
}

BudgetReservation::~BudgetReservation() { Release(nullptr); }

void BudgetReservation::Settle(const BudgetAmount& actual) noexcept { Release(&actual); }
void BudgetReservation::Cancel() noexcept { Release(nullptr); }

void BudgetReservation::Release(const BudgetAmount* actual) noexcept {
  if (!ledger_) return;
  ledger_->Release(*this, actual);
  ledger_.reset();
}

// ---- BudgetLedger ----

BudgetLedger::BudgetLedger(std::shared_ptr<internal::BudgetLedgerCore> core)
    : core_(std::move(core)) {}

BudgetLedger::~BudgetLedger() {
  core_->StopFlushThread();
  const Status status = core_->Flush();
  if (!status.ok()) InternalLog(LogLevel::kWarning, "budget ledger: " + status.ToString());
}

Result<std::shared_ptr<BudgetLedger>> BudgetLedger::Create(BudgetLedgerOptions options) {
  using internal::BudgetSlot;
  if (options.flush_interval.count() < 0) {
    return InvalidArgumentError("budget ledger: flush_interval must not be negative");
  }
  auto core = std::make_shared<internal::BudgetLedgerCore>();
  core->clock = options.clock ? options.clock : &SystemClock::Instance();
  core->observer = std::move(options.observer);

  std::map<std::string, TimeZone, std::less<>> zones;
  std::map<std::string, std::size_t, std::less<>> names;
  core->slots.reserve(options.budgets.size());
  for (std::size_t i = 0; i < options.budgets.size(); ++i) {
    BudgetDefinition& d = options.budgets[i];
    if (Status s = internal::ValidateDefinition(d, i); !s.ok()) return s;
    if (auto [it, inserted] = names.emplace(d.name, i); !inserted) {
      return InvalidArgumentError("budgets[" + std::to_string(i) + "] '" + d.name +
                                  "': name: already used by budgets[" + std::to_string(it->second) +
                                  "]");
    }
    if (d.time_zone.empty()) d.time_zone = "UTC";
    auto zone = zones.find(d.time_zone);
    if (zone == zones.end()) {
      Result<TimeZone> loaded = TimeZone::Load(d.time_zone, options.zoneinfo_directory);
      if (!loaded.ok()) {
        return loaded.status().WithContext("budgets[" + std::to_string(i) + "] '" + d.name +
                                           "': time_zone");
      }
      zone = zones.emplace(d.time_zone, *loaded).first;
    }
    BudgetSlot slot;
    slot.zone = zone->second;
    slot.subject = internal::DisplaySubject(d);
    if (d.limit_usd) {
      slot.limit_nanos = internal::ToNanos(*d.limit_usd);
      slot.soft_nanos = internal::ToNanos(*d.limit_usd * d.soft_limit);
    }
    if (d.limit_tokens) {
      slot.limit_tokens = *d.limit_tokens;
      slot.soft_tokens =
          static_cast<std::int64_t>(std::ceil(static_cast<double>(*d.limit_tokens) * d.soft_limit));
    }
    slot.definition = std::move(d);
    core->slots.push_back(std::move(slot));
  }

  // The index refers to the match strings inside `slots`, which never move from here on.
  for (std::uint32_t i = 0; i < core->slots.size(); ++i) {
    const BudgetDefinition& d = core->slots[i].definition;
    if (d.scope == BudgetScope::kGlobal) {
      core->global.push_back(i);
    } else {
      core->by_scope[static_cast<std::size_t>(d.scope)].emplace_back(d.match, i);
    }
  }
  for (auto& index : core->by_scope) std::sort(index.begin(), index.end());

  const std::int64_t now = internal::UnixSeconds(core->clock->Now());
  for (BudgetSlot& slot : core->slots) {
    slot.numbers.window = internal::WindowAt(slot.definition.window, slot.zone, now);
  }
  if (!options.database_path.empty()) {
    auto store = internal::SqliteBudgetStore::Open(options.database_path);
    if (!store.ok()) return store.status();
    core->store = std::move(*store);
    for (BudgetSlot& slot : core->slots) {
      auto row = core->store->Load(slot.definition.name, slot.numbers.window.start);
      if (!row.ok()) return row.status();
      if (!row->has_value()) continue;
      slot.numbers.spent_nanos = internal::ToNanos((*row)->cost);
      slot.numbers.spent_tokens = (*row)->tokens;
      slot.numbers.soft_limit_reached = (*row)->soft_limit_reached;
    }
    if (options.flush_interval.count() > 0) core->StartFlushThread(options.flush_interval);
  }
  return std::shared_ptr<BudgetLedger>(new BudgetLedger(std::move(core)));
}

Result<BudgetReservation> BudgetLedger::Reserve(const BudgetSubject& subject,
                                                const BudgetAmount& estimate) noexcept {
  try {
    return core_->Reserve(subject, estimate, core_);
  } catch (...) {  // only allocation can throw here (a refusal message, > 8 matching budgets)
    return ResourceExhaustedError("budget reserve: out of memory");
  }
}

std::vector<BudgetState> BudgetLedger::States() const { return core_->States(); }

Result<BudgetState> BudgetLedger::State(std::string_view name) const {
  for (std::uint32_t i = 0; i < core_->slots.size(); ++i) {
    if (core_->slots[i].definition.name == name) return core_->StateOf(i);
  }
  return NotFoundError("budget '" + std::string(name) + "': no such budget");
}

Status BudgetLedger::Flush() { return core_->Flush(); }

}  // namespace llmtrace::genai
