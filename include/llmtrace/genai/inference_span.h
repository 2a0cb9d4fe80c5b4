// InferenceSpan: one LLM call (chat, text_completion, generate_content), streamed or not.
//
// Start it with Instrumentation::StartInference before the request goes out (the span, the
// budget reservation and the time-to-first-chunk clock start there), feed it what the response
// says, and End() it. End() records, once: the span's response and usage attributes, the cost,
// the conventions' metrics, the budget settlement and the structured call log record.
//
// Streaming: call OnChunk for every chunk as it arrives. The first chunk with content gives the
// time to first chunk; each later one a time-per-output-chunk sample. When the stream breaks,
// SetError records the finish reason "error", marks the output partial and keeps what arrived.
//
// Budgets: when a hard budget limit would be exceeded, the call is refused at start:
// admitted() is false and admission() says which budget; do not send the request. The span still
// ends (error.type budget_exceeded) so refusals are visible.
// Thread-safety: one thread at a time (a stream callback may run on another thread: move the
// span there, or guard it).
//
//   InferenceSpan call = genai->StartInference({.provider = "openai", .model = "gpt-4o",
//                                               .stream = true, .messages = messages});
//   if (!call.admitted()) return call.admission();
//   for (auto& chunk : stream) call.OnChunk(chunk.text);
//   call.AddFinishReason("stop"); call.SetUsage(usage); call.End();
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/status.h"
#include "llmtrace/genai/content_hash.h"
#include "llmtrace/genai/message.h"
#include "llmtrace/genai/operation_span.h"
#include "llmtrace/genai/semconv.h"
#include "llmtrace/genai/token_usage.h"
#include "llmtrace/trace/span_data.h"

namespace llmtrace::genai {

class BudgetReservation;  // budget_ledger.h
namespace internal {
struct InferenceSeries;
}

// Who a call is for: lands on spans and log records, and selects budgets. Views; copied.
struct CallMetadata {
  std::string_view user_id;
  std::string_view session_id;
  std::string_view team;
  // A label or hash identifying the API key (never the key itself).
  std::string_view api_key_id;
};

struct InferenceRequest {
  std::string_view operation = op::kChat;  // chat | text_completion | generate_content
  std::string_view provider;               // gen_ai.provider.name, e.g. "openai"
  std::string_view model;                  // gen_ai.request.model
  std::string_view server_address;
  std::int64_t server_port = 0;  // 0: not set
  std::optional<std::int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> top_k;
  std::optional<double> frequency_penalty;
  std::optional<double> presence_penalty;
  std::span<const std::string_view> stop_sequences;
  std::optional<std::int64_t> seed;
  std::optional<std::int64_t> choice_count;
  bool stream = false;
  std::string_view output_type;  // text | json | image | speech
  std::string_view conversation_id;
  // The prompt: measured and hashed always, captured only when content capture is on.
  std::span<const Message> messages;
  std::string_view system_instructions;
  CallMetadata metadata;
  // For the budget reservation; default: prompt bytes / 4, rounded up.
  std::optional<std::int64_t> estimated_input_tokens;
  // CLIENT for remote models (default), INTERNAL for in-process ones.
  trace::SpanKind kind = trace::SpanKind::kClient;
  const trace::Context* parent = nullptr;  // null: the current context
};

class InferenceSpan : public OperationSpan {
 public:
  // Out of line, so holders (a std::vector of calls) need not see BudgetReservation.
  InferenceSpan() noexcept;
  InferenceSpan(InferenceSpan&&) noexcept;
  InferenceSpan& operator=(InferenceSpan&&) = delete;  // end it, then start another
  ~InferenceSpan();

  // False when a hard budget limit refused the call; admission() then says which.
  bool admitted() const noexcept { return admission_.ok(); }
  const Status& admission() const noexcept { return admission_; }

  void SetResponseId(std::string_view id) noexcept;
  void SetResponseModel(std::string_view model) noexcept;
  void AddFinishReason(std::string_view reason) noexcept;
  // Billed usage in the inclusive convention (see token_usage.h). `estimated` marks counts that
  // did not come from the provider (llmtrace.usage.source = estimated).
  void SetUsage(const TokenUsage& usage, bool estimated = false) noexcept;
  // The whole (non-streamed) response text: measured and hashed; captured when enabled.
  void SetOutput(std::string_view text) noexcept;
  // One streamed chunk of response text. An empty chunk (a role-only or usage-only chunk)
  // counts as a chunk but does not stop the time-to-first-chunk clock.
  void OnChunk(std::string_view text) noexcept;

  // Records everything (see the file comment). Later calls do nothing.
  void End() noexcept;

  // Read-backs, for callers and tests.
  const std::optional<double>& cost() const noexcept { return cost_; }
  std::optional<double> time_to_first_chunk_seconds() const noexcept;
  std::int64_t chunk_count() const noexcept { return chunk_count_; }

 private:
  friend class Instrumentation;
  InferenceSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                MonotonicTime start, const InferenceRequest& request) noexcept;

  void ReserveBudget(const InferenceRequest& request) noexcept;
  static constexpr std::size_t kCommonMetricAttributes = 7;
  // The conventions' common metric attributes of this call, written into `out`.
  std::span<const KeyValue> CommonMetricAttributes(
      std::array<KeyValue, kCommonMetricAttributes>& out) const noexcept;
  std::shared_ptr<const internal::InferenceSeries> BoundSeries() const noexcept;
  void RecordCost(const internal::InferenceSeries* bound) noexcept;
  void SettleBudget() noexcept;
  void RecordMetrics(const internal::InferenceSeries* bound, double duration_seconds) noexcept;
  void RecordBound(const internal::InferenceSeries& series, double duration_seconds) noexcept;
  void EmitCallLog(double duration_seconds, std::string_view response_sha256) noexcept;
  void RecordContent() noexcept;

  std::string operation_;
  std::string provider_;
  std::string request_model_;
  std::string response_model_;
  std::string server_address_;
  std::int64_t server_port_ = 0;
  std::string user_id_;
  std::string session_id_;
  std::string team_;
  std::string api_key_id_;
  std::vector<std::string> finish_reasons_;
  std::optional<TokenUsage> usage_;
  bool usage_estimated_ = false;
  std::optional<double> cost_;
  Status admission_;
  std::unique_ptr<BudgetReservation> reservation_;  // held from start to End()

  std::string prompt_sha256_;
  std::int64_t prompt_length_ = 0;
  std::string input_messages_json_;  // captured, sanitized (content capture only)
  std::string system_instructions_json_;
  Sha256Hasher response_hasher_;
  std::int64_t response_length_ = 0;
  std::string response_text_;  // kept only when content capture is on
  std::int64_t chunk_count_ = 0;
  std::optional<MonotonicTime> first_chunk_at_;
  MonotonicTime last_chunk_at_{};
  bool streaming_ = false;
};

}  // namespace llmtrace::genai
