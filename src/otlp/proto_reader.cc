#include "src/otlp/proto_reader.h"

namespace llmtrace::otlp::internal {

bool ProtoReader::Fail(std::string_view what) noexcept {
  if (error_.empty()) {
    try {
      error_.assign(what);
      error_ += " at byte ";
      error_ += std::to_string(pos_);
    } catch (...) {  // out of memory: an error must still be visible
      error_.clear();
    }
    if (error_.empty()) error_ = "malformed";  // short string: no allocation
  }
  pos_ = data_.size();  // stop every later read
  return false;
}

bool ProtoReader::Next(std::uint32_t& field, WireType& type) noexcept {
  if (!error_.empty() || pos_ >= data_.size()) return false;
  std::uint64_t tag;
  if (!ReadVarint(tag)) return false;
  const std::uint64_t number = tag >> 3;
  if (number == 0 || number > 0x1FFFFFFF) return Fail("invalid field number");
  switch (tag & 7) {
    case 0:
      type = WireType::kVarint;
      break;
    case 1:
      type = WireType::kFixed64;
      break;
    case 2:
      type = WireType::kLengthDelimited;
      break;
    case 5:
      type = WireType::kFixed32;
      break;
    default:
      return Fail("unsupported wire type (group or reserved)");
  }
  field = static_cast<std::uint32_t>(number);
  return true;
}

bool ProtoReader::ReadVarint(std::uint64_t& value) noexcept {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return Fail("truncated varint");
    const auto byte = static_cast<std::uint8_t>(data_[pos_++]);
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return Fail("varint longer than 10 bytes");
}

bool ProtoReader::ReadFixed32(std::uint32_t& value) noexcept {
  if (data_.size() - pos_ < 4) return Fail("truncated fixed32");
  value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(data_[pos_ + i])) << (8 * i);
  }
  pos_ += 4;
  return true;
}

bool ProtoReader::ReadFixed64(std::uint64_t& value) noexcept {
  if (data_.size() - pos_ < 8) return Fail("truncated fixed64");
  value = 0;
  for (int i = 0; i < 8; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(data_[pos_ + i])) << (8 * i);
  }
  pos_ += 8;
  return true;
}

bool ProtoReader::ReadLengthDelimited(std::string_view& value) noexcept {
  std::uint64_t length;
  if (!ReadVarint(length)) return false;
  if (length > data_.size() - pos_) return Fail("length-delimited field runs past the end");
  value = data_.substr(pos_, static_cast<std::size_t>(length));
  pos_ += static_cast<std::size_t>(length);
  return true;
}

bool ProtoReader::Skip(WireType type) noexcept {
  switch (type) {
    case WireType::kVarint: {
      std::uint64_t ignored;
      return ReadVarint(ignored);
    }
    case WireType::kFixed64: {
      std::uint64_t ignored;
      return ReadFixed64(ignored);
    }
    case WireType::kLengthDelimited: {
      std::string_view ignored;
      return ReadLengthDelimited(ignored);
    }
    case WireType::kFixed32: {
      std::uint32_t ignored;
      return ReadFixed32(ignored);
    }
  }
  return Fail("unsupported wire type");
}

}  // namespace llmtrace::otlp::internal
