#include "llmtrace/genai/alert.h"

#include <cstdint>

namespace llmtrace::genai {

std::string_view AlertSeverityName(AlertSeverity severity) noexcept {
  switch (severity) {
    case AlertSeverity::kInfo:
      return "info";
    case AlertSeverity::kWarning:
      return "warning";
    case AlertSeverity::kCritical:
      return "critical";
  }
  return "warning";
}

std::string_view AlertStateName(AlertState state) noexcept {
  return state == AlertState::kFiring ? "firing" : "resolved";
}

std::string AlertFingerprint(std::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& labels) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&hash](std::string_view text) {
    for (unsigned char c : text) {
      hash ^= c;
      hash *= 0x100000001b3ULL;
    }
    hash ^= 0xff;  // a separator no UTF-8 text contains, so "ab"+"c" differs from "a"+"bc"
    hash *= 0x100000001b3ULL;
  };
  mix(name);
  for (const auto& [key, value] : labels) {
    mix(key);
    mix(value);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[hash & 0xF];
    hash >>= 4;
  }
  return out;
}

}  // namespace llmtrace::genai
