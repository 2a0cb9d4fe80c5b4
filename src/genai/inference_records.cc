// The parts of InferenceSpan::End() that write outside the span: the conventions' metrics, the
// captured content, and the structured call log record (seed pattern 3).
#include <array>

#include "llmtrace/genai/content_capture.h"
#include "llmtrace/genai/inference_span.h"
#include "llmtrace/logs/logger.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {
namespace {

template <std::size_t N>
class KeyValueList {
 public:
  void Add(std::string_view key, const AttributeValue& value) noexcept {
    if (n_ < items_.size()) items_[n_++] = KeyValue{key, value};
  }
  void AddIfSet(std::string_view key, std::string_view value) noexcept {
    if (!value.empty()) Add(key, value);
  }
  std::span<const KeyValue> view() const noexcept { return {items_.data(), n_}; }

 private:
  std::array<KeyValue, N> items_;
  std::size_t n_ = 0;
};

}  // namespace

std::span<const KeyValue> InferenceSpan::CommonMetricAttributes(
    std::array<KeyValue, kCommonMetricAttributes>& out) const noexcept {
  std::size_t n = 0;
  out[n++] = {attr::kOperationName, operation_};
  out[n++] = {attr::kProviderName, provider_};
  out[n++] = {attr::kRequestModel, request_model_};
  if (!response_model_.empty()) out[n++] = {attr::kResponseModel, response_model_};
  if (!server_address_.empty()) {
    out[n++] = {attr::kServerAddress, server_address_};
    if (server_port_ > 0) out[n++] = {attr::kServerPort, server_port_};
  }
  if (!error_type_.empty()) out[n++] = {attr::kErrorType, error_type_};
  return {out.data(), n};
}

std::shared_ptr<const internal::InferenceSeries> InferenceSpan::BoundSeries() const noexcept {
  std::array<KeyValue, kCommonMetricAttributes> storage;
  return state_->inference_series.Get(state_->instruments, state_->semconv,
                                      CommonMetricAttributes(storage));
}

void InferenceSpan::RecordMetrics(const internal::InferenceSeries* bound,
                                  double duration_seconds) noexcept {
  if (bound != nullptr) {
    RecordBound(*bound, duration_seconds);
    return;
  }
  const internal::GenAiInstruments& m = state_->instruments;
  std::array<KeyValue, kCommonMetricAttributes> storage;
  KeyValueList<kCommonMetricAttributes> common;
  for (const KeyValue& kv : CommonMetricAttributes(storage)) common.Add(kv.key, kv.value);
  m.operation_duration.Record(duration_seconds, common.view());
  m.inference_duration.Record(duration_seconds, common.view());
  m.calls.Add(1, common.view());
  if (auto ttfc = time_to_first_chunk_seconds()) {
    m.time_to_first_chunk.Record(*ttfc, common.view());
    m.inference_time_to_first_chunk.Record(*ttfc, common.view());
  }
  if (!usage_) return;
  const TokenUsage& u = *usage_;
  if (EmitsV141(state_->semconv)) {
    KeyValueList<9> typed;
    for (const KeyValue& kv : common.view()) typed.Add(kv.key, kv.value);
    typed.Add(attr::kTokenType, value::kTokenInput);
    m.token_usage.Record(u.input_tokens, typed.view());
    KeyValueList<9> output;
    for (const KeyValue& kv : common.view()) output.Add(kv.key, kv.value);
    output.Add(attr::kTokenType, value::kTokenOutput);
    m.token_usage.Record(u.output_tokens, output.view());
  }
  if (EmitsLatest(state_->semconv)) {
    KeyValueList<9> text;
    for (const KeyValue& kv : common.view()) text.Add(kv.key, kv.value);
    text.Add(attr::kTokenModality, value::kModalityText);
    m.usage_input_tokens.Add(u.input_tokens, text.view());
    m.usage_output_tokens.Add(u.output_tokens, text.view());
    if (u.cache_read_input_tokens > 0) {
      m.usage_cache_read_input_tokens.Add(u.cache_read_input_tokens, text.view());
    }
    if (u.cache_write_input_tokens > 0) {
      m.usage_cache_write_input_tokens.Add(u.cache_write_input_tokens, text.view());
    }
    if (u.reasoning_output_tokens > 0) {
      m.usage_reasoning_output_tokens.Add(u.reasoning_output_tokens, text.view());
    }
    m.operation_input_tokens.Record(u.input_tokens, common.view());
    m.operation_output_tokens.Record(u.output_tokens, common.view());
  }
}

