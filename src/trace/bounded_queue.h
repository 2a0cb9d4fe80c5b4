// A bounded lock-free queue of pointers: many producers, one consumer.
//
// The cell-sequence design of Dmitry Vyukov's bounded MPMC queue: each cell carries a sequence
// number that tells producers whether it is free and the consumer whether it is filled, so a push
// is one CAS on the shared tail plus a release store, and never blocks. Push fails when full.
// Capacity is rounded up to a power of two.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace llmtrace::trace::internal {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t min_capacity)
      : capacity_(std::bit_ceil(std::max<std::size_t>(min_capacity, 2))),
        mask_(capacity_ - 1),
        cells_(std::make_unique<Cell[]>(capacity_)) {
    for (std::size_t i = 0; i < capacity_; ++i)
      cells_[i].sequence.store(i, std::memory_order_relaxed);
  }

  // False when the queue is full. On success returns through `position` the item's index in the
  // stream of pushes, from which the caller can tell how many items are queued.
  bool TryPush(T* item, std::uint64_t* position = nullptr) noexcept {
    std::uint64_t pos = tail_.load(std::memory_order_relaxed);
    Cell* cell;
    while (true) {
      cell = &cells_[pos & mask_];
      std::uint64_t seq = cell->sequence.load(std::memory_order_acquire);
      auto diff = static_cast<std::int64_t>(seq - pos);
      if (diff == 0) {
        // seq_cst: a producer that pushes and then reads its consumer's "waiting" flag relies on
        // this ordering (on x86 the locked CAS is a full barrier either way, at no extra cost).
        if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_seq_cst,
                                        std::memory_order_relaxed)) {
          break;
        }
      } else if (diff < 0) {
        return false;  // the cell still holds an item from one lap ago: full
      } else {
        pos = tail_.load(std::memory_order_relaxed);
      }
    }
    cell->item = item;
    cell->sequence.store(pos + 1, std::memory_order_release);
    if (position != nullptr) *position = pos;
    return true;
  }

  // Only the single consumer may call this. Null when empty (or the next item is not yet
  // published by its producer).
  T* TryPop() noexcept {
    std::uint64_t pos = head_.load(std::memory_order_relaxed);
    Cell& cell = cells_[pos & mask_];
    std::uint64_t seq = cell.sequence.load(std::memory_order_acquire);
    if (static_cast<std::int64_t>(seq - (pos + 1)) < 0) return nullptr;
    T* item = cell.item;
    cell.sequence.store(pos + capacity_, std::memory_order_release);
    head_.store(pos + 1, std::memory_order_release);
    return item;
  }

  // Consumer only: whether at least `n` (<= capacity) items are ready to pop. It reads the one
  // cell that the n-th item occupies, not the producers' tail, so a consumer polling it does not
  // pull the tail's cache line away from producers on every push.
  bool HasAtLeast(std::size_t n) const noexcept {
    if (n == 0) return true;
    std::uint64_t target = head_.load(std::memory_order_relaxed) + n - 1;
    return cells_[target & mask_].sequence.load(std::memory_order_acquire) == target + 1;
  }

  // Items pushed minus items popped (a snapshot).
  std::size_t size() const noexcept {
    std::uint64_t head = head_.load(std::memory_order_acquire);
    std::uint64_t tail = tail_.load(std::memory_order_acquire);
    return tail > head ? static_cast<std::size_t>(tail - head) : 0;
  }
  std::uint64_t pushed() const noexcept { return tail_.load(std::memory_order_acquire); }
  std::uint64_t popped() const noexcept { return head_.load(std::memory_order_acquire); }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Cell {
    std::atomic<std::uint64_t> sequence;
    T* item = nullptr;
  };

  const std::size_t capacity_;
  const std::uint64_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<std::uint64_t> tail_{0};  // producers
  alignas(64) std::atomic<std::uint64_t> head_{0};  // the consumer
};

}  // namespace llmtrace::trace::internal
