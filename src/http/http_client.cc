#include "llmtrace/http/http_client.h"

#include "llmtrace/common/strings.h"

namespace llmtrace::http {

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const noexcept {
  for (const auto& [header_name, value] : headers) {
    if (EqualsIgnoreCase(header_name, name)) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace llmtrace::http
