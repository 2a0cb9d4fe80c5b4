// The span helpers of a RAG pipeline's retrieval half: embeddings, retrieval (vector search)
// and rerank. Each is an OperationSpan (see operation_span.h): RAII, explicit End(), SetError.
//
//   EmbeddingsSpan embed = genai->StartEmbeddings({.provider = "openai",
//                                                  .model = "text-embedding-3-large"});
//   embed.SetInputTokens(23); embed.End();
//   RetrievalSpan search = genai->StartRetrieval({.data_source_id = "docs", .db_system =
//   "pgvector",
//                                                 .query = question, .top_k = 10});
//   for (auto& hit : hits) search.AddDocument(hit.id, hit.score, hit.text);
//   search.End();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "llmtrace/genai/operation_span.h"

namespace llmtrace::genai {

struct EmbeddingsRequest {
  std::string_view provider;
  std::string_view model;
  std::string_view server_address;
  std::int64_t server_port = 0;
  std::optional<std::int64_t> dimension_count;
  std::string_view encoding_format;  // float | base64
  const trace::Context* parent = nullptr;
};

class EmbeddingsSpan : public OperationSpan {
 public:
  EmbeddingsSpan() noexcept = default;
  EmbeddingsSpan(EmbeddingsSpan&&) noexcept = default;
  EmbeddingsSpan& operator=(EmbeddingsSpan&&) = delete;  // end it, then start another
  ~EmbeddingsSpan() { End(); }

  void SetInputTokens(std::int64_t tokens) noexcept { input_tokens_ = tokens; }
  void SetResponseModel(std::string_view model) noexcept;
  void End() noexcept;

 private:
  friend class Instrumentation;
  EmbeddingsSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                 MonotonicTime start, const EmbeddingsRequest& request) noexcept;
  void RecordCost() noexcept;
  std::string provider_;
  std::string model_;
  std::string response_model_;
  std::optional<std::int64_t> input_tokens_;
};

struct RetrievalRequest {
  std::string_view data_source_id;  // gen_ai.data_source.id: the index or collection
  std::string_view db_system;       // db.system.name, e.g. "pgvector", "qdrant"
  std::string_view query;           // hashed (never recorded as text)
  std::optional<std::int64_t> top_k;
  const trace::Context* parent = nullptr;
};

class RetrievalSpan : public OperationSpan {
 public:
  // Results recorded as events; more are counted but not recorded.
  static constexpr std::size_t kMaxDocumentEvents = 10;
  // Previews (only when content capture is on) are redacted and cut to this many bytes.
  static constexpr std::size_t kPreviewLength = 100;

  RetrievalSpan() noexcept = default;
  RetrievalSpan(RetrievalSpan&&) noexcept = default;
  RetrievalSpan& operator=(RetrievalSpan&&) = delete;  // end it, then start another
  ~RetrievalSpan() { End(); }

  // One result, in rank order: an llmtrace.retrieval.document event with id, score and rank,
  // plus a redacted preview of `text` when content capture is on.
  void AddDocument(std::string_view id, double score, std::string_view text = {}) noexcept;
  std::int64_t documents() const noexcept { return documents_; }
  void End() noexcept;

 private:
  friend class Instrumentation;
  RetrievalSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
                MonotonicTime start) noexcept
      : OperationSpan(std::move(state), std::move(span), start) {}
  std::int64_t documents_ = 0;
};

struct RerankRequest {
  std::string_view provider;  // e.g. "cohere"
  std::string_view model;     // e.g. "rerank-v3.5"
  std::int64_t input_documents = 0;
  std::optional<std::int64_t> top_n;
  const trace::Context* parent = nullptr;
};

// Rerank has no convention yet: a CLIENT span `rerank {model}` with gen_ai.operation.name =
// rerank (documented as an llmtrace extension).
class RerankSpan : public OperationSpan {
 public:
  RerankSpan() noexcept = default;
  RerankSpan(RerankSpan&&) noexcept = default;
  RerankSpan& operator=(RerankSpan&&) = delete;  // end it, then start another
  ~RerankSpan() { End(); }

  // One reranked result, in rank order (an llmtrace.retrieval.document event).
  void AddResult(std::string_view id, double score) noexcept;
  void End() noexcept;

 private:
  friend class Instrumentation;
  RerankSpan(std::shared_ptr<const internal::InstrumentationState> state, trace::Span span,
             MonotonicTime start) noexcept
      : OperationSpan(std::move(state), std::move(span), start) {}
  std::int64_t results_ = 0;
};

}  // namespace llmtrace::genai
