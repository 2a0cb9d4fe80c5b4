#include "llmtrace/metrics/view.h"

#include <cctype>
#include <cmath>
#include <string>

#include "src/metrics/view_util.h"

namespace llmtrace::metrics {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Glob match with * and ?, case-insensitive (instrument names are).
bool GlobMatch(std::string_view pattern, std::string_view text) noexcept {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || Lower(pattern[p]) == Lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

namespace internal {

Status ValidateBoundaries(std::span<const double> boundaries) {
  for (std::size_t i = 0; i < boundaries.size(); ++i) {
    if (!std::isfinite(boundaries[i])) {
      return InvalidArgumentError("bucket boundary " + std::to_string(i) + " is not finite");
    }
    if (i > 0 && !(boundaries[i - 1] < boundaries[i])) {
      return InvalidArgumentError("bucket boundaries must be strictly increasing (boundary " +
                                  std::to_string(i) + ")");
    }
  }
  return Status::Ok();
}

}  // namespace internal

Status ValidateView(const View& view) {
  const std::string& pattern = view.selector.name;
  const bool wildcard = pattern.find_first_of("*?") != std::string::npos;
  if (!view.name.empty() && wildcard) {
    return InvalidArgumentError("view for '" + pattern +
                                "': a rename needs a selector naming one instrument (no wildcard)");
  }
  if (view.bucket_boundaries) {
    Status s = internal::ValidateBoundaries(*view.bucket_boundaries);
    if (!s.ok()) return s.WithContext("view for '" + pattern + "'");
  }
  if (view.cardinality_limit && *view.cardinality_limit < 2) {
    return InvalidArgumentError("view for '" + pattern + "': cardinality_limit must be at least 2");
  }
  return Status::Ok();
}

bool SelectorMatches(const InstrumentSelector& selector, const InstrumentDescriptor& descriptor,
                     std::string_view meter_name) noexcept {
  if (selector.kind && *selector.kind != descriptor.kind) return false;
  if (!selector.meter_name.empty() && selector.meter_name != meter_name) return false;
  return GlobMatch(selector.name, descriptor.name);
}

}  // namespace llmtrace::metrics
