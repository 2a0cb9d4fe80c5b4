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
#include <memory>
#include <string_view>
#include <vector>

#include "llmtrace/common/attribute_value.h"

namespace llmtrace {

class Arena {
 public:
  static constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);

  explicit Arena(std::size_t block_size = 1024, std::size_t retained_bytes = 64 * 1024)
      : block_size_(block_size), retained_bytes_(retained_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  // Uninitialised memory, aligned to `align` (a power of two no larger than 16).
  void* Allocate(std::size_t size, std::size_t align);

  std::string_view CopyString(std::string_view s, std::size_t max_length = kNoLimit);
  // Copies the viewed bytes of `value`; strings (also inside arrays) are cut to max_length.
  AttributeValue Copy(const AttributeValue& value, std::size_t max_length = kNoLimit);

  // Forgets every allocation; keeps blocks up to the retention cap for reuse.
  void Reset() noexcept;

  // Bytes held in blocks (for memory accounting).
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Block {
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
  };

  std::size_t block_size_;
  std::size_t retained_bytes_;
  std::vector<Block> blocks_;
  std::size_t current_ = 0;  // index of the block being filled
  std::size_t used_ = 0;     // bytes used in blocks_[current_]
  std::size_t capacity_ = 0;
};

// The longest prefix of `s` of at most `max_length` bytes that does not split a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view s, std::size_t max_length) noexcept;

}  // namespace llmtrace
