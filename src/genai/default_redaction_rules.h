// The default redaction rules, in priority order (earlier wins a tie between overlapping
// matches of equal start and length). Documented in docs/redaction.md.
#pragma once

#include <vector>

#include "src/genai/redaction_engine.h"

namespace llmtrace::genai::internal {

std::vector<EngineRule> DefaultRedactionRules();

}  // namespace llmtrace::genai::internal
