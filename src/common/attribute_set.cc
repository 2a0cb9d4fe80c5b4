#include "llmtrace/common/attribute_set.h"

namespace llmtrace {

AttributeSet::AttributeSet(std::initializer_list<KeyValue> attributes, AttributeLimits limits)
    : AttributeSet(limits) {
  for (const KeyValue& kv : attributes) Set(kv.key, kv.value);
}

AttributeSet::AttributeSet(const AttributeSet& other) : AttributeSet(other.limits_) {
  entries_.reserve(other.entries_.size());
  for (const KeyValue& kv : other.entries_) Set(kv.key, kv.value);
  dropped_ = other.dropped_;
}

AttributeSet& AttributeSet::operator=(const AttributeSet& other) {
  if (this != &other) *this = AttributeSet(other);
  return *this;
}

bool AttributeSet::Set(std::string_view key, const AttributeValue& value) {
  for (KeyValue& kv : entries_) {
    if (kv.key == key) {
      // The old bytes stay in the arena until the set is destroyed; replacing is rare.
      kv.value = arena_.Copy(value, limits_.max_value_length);
      return true;
    }
  }
  if (entries_.size() >= limits_.max_count) {
    ++dropped_;
    return false;
  }
  entries_.push_back(
      KeyValue{arena_.CopyString(key), arena_.Copy(value, limits_.max_value_length)});
  return true;
}

const AttributeValue* AttributeSet::Find(std::string_view key) const noexcept {
  for (const KeyValue& kv : entries_) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

}  // namespace llmtrace
