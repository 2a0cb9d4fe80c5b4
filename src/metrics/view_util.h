// Checks shared by views and instrument advice.
#pragma once

#include <span>

#include "llmtrace/common/status.h"

namespace llmtrace::metrics::internal {

// OK for finite, strictly increasing boundaries (an empty list is valid: one bucket).
Status ValidateBoundaries(std::span<const double> boundaries);

}  // namespace llmtrace::metrics::internal
