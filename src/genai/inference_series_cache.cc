#include "src/genai/inference_series_cache.h"

#include <array>

namespace llmtrace::genai::internal {
namespace {

// Keys and values joined with separators that cannot appear in either (ASCII unit and record
// separators), so different attribute sets never share a key.
void AppendKey(std::string& key, std::span<const KeyValue> attributes) {
  for (const KeyValue& kv : attributes) {
    key.append(kv.key);
    key.push_back('\x1f');
    if (kv.value.type() == AttributeValue::Type::kString) {
      key.append(kv.value.AsString());
    } else {
      key.append(kv.value.ToString());
    }
    key.push_back('\x1e');
  }
}

std::shared_ptr<const InferenceSeries> Bind(const GenAiInstruments& m, SemconvFlavour flavour,
                                            std::span<const KeyValue> common) {
  auto series = std::make_shared<InferenceSeries>();
  std::array<KeyValue, 12> extended;
  std::size_t n = 0;
  for (const KeyValue& kv : common) {
    if (n + 1 < extended.size()) extended[n++] = kv;
  }
  const auto with = [&](std::string_view key, std::string_view value) {
    extended[n] = KeyValue{key, value};
    return metrics::Attributes(extended.data(), n + 1);
  };
  series->operation_duration = m.operation_duration.Bind(common);
  series->inference_duration = m.inference_duration.Bind(common);
  series->calls = m.calls.Bind(common);
  if (EmitsV141(flavour)) {
    series->input_token_usage = m.token_usage.Bind(with(attr::kTokenType, value::kTokenInput));
    series->output_token_usage = m.token_usage.Bind(with(attr::kTokenType, value::kTokenOutput));
  }
  if (EmitsLatest(flavour)) {
    const metrics::Attributes text = with(attr::kTokenModality, value::kModalityText);
    series->usage_input_tokens = m.usage_input_tokens.Bind(text);
    series->usage_output_tokens = m.usage_output_tokens.Bind(text);
    series->operation_input_tokens = m.operation_input_tokens.Bind(common);
    series->operation_output_tokens = m.operation_output_tokens.Bind(common);
  }
  return series;
}

}  // namespace

std::shared_ptr<const InferenceSeries> InferenceSeriesCache::Get(
    const GenAiInstruments& instruments, SemconvFlavour flavour,
    std::span<const KeyValue> common) const noexcept {
  if (!instruments.calls.enabled()) return nullptr;
  try {
    thread_local std::string key;
    key.clear();
    AppendKey(key, common);
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
    if (entries_.size() >= kMaxEntries) return nullptr;
    auto series = Bind(instruments, flavour, common);
    entries_.emplace(key, series);
    return series;
  } catch (...) {  // out of memory: record unbound
    return nullptr;
  }
}

}  // namespace llmtrace::genai::internal
