// AttributeValue: a non-owning view of an OpenTelemetry attribute value, and KeyValue.
//
// The OpenTelemetry attribute types: bool, int64, double, string, and homogeneous arrays of each.
// A view is cheap to pass (no allocation); whoever stores it copies the bytes into storage it
// owns (an Arena, see arena.h). Integers of any width become int64, and a string literal or
// std::string becomes a string, never a bool (the classic const char* -> bool trap).
// Thread-safety: a value type; the viewed bytes must outlive the view.
//
//   span.SetAttribute("gen_ai.request.max_tokens", 512);
//   span.SetAttribute("gen_ai.response.finish_reasons", {"stop"});
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace llmtrace {

class AttributeValue {
 public:
  // The order matches the alternatives of Storage.
  enum class Type : std::uint8_t {
    kBool,
    kInt,
    kDouble,
    kString,
    kBoolArray,
    kIntArray,
    kDoubleArray,
    kStringArray
  };
  using Storage = std::variant<bool, std::int64_t, double, std::string_view, std::span<const bool>,
                               std::span<const std::int64_t>, std::span<const double>,
                               std::span<const std::string_view>>;

  AttributeValue() noexcept : storage_(false) {}
  AttributeValue(bool v) noexcept : storage_(v) {}  // NOLINT: implicit by design
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) AttributeValue(T v)
  noexcept : storage_(static_cast<std::int64_t>(v)) {}                              // NOLINT
  AttributeValue(double v) noexcept : storage_(v) {}                                // NOLINT
  AttributeValue(float v) noexcept : storage_(static_cast<double>(v)) {}            // NOLINT
  AttributeValue(std::string_view v) noexcept : storage_(v) {}                      // NOLINT
  AttributeValue(const char* v) noexcept : storage_(std::string_view(v)) {}         // NOLINT
  AttributeValue(const std::string& v) noexcept : storage_(std::string_view(v)) {}  // NOLINT
  AttributeValue(std::span<const bool> v) noexcept : storage_(v) {}                 // NOLINT
  AttributeValue(std::span<const std::int64_t> v) noexcept : storage_(v) {}         // NOLINT
  AttributeValue(std::span<const double> v) noexcept : storage_(v) {}               // NOLINT
  AttributeValue(std::span<const std::string_view> v) noexcept : storage_(v) {}     // NOLINT
  // Any contiguous container of one of the element types (std::vector<double>, std::array...).
  template <std::ranges::contiguous_range R>
  requires(std::constructible_from<Storage, std::span<const std::ranges::range_value_t<R>>> &&
           !std::convertible_to<const R&, std::string_view>) AttributeValue(const R& values)
  noexcept  // NOLINT
      : storage_(std::span<const std::ranges::range_value_t<R>>(std::ranges::data(values),
                                                                std::ranges::size(values))) {}
  // A braced list of strings: {"stop", "length"}. The list lives until the end of the full
  // expression, which covers the usual `span.SetAttribute(key, {...})` form.
  AttributeValue(std::initializer_list<std::string_view> v) noexcept  // NOLINT
      : storage_(std::span<const std::string_view>(v.begin(), v.size())) {}

  Type type() const noexcept { return static_cast<Type>(storage_.index()); }
  const Storage& storage() const noexcept { return storage_; }

  bool AsBool() const noexcept { return std::get<bool>(storage_); }
  std::int64_t AsInt() const noexcept { return std::get<std::int64_t>(storage_); }
  double AsDouble() const noexcept { return std::get<double>(storage_); }
  std::string_view AsString() const noexcept { return std::get<std::string_view>(storage_); }
  std::span<const bool> AsBoolArray() const noexcept {
    return std::get<std::span<const bool>>(storage_);
  }
  std::span<const std::int64_t> AsIntArray() const noexcept {
    return std::get<std::span<const std::int64_t>>(storage_);
  }
  std::span<const double> AsDoubleArray() const noexcept {
    return std::get<std::span<const double>>(storage_);
  }
  std::span<const std::string_view> AsStringArray() const noexcept {
    return std::get<std::span<const std::string_view>>(storage_);
  }

  // Deep equality (array contents, string bytes); used by tests and de-duplication.
  friend bool operator==(const AttributeValue& a, const AttributeValue& b) noexcept;

  // A readable form for consoles and test failures: 42, 0.5, "text", ["a", "b"].
  std::string ToString() const;

 private:
  Storage storage_;
};

struct KeyValue {
  std::string_view key;
  AttributeValue value;
};

}  // namespace llmtrace
