#include "llmtrace/genai/error_type.h"

namespace llmtrace::genai {

std::optional<ErrorType> ErrorTypeFromString(std::string_view value) noexcept {
  for (int i = 0; i < kErrorTypeCount; ++i) {
    const auto type = static_cast<ErrorType>(i);
    if (ToString(type) == value) return type;
  }
  return std::nullopt;
}

}  // namespace llmtrace::genai
