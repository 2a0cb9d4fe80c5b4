#include "llmtrace/genai/inference_span.h"

#include <array>
#include <cmath>

#include "llmtrace/genai/budget_ledger.h"
#include "llmtrace/genai/content_capture.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "llmtrace/genai/sla_monitor.h"
#include "src/genai/inference_series_cache.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {
namespace {

// Holds the metric attribute set of one call: the conventions' common metric attributes.
class MetricAttributes {
 public:
  void Add(std::string_view key, const AttributeValue& value) noexcept {
    if (n_ < items_.size()) items_[n_++] = KeyValue{key, value};
  }
  void AddIfSet(std::string_view key, std::string_view value) noexcept {
    if (!value.empty()) Add(key, value);
  }
  metrics::Attributes view() const noexcept { return {items_.data(), n_}; }
  std::size_t size() const noexcept { return n_; }
  void Truncate(std::size_t n) noexcept { n_ = n; }

 private:
  std::array<KeyValue, 10> items_;
  std::size_t n_ = 0;
};

std::int64_t PromptBytes(std::span<const Message> messages, std::string_view system) {
  std::int64_t bytes = static_cast<std::int64_t>(system.size());
  for (const Message& m : messages) bytes += static_cast<std::int64_t>(m.content.size());
  return bytes;
}

// The prompt hash covers roles and contents, so the same words from another role differ:
// SHA-256 over "system\n<instructions>\n" (when set) then "<role>\n<content>\n" per message.
std::string PromptSha256(std::span<const Message> messages, std::string_view system) {
  Sha256Hasher hasher;
  if (!system.empty()) {
    hasher.Update("system\n");
    hasher.Update(system);
    hasher.Update("\n");
  }
  for (const Message& m : messages) {
    hasher.Update(m.role);
    hasher.Update("\n");
    hasher.Update(m.content);
    hasher.Update("\n");
  }
  return hasher.FinishHex();
}

}  // namespace

InferenceSpan Instrumentation::StartInference(const InferenceRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::array<KeyValue, 20> attributes;
  std::size_t n = 0;
  attributes[n++] = {attr::kOperationName, request.operation};
  attributes[n++] = {attr::kProviderName, request.provider};
  attributes[n++] = {attr::kRequestModel, request.model};
  if (!request.server_address.empty())
    attributes[n++] = {attr::kServerAddress, request.server_address};
  if (request.server_port > 0) attributes[n++] = {attr::kServerPort, request.server_port};
  if (request.max_tokens) attributes[n++] = {attr::kRequestMaxTokens, *request.max_tokens};
  if (request.temperature) attributes[n++] = {attr::kRequestTemperature, *request.temperature};
  if (request.top_p) attributes[n++] = {attr::kRequestTopP, *request.top_p};
  if (request.top_k) attributes[n++] = {attr::kRequestTopK, *request.top_k};
  if (request.frequency_penalty) {
    attributes[n++] = {attr::kRequestFrequencyPenalty, *request.frequency_penalty};
  }
  if (request.presence_penalty) {
    attributes[n++] = {attr::kRequestPresencePenalty, *request.presence_penalty};
  }
  if (!request.stop_sequences.empty()) {
    attributes[n++] = {attr::kRequestStopSequences, request.stop_sequences};
  }
  if (request.seed) attributes[n++] = {attr::kRequestSeed, *request.seed};
  if (request.choice_count) attributes[n++] = {attr::kRequestChoiceCount, *request.choice_count};
  if (request.stream) attributes[n++] = {attr::kRequestStream, true};
  if (!request.output_type.empty()) attributes[n++] = {attr::kOutputType, request.output_type};
  if (!request.conversation_id.empty()) {
    attributes[n++] = {attr::kConversationId, request.conversation_id};
  }
  if (!request.metadata.user_id.empty())
    attributes[n++] = {attr::kUserId, request.metadata.user_id};
  if (!request.metadata.session_id.empty()) {
    attributes[n++] = {attr::kSessionId, request.metadata.session_id};
  }

  trace::Span span = state_->StartSpan(
      internal::OperationSpanName(request.operation, request.model),
      std::span<const KeyValue>(attributes.data(), n), request.kind, request.parent);
  return InferenceSpan(state_, std::move(span), start, request);
}

InferenceSpan::InferenceSpan(std::shared_ptr<const internal::InstrumentationState> state,
                             trace::Span span, MonotonicTime start,
                             const InferenceRequest& request) noexcept
    : OperationSpan(std::move(state), std::move(span), start) {
  try {
    operation_.assign(request.operation);
    provider_.assign(request.provider);
    request_model_.assign(request.model);
    server_address_.assign(request.server_address);
    server_port_ = request.server_port;
    user_id_.assign(request.metadata.user_id);
    session_id_.assign(request.metadata.session_id);
    team_.assign(request.metadata.team);
    api_key_id_.assign(request.metadata.api_key_id);
    streaming_ = request.stream;
    prompt_length_ = PromptBytes(request.messages, request.system_instructions);
    if (state_->hash_content && prompt_length_ > 0) {
      prompt_sha256_ = PromptSha256(request.messages, request.system_instructions);
      span_.SetAttribute(attr::kPromptSha256, prompt_sha256_);
    }
    span_.SetAttribute(attr::kPromptLength, prompt_length_);
    if (state_->capture_content()) {
      input_messages_json_ = state_->content_capture->InputMessagesJson(request.messages);
      if (!request.system_instructions.empty()) {
        system_instructions_json_ =
            state_->content_capture->SystemInstructionsJson(request.system_instructions);
      }
    }
  } catch (...) {  // out of memory: the span goes on with what it has
  }
  ReserveBudget(request);
}