// The same records as RecordMetrics, through series bound once per attribute set.
void InferenceSpan::RecordBound(const internal::InferenceSeries& s,
                                double duration_seconds) noexcept {
  s.operation_duration.Record(duration_seconds);
  s.inference_duration.Record(duration_seconds);
  s.calls.Add(1);
  const internal::GenAiInstruments& m = state_->instruments;
  std::array<KeyValue, kCommonMetricAttributes + 1> storage;
  const auto common = [&] {
    std::array<KeyValue, kCommonMetricAttributes> base;
    std::span<const KeyValue> attributes = CommonMetricAttributes(base);
    std::copy(attributes.begin(), attributes.end(), storage.begin());
    return attributes.size();
  };
  if (auto ttfc = time_to_first_chunk_seconds()) {
    s.time_to_first_chunk
        .Get([&] {
          return m.time_to_first_chunk.Bind(metrics::Attributes(storage.data(), common()));
        })
        .Record(*ttfc);
    s.inference_time_to_first_chunk
        .Get([&] {
          return m.inference_time_to_first_chunk.Bind(
              metrics::Attributes(storage.data(), common()));
        })
        .Record(*ttfc);
  }
  if (!usage_) return;
  const TokenUsage& u = *usage_;
  s.input_token_usage.Record(u.input_tokens);
  s.output_token_usage.Record(u.output_tokens);
  s.usage_input_tokens.Add(u.input_tokens);
  s.usage_output_tokens.Add(u.output_tokens);
  const auto text = [&] {
    const std::size_t n = common();
    storage[n] = {attr::kTokenModality, value::kModalityText};
    return metrics::Attributes(storage.data(), n + 1);
  };
  if (u.cache_read_input_tokens > 0) {
    s.usage_cache_read_input_tokens
        .Get([&] { return m.usage_cache_read_input_tokens.Bind(text()); })
        .Add(u.cache_read_input_tokens);
  }
  if (u.cache_write_input_tokens > 0) {
    s.usage_cache_write_input_tokens
        .Get([&] { return m.usage_cache_write_input_tokens.Bind(text()); })
        .Add(u.cache_write_input_tokens);
  }
  if (u.reasoning_output_tokens > 0) {
    s.usage_reasoning_output_tokens
        .Get([&] { return m.usage_reasoning_output_tokens.Bind(text()); })
        .Add(u.reasoning_output_tokens);
  }
  s.operation_input_tokens.Record(u.input_tokens);
  s.operation_output_tokens.Record(u.output_tokens);
}

void InferenceSpan::RecordContent() noexcept {
  if (!state_->capture_content()) return;
  const ContentCapture& capture = *state_->content_capture;
  try {
    const std::string_view finish_reason =
        finish_reasons_.empty() ? std::string_view() : std::string_view(finish_reasons_.front());
    const std::string output = capture.OutputMessagesJson(response_text_, finish_reason);
    if (capture.on_span()) {
      span_.SetAttribute(attr::kInputMessages, input_messages_json_);
      span_.SetAttribute(attr::kOutputMessages, output);
      if (!system_instructions_json_.empty()) {
        span_.SetAttribute(attr::kSystemInstructions, system_instructions_json_);
      }
    }
    if (capture.as_event()) {
      KeyValueList<3> event;
      event.Add(attr::kInputMessages, input_messages_json_);
      event.Add(attr::kOutputMessages, output);
      event.AddIfSet(attr::kSystemInstructions, system_instructions_json_);
      span_.AddEvent(event::kInferenceOperationDetails, state_->clock->Now(), event.view());
    }
  } catch (...) {  // out of memory: content is the first thing to give up
  }
}

void InferenceSpan::EmitCallLog(double duration_seconds,
                                std::string_view response_sha256) noexcept {
  const logs::Logger* logger = state_->logger.get();
  if (logger == nullptr || !logger->Enabled()) return;
  try {
    std::array<std::string_view, 8> reasons;
    const std::size_t reason_count = std::min(reasons.size(), finish_reasons_.size());
    for (std::size_t i = 0; i < reason_count; ++i) reasons[i] = finish_reasons_[i];

    KeyValueList<32> record;
    record.Add(attr::kOperationName, operation_);
    record.Add(attr::kProviderName, provider_);
    record.Add(attr::kRequestModel, request_model_);
    record.AddIfSet(attr::kResponseModel, response_model_);
    record.AddIfSet(attr::kPromptSha256, prompt_sha256_);
    record.Add(attr::kPromptLength, prompt_length_);
    record.AddIfSet(attr::kResponseSha256, response_sha256);
    record.Add(attr::kResponseLength, response_length_);
    if (usage_) {
      record.Add(attr::kUsageInputTokens, usage_->input_tokens);
      record.Add(attr::kUsageOutputTokens, usage_->output_tokens);
      if (usage_->cache_read_input_tokens > 0) {
        record.Add(attr::kUsageCacheReadInputTokens, usage_->cache_read_input_tokens);
      }
    }
    if (cost_) {
      record.Add(attr::kUsageCostAmount, *cost_);
      record.Add(attr::kUsageCostCurrency, "USD");
    }
    record.Add(attr::kDurationMs, duration_seconds * 1000.0);
    if (auto ttfc = time_to_first_chunk_seconds()) record.Add(attr::kTtftMs, *ttfc * 1000.0);
    if (reason_count > 0) {
      record.Add(attr::kResponseFinishReasons,
                 std::span<const std::string_view>(reasons.data(), reason_count));
    }
    record.AddIfSet(attr::kUserId, user_id_);
    record.AddIfSet(attr::kSessionId, session_id_);
    record.AddIfSet(attr::kErrorType, error_type_);
    std::string sanitized_prompt;
    std::string sanitized_response;
    if (state_->capture_content()) {
      sanitized_prompt = input_messages_json_;
      sanitized_response = state_->content_capture->Sanitize(response_text_);
      record.Add(attr::kSanitizedPrompt, sanitized_prompt);
      record.Add(attr::kSanitizedResponse, sanitized_response);
    }
    const trace::Context context(span_.context(), trace::internal::CurrentContextRef().baggage());
    logger->Emit(
        context, failed() ? logs::Severity::kError : logs::Severity::kInfo,
        failed() ? std::string_view("LLM call failed") : std::string_view("LLM call completed"),
        record.view());
  } catch (...) {  // out of memory: the span and metrics already have the call
  }
}

}  // namespace llmtrace::genai
