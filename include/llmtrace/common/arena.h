// Arena: a bump allocator that owns the bytes behind AttributeValue views.
//
// Spans copy every string and array they record into their own arena. Reset() keeps the blocks
// (up to a retention cap), so a recycled span records its next attributes without touching
// malloc. Copying a value can truncate strings to a length limit (OTel attribute value length
// limit), at a UTF-8 character boundary.
// Thread-safety: none; an arena belongs to one owner at a time.
//
//   Arena arena;
//   AttributeValue stored = arena.Copy(AttributeValue("gpt-4o"), Arena::kNoLimit);
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "llmtrace/common/attribute_value.h"

namespace llmtrace {

// The longest prefix of `s` of at most `max_length` bytes that does not split a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, std::size_t max_length) noexcept;

class Arena {
 public:
  static constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);

  explicit Arena(std::size_t block_size = 1024, std::size_t retained_bytes = 64 * 1024)
      : block_size_(block_size), retained_bytes_(retained_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  // A moved-from arena is empty (its cursor must not point into the blocks it gave away).
  Arena(Arena&& other) noexcept { *this = std::move(other); }
  Arena& operator=(Arena&& other) noexcept {
    if (this != &other) {
      block_size_ = other.block_size_;
      retained_bytes_ = other.retained_bytes_;
      blocks_ = std::move(other.blocks_);
      current_ = std::exchange(other.current_, 0);
      cursor_ = std::exchange(other.cursor_, nullptr);
      end_ = std::exchange(other.end_, nullptr);
      capacity_ = std::exchange(other.capacity_, 0);
      other.blocks_.clear();
    }
    return *this;
  }

  // Uninitialised memory, aligned to `align` (a power of two no larger than 16).
  void* Allocate(std::size_t size, std::size_t align) {
    auto offset =
        static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(cursor_) & (align - 1));
    if (offset + size <= static_cast<std::size_t>(end_ - cursor_)) {
      std::byte* p = cursor_ + offset;
      cursor_ = p + size;
      return p;
    }
    return AllocateSlow(size, align);
  }
  // Unaligned bytes (for strings): the hot path of span recording, kept inline.
  char* AllocateBytes(std::size_t size) {
    if (size <= static_cast<std::size_t>(end_ - cursor_)) {
      std::byte* p = cursor_;
      cursor_ += size;
      return reinterpret_cast<char*>(p);
    }
    return static_cast<char*>(AllocateSlow(size, 1));
  }

  std::string_view CopyString(std::string_view s, std::size_t max_length = kNoLimit) {
    if (s.size() > max_length) s = TruncateUtf8(s, max_length);
    if (s.empty()) return {};
    char* out = AllocateBytes(s.size());
    std::memcpy(out, s.data(), s.size());
    return {out, s.size()};
  }
  // Copies the viewed bytes of `value`; strings (also inside arrays) are cut to max_length.
  AttributeValue Copy(const AttributeValue& value, std::size_t max_length = kNoLimit);

  // Forgets every allocation; keeps blocks up to the retention cap for reuse.
  void Reset() noexcept;

  // Bytes held in blocks (for memory accounting).
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  void* AllocateSlow(std::size_t size, std::size_t align);

  struct Block {
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
  };

  std::size_t block_size_;
  std::size_t retained_bytes_;
  std::vector<Block> blocks_;
  std::size_t current_ = 0;      // index of the block being filled
  std::byte* cursor_ = nullptr;  // next free byte in blocks_[current_]
  std::byte* end_ = nullptr;     // end of blocks_[current_]
  std::size_t capacity_ = 0;
};

}  // namespace llmtrace
