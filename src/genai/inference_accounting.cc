// The money side of an inference call: the cost from the pricing catalog, and the budget
// reservation taken at start and settled at End().
#include <cmath>

#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/inference_span.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "src/genai/inference_series_cache.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {
namespace {

// Tokens a prompt of `bytes` bytes is assumed to hold when the caller gives no estimate: about
// four bytes a token for English text with the common BPE tokenizers. Only budgets use it.
std::int64_t EstimateTokens(std::int64_t bytes) { return (bytes + 3) / 4; }

}  // namespace

void InferenceSpan::ReserveBudget(const InferenceRequest& request) noexcept {
  BudgetLedger* ledger = state_->budgets.get();
  if (ledger == nullptr) return;
  TokenUsage estimate;
  estimate.input_tokens = request.estimated_input_tokens.value_or(EstimateTokens(prompt_length_));
  estimate.output_tokens = request.max_tokens.value_or(state_->default_output_tokens_estimate);
  BudgetAmount amount{0, estimate.total_tokens()};
  if (state_->pricing) {
    // Unknown models reserve tokens only: their cost is unknown, not zero, and a token limit
    // still applies. The unpriced lookup is counted once, at End().
    if (const ModelPrice* price = state_->pricing->Find(request_model_)) {
      amount.cost = ComputeCost(*price, estimate).total;
    }
  }
  Result<BudgetReservation> reservation =
      ledger->Reserve(BudgetSubject{request_model_, user_id_, team_, api_key_id_}, amount);
  if (!reservation.ok()) {
    admission_ = reservation.status();
    span_.SetAttribute(attr::kBudgetExceeded, true);
    SetError(ToString(ErrorType::kBudgetExceeded), admission_.message());
    KeyValue attributes[] = {{attr::kProviderName, provider_},
                             {attr::kRequestModel, request_model_}};
    state_->instruments.budget_rejections.Add(1, attributes);
    return;
  }
  if (reservation->soft_limit_reached()) span_.SetAttribute(attr::kBudgetSoftLimitReached, true);
  try {
    reservation_ = std::make_unique<BudgetReservation>(std::move(*reservation));
  } catch (...) {  // out of memory: the reservation is released as it goes out of scope
  }
}

void InferenceSpan::RecordCost(const internal::InferenceSeries* bound) noexcept {
  if (!usage_ || state_->pricing == nullptr) {
    if (usage_ && state_->pricing == nullptr) span_.SetAttribute(attr::kCostUnpriced, true);
    return;
  }
  // The response model is what was billed (a dated snapshot); fall back to the requested name.
  const ModelPrice* price = nullptr;
  if (!response_model_.empty()) price = state_->pricing->Find(response_model_);
  if (price == nullptr && response_model_ != request_model_) {
    price = state_->pricing->Find(request_model_);
  }
  if (price == nullptr) {
    span_.SetAttribute(attr::kCostUnpriced, true);
    KeyValue attributes[] = {{attr::kProviderName, provider_},
                             {attr::kRequestModel, request_model_}};
    state_->instruments.unpriced_calls.Add(1, attributes);
    return;
  }
  const CostBreakdown cost = ComputeCost(*price, *usage_);
  if (!std::isfinite(cost.total)) return;
  cost_ = cost.total;
  span_.SetAttribute(attr::kUsageCostAmount, cost.total);
  span_.SetAttribute(attr::kUsageCostCurrency, cost.currency);
  span_.SetAttribute(attr::kUsageCostSource, value::kCostSourceLocal);
  const metrics::Counter<double>& counter = state_->instruments.cost;
  if (!counter.enabled()) return;
  using LazyCost = internal::LazySeries<metrics::BoundSum<double>>;
  const auto add = [&](std::string_view token_class, double amount, const LazyCost* lazy) {
    if (amount <= 0) return;
    const KeyValue attributes[] = {{attr::kProviderName, provider_},
                                   {attr::kRequestModel, request_model_},
                                   {attr::kTokenClass, token_class}};
    if (lazy == nullptr) {
      counter.Add(amount, attributes);
    } else {
      lazy->Get([&] { return counter.Bind(attributes); }).Add(amount);
    }
  };
  add(value::kTokenInput, cost.input, bound ? &bound->cost_input : nullptr);
  add(value::kTokenCacheRead, cost.cache_read, bound ? &bound->cost_cache_read : nullptr);
  add(value::kTokenCacheWrite, cost.cache_write, bound ? &bound->cost_cache_write : nullptr);
  add(value::kTokenOutput, cost.output, bound ? &bound->cost_output : nullptr);
  add(value::kTokenReasoning, cost.reasoning, bound ? &bound->cost_reasoning : nullptr);
}

void InferenceSpan::SettleBudget() noexcept {
  if (reservation_ == nullptr) return;
  if (usage_) {
    // An unpriced model settles its tokens and no cost: unknown, so not charged as zero-cost
    // guesswork either way; its token limit still holds.
    reservation_->Settle(BudgetAmount{cost_.value_or(0), usage_->total_tokens()});
  } else if (!failed()) {
    // No usage reported for a call that did not fail: keep the estimate charged rather than
    // let unreported calls spend for free.
    reservation_->Settle(reservation_->estimate());
  } else {
    reservation_->Cancel();  // the call failed before it was billed
  }
  reservation_.reset();
}

}  // namespace llmtrace::genai
