#include "src/otlp/proto_writer.h"

#include <algorithm>

#include "src/otlp/utf8.h"

namespace llmtrace::otlp::internal {

void ProtoWriter::Grow(std::size_t size) {
  // Use the capacity the string already has, else double: amortized O(1) per byte written.
  out_.resize(std::max({pos_ + size, out_.capacity(), 2 * out_.size(), std::size_t{256}}));
}

void ProtoWriter::StringField(std::uint32_t field, std::string_view value) {
  const bool valid = ValidUtf8Prefix(value) == value.size();
  const std::size_t size = valid ? value.size() : SanitizedUtf8Size(value);
  char* p = Reserve(15 + size);
  p = EncodeVarint(MakeTag(field, WireType::kLengthDelimited), p);
  p = EncodeVarint(size, p);
  if (valid) {
    if (size != 0) std::memcpy(p, value.data(), size);  // data() may be null when empty
    Commit(p + size);
  } else {
    Commit(WriteSanitizedUtf8(value, p));
  }
}

void ProtoWriter::EndMessage(MessageMark mark) {
  const std::size_t body_pos = mark.length_pos + mark.reserved;
  const std::size_t body_size = pos_ - body_pos;
  const std::size_t needed = VarintSize(body_size);
  if (needed > mark.reserved) {
    Reserve(needed - mark.reserved);
    char* data = out_.data();
    std::memmove(data + mark.length_pos + needed, data + body_pos, body_size);
    pos_ += needed - mark.reserved;
  } else if (needed < mark.reserved) {
    char* data = out_.data();
    std::memmove(data + mark.length_pos + needed, data + body_pos, body_size);
    pos_ -= mark.reserved - needed;
  }
  EncodeVarint(body_size, out_.data() + mark.length_pos);
}

}  // namespace llmtrace::otlp::internal
