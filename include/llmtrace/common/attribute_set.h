// AttributeSet: an owning, insertion-ordered set of attributes with unique keys.
//
// Used where attributes are kept beyond one call: resources, instrumentation scopes, log
// records, recorded spans in tests. Setting an existing key replaces its value in place, as the
// OpenTelemetry spec requires. Limits (count and value length) are applied on insert, and keys
// refused by the count limit are counted in dropped().
// Thread-safety: none; copy it to share.
//
//   AttributeSet attrs;
//   attrs.Set("service.name", "checkout");
//   if (const AttributeValue* v = attrs.Find("service.name")) ...
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "llmtrace/common/arena.h"
#include "llmtrace/common/attribute_value.h"

namespace llmtrace {

struct AttributeLimits {
  std::size_t max_count = 128;                     // OTEL_ATTRIBUTE_COUNT_LIMIT
  std::size_t max_value_length = Arena::kNoLimit;  // OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT
};

class AttributeSet {
 public:
  AttributeSet() : AttributeSet(AttributeLimits{}) {}
  explicit AttributeSet(AttributeLimits limits) : limits_(limits), arena_(256) {}
  AttributeSet(std::initializer_list<KeyValue> attributes, AttributeLimits limits = {});
  AttributeSet(const AttributeSet& other);
  AttributeSet& operator=(const AttributeSet& other);
  AttributeSet(AttributeSet&&) noexcept = default;
  AttributeSet& operator=(AttributeSet&&) noexcept = default;
  static_assert(std::is_nothrow_move_assignable_v<Arena>, "copy-assignment relies on it");

  // Inserts or replaces. Returns false (and counts a drop) when a new key exceeds the count limit.
  bool Set(std::string_view key, const AttributeValue& value);
  const AttributeValue* Find(std::string_view key) const noexcept;

  std::span<const KeyValue> entries() const noexcept { return entries_; }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  std::uint32_t dropped() const noexcept { return dropped_; }

 private:
  AttributeLimits limits_;
  Arena arena_;
  std::vector<KeyValue> entries_;
  std::uint32_t dropped_ = 0;
};

}  // namespace llmtrace
