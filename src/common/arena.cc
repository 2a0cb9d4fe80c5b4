#include "llmtrace/common/arena.h"

#include <algorithm>
#include <cstring>

namespace llmtrace {

std::string_view TruncateUtf8(std::string_view s, std::size_t max_length) noexcept {
  if (s.size() <= max_length) return s;
  std::size_t cut = max_length;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character start.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

void* Arena::AllocateSlow(std::size_t size, std::size_t align) {
  // Move on to the next retained block that fits, else add one.
  while (current_ + 1 < blocks_.size()) {
    ++current_;
    cursor_ = blocks_[current_].data.get();
    end_ = cursor_ + blocks_[current_].size;
    auto offset =
        static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(cursor_) & (align - 1));
    if (offset + size <= static_cast<std::size_t>(end_ - cursor_)) {
      std::byte* p = cursor_ + offset;
      cursor_ = p + size;
      return p;
    }
  }
  std::size_t block_bytes = std::max(block_size_, size + align);
  // for_overwrite: no zero-filling of memory that is about to be written. operator new[] memory
  // is aligned for any fundamental type, so the block start needs no adjustment.
  blocks_.push_back(Block{std::make_unique_for_overwrite<std::byte[]>(block_bytes), block_bytes});
  capacity_ += block_bytes;
  current_ = blocks_.size() - 1;
  cursor_ = blocks_[current_].data.get() + size;
  end_ = blocks_[current_].data.get() + block_bytes;
  return blocks_[current_].data.get();
}

namespace {

template <typename T>
std::span<const T> CopyTrivialArray(Arena& arena, std::span<const T> values) {
  if (values.empty()) return {};
  T* out = static_cast<T*>(arena.Allocate(values.size_bytes(), alignof(T)));
  std::memcpy(out, values.data(), values.size_bytes());
  return {out, values.size()};
}

}  // namespace

AttributeValue Arena::Copy(const AttributeValue& value, std::size_t max_length) {
  switch (value.type()) {
    case AttributeValue::Type::kBool:
    case AttributeValue::Type::kInt:
    case AttributeValue::Type::kDouble:
      return value;
    case AttributeValue::Type::kString:
      return AttributeValue(CopyString(value.AsString(), max_length));
    case AttributeValue::Type::kBoolArray:
      return AttributeValue(CopyTrivialArray(*this, value.AsBoolArray()));
    case AttributeValue::Type::kIntArray:
      return AttributeValue(CopyTrivialArray(*this, value.AsIntArray()));
    case AttributeValue::Type::kDoubleArray:
      return AttributeValue(CopyTrivialArray(*this, value.AsDoubleArray()));
    case AttributeValue::Type::kStringArray: {
      std::span<const std::string_view> in = value.AsStringArray();
      if (in.empty()) return AttributeValue(std::span<const std::string_view>());
      auto* out = static_cast<std::string_view*>(
          Allocate(in.size() * sizeof(std::string_view), alignof(std::string_view)));
      for (std::size_t i = 0; i < in.size(); ++i) {
        new (&out[i]) std::string_view(CopyString(in[i], max_length));
      }
      return AttributeValue(std::span<const std::string_view>(out, in.size()));
    }
  }
  return value;
}

void Arena::Reset() noexcept {
  // Keep the first blocks up to the retention cap; a span that once carried a 1 MiB prompt
  // does not pin that memory forever.
  std::size_t kept = 0;
  std::size_t keep_count = 0;
  while (keep_count < blocks_.size() && kept + blocks_[keep_count].size <= retained_bytes_) {
    kept += blocks_[keep_count].size;
    ++keep_count;
  }
  for (std::size_t i = keep_count; i < blocks_.size(); ++i) capacity_ -= blocks_[i].size;
  blocks_.resize(keep_count);
  current_ = 0;
  cursor_ = blocks_.empty() ? nullptr : blocks_[0].data.get();
  end_ = blocks_.empty() ? nullptr : cursor_ + blocks_[0].size;
}

}  // namespace llmtrace
