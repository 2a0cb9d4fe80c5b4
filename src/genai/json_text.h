// Writing JSON text by hand for the few documents the genai layer builds (captured messages in
// the conventions' schema). Strings are escaped per RFC 8259; bytes that are not valid UTF-8
// become U+FFFD so the document is always valid JSON whatever the model returned.
#pragma once

#include <string>
#include <string_view>

namespace llmtrace::genai::internal {

// Appends `text` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace llmtrace::genai::internal
