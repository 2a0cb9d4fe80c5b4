#include "llmtrace/genai/model_family.h"

#include <algorithm>
#include <array>

namespace llmtrace::genai {
namespace {

bool IsDigits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Two digits between `low` and `high` inclusive ("05" as a month, "31" as a day).
bool IsTwoDigitNumberIn(std::string_view s, int low, int high) noexcept {
  if (s.size() != 2 || !IsDigits(s)) return false;
  const int value = (s[0] - '0') * 10 + (s[1] - '0');
  return value >= low && value <= high;
}

// The last '-'-separated segment of `s` (all of `s` when there is no '-').
std::string_view LastSegment(std::string_view s) noexcept {
  const std::size_t dash = s.rfind('-');
  return dash == std::string_view::npos ? s : s.substr(dash + 1);
}

// `s` without its last segment and the dash before it; empty when there is no dash.
std::string_view DropLastSegment(std::string_view s) noexcept {
  const std::size_t dash = s.rfind('-');
  return dash == std::string_view::npos ? std::string_view() : s.substr(0, dash);
}

// "-20241022": a compact date (8 digits starting with 20).
bool IsCompactDate(std::string_view segment) noexcept {
  return segment.size() == 8 && IsDigits(segment) && segment.substr(0, 2) == "20";
}

// Bedrock's model version: "v2:0".
bool IsBedrockVersion(std::string_view segment) noexcept {
  const std::size_t colon = segment.find(':');
  return segment.size() >= 4 && segment[0] == 'v' && colon != std::string_view::npos &&
         IsDigits(segment.substr(1, colon - 1)) && IsDigits(segment.substr(colon + 1));
}

// The rest after `prefix`, or nullopt when `s` does not start with it.
std::optional<std::string_view> AfterPrefix(std::string_view s, std::string_view prefix) noexcept {
  if (s.substr(0, prefix.size()) != prefix) return std::nullopt;
  return s.substr(prefix.size());
}

std::string AsciiLower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

std::optional<std::string_view> StripVersionSuffix(std::string_view model) noexcept {
  // Vertex AI: "claude-3-5-sonnet-v2@20241022", "gemini-1.5-pro@002".
  if (const std::size_t at = model.rfind('@'); at != std::string_view::npos && at > 0) {
    return model.substr(0, at);
  }
  const std::string_view rest = DropLastSegment(model);
  if (rest.empty()) return std::nullopt;
  const std::string_view last = LastSegment(model);
  if (last == "latest" || IsCompactDate(last) || IsBedrockVersion(last)) return rest;
  if (IsDigits(last) && (last.size() == 3 || last.size() == 4)) return rest;  // -001, -0613, -2411
  // "-2024-08-06" (a whole date) or "-05-20" (month and day, as Gemini previews are dated).
  if (IsTwoDigitNumberIn(last, 1, 31)) {
    const std::string_view month = LastSegment(rest);
    const std::string_view before_month = DropLastSegment(rest);
    if (!IsTwoDigitNumberIn(month, 1, 12) || before_month.empty()) return std::nullopt;
    const std::string_view year = LastSegment(before_month);
    if (year.size() == 4 && IsDigits(year) && year.substr(0, 2) == "20") {
      const std::string_view before_year = DropLastSegment(before_month);
      if (!before_year.empty()) return before_year;
    }
    return before_month;
  }
  return std::nullopt;
}

std::string_view StripProviderPrefix(std::string_view model) noexcept {
  if (const std::size_t slash = model.rfind('/');
      slash != std::string_view::npos && slash + 1 < model.size()) {
    model = model.substr(slash + 1);
  }
  // Bedrock: "anthropic.claude-3-5-sonnet-20241022-v2:0", "us.anthropic.claude-...".
  static constexpr std::array<std::string_view, 4> kRegions = {"us.", "eu.", "apac.", "global."};
  static constexpr std::array<std::string_view, 3> kVendors = {"anthropic.", "mistral.",
                                                               "deepseek."};
  std::string_view without_region = model;
  for (std::string_view region : kRegions) {
    if (auto rest = AfterPrefix(model, region)) without_region = *rest;
  }
  for (std::string_view vendor : kVendors) {
    if (auto rest = AfterPrefix(without_region, vendor); rest && !rest->empty()) return *rest;
  }
  return model;
}

std::string_view ModelFamily(std::string_view model) noexcept {
  std::string_view family = StripProviderPrefix(model);
  while (auto shorter = StripVersionSuffix(family)) family = *shorter;
  return family;
}

std::vector<std::string> ModelNameCandidates(std::string_view model) {
  const std::string lower = AsciiLower(model);
  // Each chain starts at one spelling of the name and walks down its version suffixes.
  std::array<std::optional<std::string_view>, 4> chains = {
      model, std::string_view(lower), StripProviderPrefix(model),
      StripProviderPrefix(std::string_view(lower))};
  std::vector<std::string> candidates;
  bool any = true;
  while (any) {
    any = false;
    for (auto& chain : chains) {
      if (!chain) continue;
      any = true;
      if (std::find(candidates.begin(), candidates.end(), *chain) == candidates.end()) {
        candidates.emplace_back(*chain);
      }
      chain = StripVersionSuffix(*chain);
    }
  }
  return candidates;
}

}  // namespace llmtrace::genai
