// UTF-8 validation and repair for the OTLP encoders.
//
// Protobuf `string` fields and JSON text must be valid UTF-8: a strict receiver (golang/protobuf,
// any JSON parser) rejects the whole request otherwise, so one bad attribute would lose a batch.
// The encoders therefore replace each maximal ill-formed subsequence with U+FFFD, the
// substitution the Unicode standard (section 3.9) and the WHATWG encoding spec recommend.
// Valid text, the usual case, is scanned eight ASCII bytes at a time and copied unchanged.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace llmtrace::otlp::internal {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence starting at `p` (1 to 4), or, when the bytes there are
// ill-formed, minus the length of the maximal subpart to replace (-1 to -3). Requires p < end.
int Utf8SequenceLength(const unsigned char* p, const unsigned char* end) noexcept;

// Returns s.size() when `s` is valid UTF-8, else the offset of the first ill-formed byte.
std::size_t ValidUtf8Prefix(std::string_view s) noexcept;

// Byte size of `s` after AppendSanitizedUtf8.
std::size_t SanitizedUtf8Size(std::string_view s) noexcept;

// Writes `s` at `out` (room for SanitizedUtf8Size(s) bytes) with every maximal ill-formed
// subsequence replaced by U+FFFD; returns the end of what it wrote.
char* WriteSanitizedUtf8(std::string_view s, char* out) noexcept;
// The same, appended to a string.
void AppendSanitizedUtf8(std::string_view s, std::string& out);

}  // namespace llmtrace::otlp::internal
