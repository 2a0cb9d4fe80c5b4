// Reads a redaction rules file (JSON; schema in include/llmtrace/genai/redactor.h and
// docs/redaction.md) into RedactorOptions' shape. Errors name the file and the field.
#pragma once

#include <string>
#include <vector>

#include "llmtrace/common/status.h"
#include "llmtrace/genai/redactor.h"

namespace llmtrace::genai::internal {

struct RedactionRulesFile {
  std::vector<std::string> disabled_rules;
  std::vector<RedactionRule> rules;
};

Status ParseRedactionRulesFile(const std::string& path, RedactionRulesFile* out);

}  // namespace llmtrace::genai::internal
