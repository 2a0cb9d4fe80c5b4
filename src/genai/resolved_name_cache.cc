#include "src/genai/resolved_name_cache.h"

namespace llmtrace::genai::internal {
namespace {

std::size_t SlotCountFor(std::size_t max_entries) noexcept {
  std::size_t slots = 8;
  while (slots < 2 * max_entries) slots *= 2;
  return slots;
}

}  // namespace

ResolvedNameCache::ResolvedNameCache(std::size_t max_entries)
    : max_entries_(max_entries),
      mask_(SlotCountFor(max_entries) - 1),
      slots_(new std::atomic<Node*>[mask_ + 1]) {
  for (std::size_t i = 0; i <= mask_; ++i) slots_[i].store(nullptr, std::memory_order_relaxed);
}

ResolvedNameCache::~ResolvedNameCache() {
  for (std::size_t i = 0; i <= mask_; ++i) delete slots_[i].load(std::memory_order_relaxed);
}

std::optional<const ModelPrice*> ResolvedNameCache::Lookup(std::string_view name) const noexcept {
  const std::size_t hash = Hash(name);
  // At most half the slots are full, so the probe always reaches an empty slot.
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Node* node = slots_[i].load(std::memory_order_acquire);
    if (node == nullptr) return std::nullopt;
    if (node->hash == hash && node->name == name) return node->price;
  }
}

ResolvedNameCache::InsertResult ResolvedNameCache::Insert(std::string_view name,
                                                          const ModelPrice* price) {
  const std::size_t hash = Hash(name);
  std::unique_ptr<Node> fresh;
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Node* node = slots_[i].load(std::memory_order_acquire);
    if (node == nullptr) {
      if (!fresh) {
        // Claim room before publishing, so the table never passes max_entries_.
        if (size_.fetch_add(1, std::memory_order_relaxed) >= max_entries_) {
          size_.fetch_sub(1, std::memory_order_relaxed);
          return InsertResult::kFull;
        }
        try {
          fresh.reset(new Node{hash, std::string(name), price});
        } catch (...) {
          size_.fetch_sub(1, std::memory_order_relaxed);
          throw;
        }
      }
      if (slots_[i].compare_exchange_strong(node, fresh.get(), std::memory_order_acq_rel,
                                            std::memory_order_acquire)) {
        fresh.release();
        return InsertResult::kInserted;
      }
      // Another thread took the slot first; `node` now holds what it wrote.
    }
    if (node->hash == hash && node->name == name) {
      if (fresh) size_.fetch_sub(1, std::memory_order_relaxed);
      return InsertResult::kAlreadyPresent;
    }
  }
}

}  // namespace llmtrace::genai::internal
