#include "llmtrace/genai/retrieval_spans.h"

#include <array>

#include "llmtrace/genai/content_capture.h"
#include "llmtrace/genai/content_hash.h"
#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/pricing_catalog.h"
#include "src/genai/instrumentation_state.h"

namespace llmtrace::genai {
// --- embeddings

EmbeddingsSpan Instrumentation::StartEmbeddings(const EmbeddingsRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::array<KeyValue, 8> attributes;
  std::size_t n = 0;
  attributes[n++] = {attr::kOperationName, op::kEmbeddings};
  attributes[n++] = {attr::kProviderName, request.provider};
  attributes[n++] = {attr::kRequestModel, request.model};
  if (!request.server_address.empty())
    attributes[n++] = {attr::kServerAddress, request.server_address};
  if (request.server_port > 0) attributes[n++] = {attr::kServerPort, request.server_port};
  if (request.dimension_count) {
    attributes[n++] = {attr::kEmbeddingsDimensionCount, *request.dimension_count};
  }
  std::array<std::string_view, 1> formats{request.encoding_format};
  if (!request.encoding_format.empty()) {
    attributes[n++] = {attr::kRequestEncodingFormats, std::span<const std::string_view>(formats)};
  }
  trace::Span span = state_->StartSpan(internal::OperationSpanName(op::kEmbeddings, request.model),
                                       std::span<const KeyValue>(attributes.data(), n),
                                       trace::SpanKind::kClient, request.parent);
  return EmbeddingsSpan(state_, std::move(span), start, request);
}

EmbeddingsSpan::EmbeddingsSpan(std::shared_ptr<const internal::InstrumentationState> state,
                               trace::Span span, MonotonicTime start,
                               const EmbeddingsRequest& request) noexcept
    : OperationSpan(std::move(state), std::move(span), start) {
  try {
    provider_.assign(request.provider);
    model_.assign(request.model);
  } catch (...) {
  }
}

void EmbeddingsSpan::SetResponseModel(std::string_view model) noexcept {
  try {
    response_model_.assign(model);
  } catch (...) {
  }
  span_.SetAttribute(attr::kResponseModel, model);
}

void EmbeddingsSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(op::kEmbeddings, provider_, model_)) return;
  const double duration = ElapsedSeconds();
  if (input_tokens_) {
    span_.SetAttribute(attr::kUsageInputTokens, *input_tokens_);
    RecordCost();
  }
  std::array<KeyValue, 6> common;
  std::size_t n = 0;
  common[n++] = {attr::kOperationName, op::kEmbeddings};
  common[n++] = {attr::kProviderName, provider_};
  common[n++] = {attr::kRequestModel, model_};
  if (!response_model_.empty()) common[n++] = {attr::kResponseModel, response_model_};
  if (!error_type_.empty()) common[n++] = {attr::kErrorType, error_type_};
  const internal::GenAiInstruments& m = state_->instruments;
  const metrics::Attributes view(common.data(), n);
  m.operation_duration.Record(duration, view);
  m.inference_duration.Record(duration, view);
  m.calls.Add(1, view);
  if (input_tokens_) {
    common[n] = {attr::kTokenType, value::kTokenInput};
    m.token_usage.Record(*input_tokens_, metrics::Attributes(common.data(), n + 1));
    common[n] = {attr::kTokenModality, value::kModalityText};
    m.usage_input_tokens.Add(*input_tokens_, metrics::Attributes(common.data(), n + 1));
  }
  span_.End();
}

void EmbeddingsSpan::RecordCost() noexcept {
  if (state_->pricing == nullptr) return;
  const ModelPrice* price =
      response_model_.empty() ? nullptr : state_->pricing->Find(response_model_);
  if (price == nullptr) price = state_->pricing->Find(model_);
  if (price == nullptr) {
    span_.SetAttribute(attr::kCostUnpriced, true);
    KeyValue attributes[] = {{attr::kProviderName, provider_}, {attr::kRequestModel, model_}};
    state_->instruments.unpriced_calls.Add(1, attributes);
    return;
  }
  const CostBreakdown cost = ComputeCost(*price, TokenUsage{.input_tokens = *input_tokens_});
  span_.SetAttribute(attr::kUsageCostAmount, cost.total);
  span_.SetAttribute(attr::kUsageCostCurrency, cost.currency);
  span_.SetAttribute(attr::kUsageCostSource, value::kCostSourceLocal);
  KeyValue attributes[] = {{attr::kProviderName, provider_},
                           {attr::kRequestModel, model_},
                           {attr::kTokenClass, value::kTokenInput}};
  if (cost.total > 0) state_->instruments.cost.Add(cost.total, attributes);
}

