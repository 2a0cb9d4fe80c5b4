#include "src/metrics/attribute_hash.h"

#include <algorithm>
#include <string>
#include <vector>

namespace llmtrace::metrics::internal {

bool SameAttributesUnordered(std::span<const KeyValue> input, std::span<const KeyValue> stored,
                             std::size_t from) noexcept {
  for (std::size_t i = from; i < stored.size(); ++i) {
    const KeyValue* found = nullptr;
    for (const KeyValue& kv : input) {
      if (kv.key == stored[i].key) {
        found = &kv;
        break;
      }
    }
    if (found == nullptr || !ValueEquals(found->value, stored[i].value)) return false;
  }
  return true;
}

AttributeSet CanonicalAttributes(std::span<const KeyValue> attributes) {
  std::vector<const KeyValue*> order;
  order.reserve(attributes.size());
  // The last value of a repeated key wins: keep the last occurrence of each key.
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    bool repeated_later = false;
    for (std::size_t j = i + 1; j < attributes.size(); ++j) {
      if (attributes[j].key == attributes[i].key) {
        repeated_later = true;
        break;
      }
    }
    if (!repeated_later) order.push_back(&attributes[i]);
  }
  std::sort(order.begin(), order.end(),
            [](const KeyValue* a, const KeyValue* b) { return a->key < b->key; });
  AttributeSet out(AttributeLimits{.max_count = order.size() + 1});
  for (const KeyValue* kv : order) out.Set(kv->key, kv->value);
  return out;
}

std::string AttributesKey(const AttributeSet& canonical) {
  std::string key;
  for (const KeyValue& kv : canonical.entries()) {
    key += kv.key;
    key += '\x1f';
    key += static_cast<char>('0' + static_cast<int>(kv.value.type()));
    key += kv.value.ToString();
    key += '\x1e';
  }
  return key;
}

}  // namespace llmtrace::metrics::internal
