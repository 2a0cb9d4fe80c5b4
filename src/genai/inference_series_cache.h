// InferenceSeriesCache: every metric series of an inference call bound once per distinct set of
// call attributes (operation, provider, models, server, error type).
//
// An LLM application makes many calls with few attribute combinations (a handful of models), so
// resolving the ~10 series of a call one attribute lookup at a time repeats the same hashing
// ten times per call. The cache turns that into one lookup of a short key. It is bounded: past
// kMaxEntries distinct sets, Get returns null and callers record through the instruments
// directly (where the metrics layer's cardinality cap and overflow series apply as usual).
// Thread-safety: Get may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "llmtrace/common/attribute_value.h"
#include "llmtrace/genai/semconv.h"
#include "src/genai/genai_instruments.h"

namespace llmtrace::genai::internal {

// A series bound on first use. Binding creates the series, and a created series is exported even
// if nothing is ever recorded into it; a call that never streams must not leave a zero-count
// time-to-first-chunk histogram behind, nor an unpriced model a zero cost.
template <typename Bound>
class LazySeries {
 public:
  template <typename BindFunction>
  const Bound& Get(BindFunction&& bind) const noexcept {
    std::call_once(once_, [&] { bound_ = bind(); });
    return bound_;
  }

 private:
  mutable std::once_flag once_;
  mutable Bound bound_;
};

struct InferenceSeries {
  metrics::BoundHistogram<double> operation_duration;
  metrics::BoundHistogram<double> inference_duration;
  LazySeries<metrics::BoundHistogram<double>> time_to_first_chunk;
  LazySeries<metrics::BoundHistogram<double>> inference_time_to_first_chunk;
  metrics::BoundSum<std::int64_t> calls;
  metrics::BoundHistogram<std::int64_t> input_token_usage;   // v1.41, gen_ai.token.type=input
  metrics::BoundHistogram<std::int64_t> output_token_usage;  // v1.41, gen_ai.token.type=output
  metrics::BoundSum<std::int64_t> usage_input_tokens;        // latest, modality text
  metrics::BoundSum<std::int64_t> usage_output_tokens;
  LazySeries<metrics::BoundSum<std::int64_t>> usage_cache_read_input_tokens;
  LazySeries<metrics::BoundSum<std::int64_t>> usage_cache_write_input_tokens;
  LazySeries<metrics::BoundSum<std::int64_t>> usage_reasoning_output_tokens;
  metrics::BoundHistogram<std::int64_t> operation_input_tokens;
  metrics::BoundHistogram<std::int64_t> operation_output_tokens;
  // llmtrace.genai.cost by provider, request model and token class (CostAttributes).
  LazySeries<metrics::BoundSum<double>> cost_input;
  LazySeries<metrics::BoundSum<double>> cost_cache_read;
  LazySeries<metrics::BoundSum<double>> cost_cache_write;
  LazySeries<metrics::BoundSum<double>> cost_output;
  LazySeries<metrics::BoundSum<double>> cost_reasoning;
};

class InferenceSeriesCache {
 public:
  static constexpr std::size_t kMaxEntries = 1024;

  InferenceSeriesCache() noexcept;

  // The bound series for `common` (the call's common metric attributes, provider and request
  // model among them), or null when the cache is full or there are no instruments.
  std::shared_ptr<const InferenceSeries> Get(const GenAiInstruments& instruments,
                                             SemconvFlavour flavour,
                                             std::span<const KeyValue> common) const noexcept;

 private:
  const std::uint64_t id_;  // process-unique, for the per-thread last-hit slot
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const InferenceSeries>> entries_;
};

}  // namespace llmtrace::genai::internal
