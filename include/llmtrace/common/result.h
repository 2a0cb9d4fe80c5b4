// Result<T>: a value or the Status that explains why there is none.
//
// The surface follows std::expected<T, Status> (C++23), so code can move to it later:
// ok()/has_value(), value(), operator*, operator->, status(). Accessing the value of an error
// Result is a programming error and aborts with the status in the message.
//
//   Result<Sampler> s = SamplerFromEnvironment(env);
//   if (!s.ok()) return s.status().WithContext("tracer provider");
#pragma once

#include <cstdio>
#include <cstdlib>
#include <utility>
#include <variant>

#include "llmtrace/common/status.h"

namespace llmtrace {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    if (std::get<1>(state_).ok()) {
      state_.template emplace<1>(StatusCode::kInternal, "Result built from an OK status");
    }
  }

  bool ok() const noexcept { return state_.index() == 0; }
  bool has_value() const noexcept { return ok(); }
  explicit operator bool() const noexcept { return ok(); }

  // The error; Status::Ok() when there is a value.
  Status status() const { return ok() ? Status::Ok() : std::get<1>(state_); }

  T& value() & { return CheckedValue(); }
  const T& value() const& { return const_cast<Result*>(this)->CheckedValue(); }
  T&& value() && { return std::move(CheckedValue()); }
  T& operator*() & { return CheckedValue(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(CheckedValue()); }
  T* operator->() { return &CheckedValue(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  T& CheckedValue() {
    if (!ok()) {
      std::fprintf(stderr, "llmtrace: value() of an error Result: %s\n",
                   std::get<1>(state_).ToString().c_str());
      std::abort();
    }
    return std::get<0>(state_);
  }

  std::variant<T, Status> state_;
};

}  // namespace llmtrace