InferenceSpan::InferenceSpan() noexcept = default;
InferenceSpan::InferenceSpan(InferenceSpan&&) noexcept = default;
InferenceSpan::~InferenceSpan() { End(); }

void InferenceSpan::SetResponseId(std::string_view id) noexcept {
  span_.SetAttribute(attr::kResponseId, id);
}

void InferenceSpan::SetResponseModel(std::string_view model) noexcept {
  try {
    response_model_.assign(model);
  } catch (...) {
  }
  span_.SetAttribute(attr::kResponseModel, model);
}

void InferenceSpan::AddFinishReason(std::string_view reason) noexcept {
  try {
    finish_reasons_.emplace_back(reason);
  } catch (...) {
  }
}

void InferenceSpan::SetUsage(const TokenUsage& usage, bool estimated) noexcept {
  usage_ = usage;
  usage_estimated_ = estimated;
}

void InferenceSpan::SetOutput(std::string_view text) noexcept {
  if (ended_ || state_ == nullptr) return;
  if (state_->hash_content) response_hasher_.Update(text);
  response_length_ += static_cast<std::int64_t>(text.size());
  if (state_->capture_content()) {
    try {
      response_text_.append(text);
    } catch (...) {
    }
  }
}

void InferenceSpan::OnChunk(std::string_view text) noexcept {
  if (ended_ || state_ == nullptr) return;
  ++chunk_count_;
  if (text.empty()) return;
  const MonotonicTime now = state_->clock->MonotonicNow();
  const internal::GenAiInstruments& m = state_->instruments;
  if (!first_chunk_at_) {
    first_chunk_at_ = now;
  } else {
    // Time per output chunk: from the end of the previous content chunk to this one.
    const double gap = std::chrono::duration<double>(now - last_chunk_at_).count();
    MetricAttributes attributes;
    attributes.Add(attr::kOperationName, operation_);
    attributes.Add(attr::kProviderName, provider_);
    attributes.Add(attr::kRequestModel, request_model_);
    m.time_per_output_chunk.Record(gap, attributes.view());
    m.inference_time_per_output_chunk.Record(gap, attributes.view());
  }
  last_chunk_at_ = now;
  SetOutput(text);
}

std::optional<double> InferenceSpan::time_to_first_chunk_seconds() const noexcept {
  if (!first_chunk_at_) return std::nullopt;
  return std::chrono::duration<double>(*first_chunk_at_ - start_).count();
}

void InferenceSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(operation_, provider_, request_model_)) return;
  const double duration = ElapsedSeconds();
  const bool partial = failed() && response_length_ > 0;
  if (failed() && (finish_reasons_.empty() || partial)) {
    // A failed call finishes with "error" whatever the stream said before it broke.
    try {
      finish_reasons_.assign(1, std::string(value::kFinishReasonError));
    } catch (...) {
    }
  }
  if (!finish_reasons_.empty()) {
    std::array<std::string_view, 8> reasons;
    const std::size_t n = std::min(reasons.size(), finish_reasons_.size());
    for (std::size_t i = 0; i < n; ++i) reasons[i] = finish_reasons_[i];
    span_.SetAttribute(attr::kResponseFinishReasons,
                       std::span<const std::string_view>(reasons.data(), n));
  }
  if (usage_) {
    const TokenUsage& u = *usage_;
    span_.SetAttribute(attr::kUsageInputTokens, u.input_tokens);
    span_.SetAttribute(attr::kUsageOutputTokens, u.output_tokens);
    if (u.cache_read_input_tokens > 0) {
      span_.SetAttribute(attr::kUsageCacheReadInputTokens, u.cache_read_input_tokens);
    }
    if (u.cache_write_input_tokens > 0) {
      if (EmitsV141(state_->semconv)) {
        span_.SetAttribute(attr::kUsageCacheCreationInputTokensV141, u.cache_write_input_tokens);
      }
      if (EmitsLatest(state_->semconv)) {
        span_.SetAttribute(attr::kUsageCacheWriteInputTokensLatest, u.cache_write_input_tokens);
      }
    }
    if (u.reasoning_output_tokens > 0) {
      span_.SetAttribute(attr::kUsageReasoningOutputTokens, u.reasoning_output_tokens);
    }
    if (usage_estimated_) span_.SetAttribute(attr::kUsageSource, "estimated");
  }
  if (auto ttfc = time_to_first_chunk_seconds()) {
    span_.SetAttribute(attr::kResponseTimeToFirstChunk, *ttfc);
  }
  if (streaming_ || chunk_count_ > 0) span_.SetAttribute(attr::kResponseChunkCount, chunk_count_);
  if (partial) span_.SetAttribute(attr::kResponsePartial, true);
  span_.SetAttribute(attr::kResponseLength, response_length_);
  std::string response_sha256;
  if (state_->hash_content && response_length_ > 0) {
    response_sha256 = response_hasher_.FinishHex();
    span_.SetAttribute(attr::kResponseSha256, response_sha256);
  }
  // Bound after the response model and error type are known: they are part of the series.
  const std::shared_ptr<const internal::InferenceSeries> bound = BoundSeries();
  RecordCost(bound.get());
  SettleBudget();
  RecordContent();
  RecordMetrics(bound.get(), duration);
  EmitCallLog(duration, response_sha256);
  if (state_->sla_monitor && admitted()) {  // a budget refusal never reached the model
    state_->sla_monitor->Record({.model = request_model_,
                                 .latency_seconds = duration,
                                 .ttft_seconds = time_to_first_chunk_seconds(),
                                 .failed = failed(),
                                 .cost_usd = cost().value_or(0)});
  }
  span_.End();
}

}  // namespace llmtrace::genai
