// ResolvedNameCache: the pricing catalog's memory of names it has resolved through their family
// ("gpt-4o-2024-08-06" -> the gpt-4o entry) or found unknown (nullptr), so the next lookup of
// the same name costs one hash and one string compare.
//
// An insert-only open-addressing table of atomic pointers to immutable nodes: readers never
// lock and never allocate; writers claim an empty slot with a compare-and-swap. The table never
// grows (at most max_entries, with at least half the slots empty) and frees its nodes only when
// destroyed, so a reader can never see a node go away. Safe for any number of threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace llmtrace::genai {
struct ModelPrice;
}

namespace llmtrace::genai::internal {

class ResolvedNameCache {
 public:
  explicit ResolvedNameCache(std::size_t max_entries);
  ~ResolvedNameCache();
  ResolvedNameCache(const ResolvedNameCache&) = delete;
  ResolvedNameCache& operator=(const ResolvedNameCache&) = delete;

  // The cached resolution (which may be nullptr: known to be unknown), or nullopt if not cached.
  std::optional<const ModelPrice*> Lookup(std::string_view name) const noexcept;

  enum class InsertResult { kInserted, kAlreadyPresent, kFull };
  // Throws std::bad_alloc only.
  InsertResult Insert(std::string_view name, const ModelPrice* price);

  std::size_t size() const noexcept { return size_.load(std::memory_order_relaxed); }

 private:
  struct Node {
    std::size_t hash;
    std::string name;
    const ModelPrice* price;
  };
  static std::size_t Hash(std::string_view name) noexcept {
    return std::hash<std::string_view>()(name);
  }

  const std::size_t max_entries_;
  const std::size_t mask_;  // slot count - 1; the slot count is a power of two
  std::unique_ptr<std::atomic<Node*>[]> slots_;
  std::atomic<std::size_t> size_{0};
};

}  // namespace llmtrace::genai::internal