// --- retrieval

RetrievalSpan Instrumentation::StartRetrieval(const RetrievalRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::string query_sha256;
  if (state_->hash_content && !request.query.empty()) {
    try {
      query_sha256 = Sha256Hex(request.query);
    } catch (...) {
    }
  }
  std::array<KeyValue, 6> attributes;
  std::size_t n = 0;
  attributes[n++] = {attr::kOperationName, op::kRetrieval};
  if (!request.data_source_id.empty())
    attributes[n++] = {attr::kDataSourceId, request.data_source_id};
  if (!request.db_system.empty()) attributes[n++] = {attr::kDbSystemName, request.db_system};
  if (request.top_k) attributes[n++] = {attr::kRetrievalTopK, *request.top_k};
  if (!query_sha256.empty()) attributes[n++] = {attr::kRetrievalQuerySha256, query_sha256};
  trace::Span span = state_->StartSpan(
      internal::OperationSpanName(op::kRetrieval, request.data_source_id),
      std::span<const KeyValue>(attributes.data(), n), trace::SpanKind::kClient, request.parent);
  return RetrievalSpan(state_, std::move(span), start);
}

void RetrievalSpan::AddDocument(std::string_view id, double score, std::string_view text) noexcept {
  if (state_ == nullptr || ended_) return;
  ++documents_;
  if (static_cast<std::size_t>(documents_) > kMaxDocumentEvents || !span_.IsRecording()) return;
  std::string preview;
  if (state_->capture_content() && !text.empty()) {
    try {
      preview = TruncateUtf8(state_->content_capture->Sanitize(text.substr(0, kPreviewLength * 4)),
                             kPreviewLength);
    } catch (...) {
    }
  }
  std::array<KeyValue, 4> attributes{{{attr::kDocumentId, id},
                                      {attr::kDocumentScore, score},
                                      {attr::kDocumentRank, documents_},
                                      {attr::kDocumentPreview, preview}}};
  span_.AddEvent(event::kRetrievalDocument, state_->clock->Now(),
                 std::span<const KeyValue>(attributes.data(), preview.empty() ? 3 : 4));
}

void RetrievalSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(op::kRetrieval)) return;
  span_.SetAttribute(attr::kRetrievalDocuments, documents_);
  span_.End();
}

// --- rerank

RerankSpan Instrumentation::StartRerank(const RerankRequest& request) const noexcept {
  const MonotonicTime start = state_->clock->MonotonicNow();
  std::array<KeyValue, 5> attributes;
  std::size_t n = 0;
  attributes[n++] = {attr::kOperationName, op::kRerank};
  if (!request.provider.empty()) attributes[n++] = {attr::kProviderName, request.provider};
  attributes[n++] = {attr::kRequestModel, request.model};
  attributes[n++] = {attr::kRerankInputDocuments, request.input_documents};
  if (request.top_n) attributes[n++] = {attr::kRerankTopN, *request.top_n};
  trace::Span span = state_->StartSpan(internal::OperationSpanName(op::kRerank, request.model),
                                       std::span<const KeyValue>(attributes.data(), n),
                                       trace::SpanKind::kClient, request.parent);
  return RerankSpan(state_, std::move(span), start);
}

void RerankSpan::AddResult(std::string_view id, double score) noexcept {
  if (state_ == nullptr || ended_) return;
  ++results_;
  if (static_cast<std::size_t>(results_) > RetrievalSpan::kMaxDocumentEvents) return;
  std::array<KeyValue, 3> attributes{
      {{attr::kDocumentId, id}, {attr::kDocumentScore, score}, {attr::kDocumentRank, results_}}};
  span_.AddEvent(event::kRetrievalDocument, state_->clock->Now(), attributes);
}

void RerankSpan::End() noexcept {
  if (state_ == nullptr || !MarkEnded(op::kRerank)) return;
  if (results_ > 0) span_.SetAttribute(attr::kRetrievalDocuments, results_);
  span_.End();
}

}  // namespace llmtrace::genai
