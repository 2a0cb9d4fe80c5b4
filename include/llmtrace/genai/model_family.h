// Model family resolution: from the model name a provider reports ("gpt-4o-2024-08-06",
// "openai/gpt-4o", "claude-3-5-sonnet-v2@20241022") to the names a price list is keyed by
// ("gpt-4o", "claude-3-5-sonnet").
//
// Only version-like suffixes are removed, never words: "-latest", "-20241022", "-2024-08-06",
// "-05-20", "-0613"/"-2411" (4 digits), "-001" (3 digits), Bedrock's "-v2:0" and everything after
// Vertex's "@". So "gpt-4o-mini" never becomes "gpt-4o" and "gpt-4o-audio-preview" never becomes
// "gpt-4o". The pricing catalog (pricing_catalog.h) tries the candidates in order and takes the
// first it knows, which makes the least-stripped (longest) match win. Stateless and thread-safe.
//
//   StripVersionSuffix("claude-sonnet-4-20250514") == "claude-sonnet-4"
//   ModelFamily("openai/gpt-4o-2024-08-06") == "gpt-4o"
//   ModelNameCandidates("openai/gpt-4o-2024-08-06")  // {"openai/gpt-4o-2024-08-06",
//       "gpt-4o-2024-08-06", "openai/gpt-4o", "gpt-4o"}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmtrace::genai {

// The name without its last version-like suffix, or nullopt when it ends in none.
std::optional<std::string_view> StripVersionSuffix(std::string_view model) noexcept;

// The name without a routing prefix: everything up to the last '/' ("openai/", "models/",
// "vertex_ai/"), then a Bedrock vendor prefix with its optional region ("us.anthropic.").
std::string_view StripProviderPrefix(std::string_view model) noexcept;

// The prefix-free name with every version suffix removed.
std::string_view ModelFamily(std::string_view model) noexcept;

// Every name to look the model up by, most specific first: at each number of removed suffixes,
// the name as given, then its ASCII-lowercase form, then both without the provider prefix.
// Contains no duplicates; the first element is `model` itself.
std::vector<std::string> ModelNameCandidates(std::string_view model);

}  // namespace llmtrace::genai
