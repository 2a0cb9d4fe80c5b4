// Small string helpers shared by every layer: trimming, case-insensitive compare, splitting,
// hex, percent-decoding and number formatting. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace llmtrace {

// Trims spaces, tabs and CR/LF (configuration values, header values as received).
std::string_view TrimWhitespace(std::string_view s) noexcept;
// Trims only spaces and tabs: the OWS of HTTP and the W3C headers, where CR/LF are not space.
std::string_view TrimOws(std::string_view s) noexcept;
bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept;
std::string ToLowerAscii(std::string_view s);
// Splits on `separator`; keeps empty pieces (callers decide what an empty piece means).
std::vector<std::string_view> Split(std::string_view s, char separator);

// Lower-case hex of `bytes` into `out` (2 * bytes.size() chars).
void HexEncode(std::span<const std::uint8_t> bytes, char* out) noexcept;
std::string HexEncode(std::span<const std::uint8_t> bytes);
// Decodes exactly 2 * out.size() lower- or upper-case hex digits; false on any other character.
bool HexDecode(std::string_view hex, std::span<std::uint8_t> out) noexcept;

// Decodes %XX escapes; nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s);

// Shortest decimal form that reads back as the same double ("0.25", "1e-09").
std::string FormatDouble(double value);

}  // namespace llmtrace
