#include "src/genai/inference_series_cache.h"

#include <array>
#include <atomic>
#include <charconv>
#include <cstring>

namespace llmtrace::genai::internal {
namespace {

// Keys and values joined with separators that cannot appear in either (ASCII unit and record
// separators), each value tagged with its type so the string "443" and the integer 443 differ.
// Built without allocating once the thread's key buffer has grown: this runs on every call.
void AppendKey(std::string& key, std::span<const KeyValue> attributes) {
  for (const KeyValue& kv : attributes) {
    key.append(kv.key);
    key.push_back('\x1f');
    const AttributeValue& value = kv.value;
    switch (value.type()) {
      case AttributeValue::Type::kString:
        key.push_back('s');
        key.append(value.AsString());
        break;
      case AttributeValue::Type::kInt: {
        key.push_back('i');
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value.AsInt()).ptr;
        key.append(digits, end);
        break;
      }
      case AttributeValue::Type::kBool:
        key.push_back(value.AsBool() ? 'T' : 'F');
        break;
      case AttributeValue::Type::kDouble: {
        key.push_back('d');
        char bytes[sizeof(double)];
        const double number = value.AsDouble();
        std::memcpy(bytes, &number, sizeof number);
        key.append(bytes, sizeof bytes);
        break;
      }
      default:  // arrays: never among the call attributes, but keep them distinct anyway
        key.push_back('a');
        key.append(value.ToString());
        break;
    }
    key.push_back('\x1e');
  }
}

std::uint64_t NextCacheId() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// The last series this thread resolved, and for which cache: an application thread usually
// makes call after call with the same model, so most lookups end here without the mutex. Keyed
// by the cache's id, never its address, so a cache destroyed and another allocated at the same
// address cannot hand out the old series.
struct LastHit {
  std::uint64_t cache_id = 0;
  std::string key;
  std::shared_ptr<const InferenceSeries> series;
};

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

InferenceSeriesCache::InferenceSeriesCache() noexcept : id_(NextCacheId()) {}

std::shared_ptr<const InferenceSeries> InferenceSeriesCache::Get(
    const GenAiInstruments& instruments, SemconvFlavour flavour,
    std::span<const KeyValue> common) const noexcept {
  if (!instruments.calls.enabled()) return nullptr;
  try {
    thread_local std::string key;
    thread_local LastHit last;
    key.clear();
    AppendKey(key, common);
    if (last.cache_id == id_ && last.key == key) return last.series;
    std::shared_ptr<const InferenceSeries> series;
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(key);
      if (it != entries_.end()) {
        series = it->second;
      } else {
        if (entries_.size() >= kMaxEntries) return nullptr;
        series = Bind(instruments, flavour, common);
        entries_.emplace(key, series);
      }
    }
    last.cache_id = id_;
    last.key = key;
    last.series = series;
    return series;
  } catch (...) {  // out of memory: record unbound
    return nullptr;
  }
}

}  // namespace llmtrace::genai::internal
