// MutateString: small random edits of a string, for the parsers' "garbage never crashes" tests.
// Each edit replaces, inserts (a character from `alphabet` with probability alphabet_percent,
// else any byte) or erases up to max_erase bytes at a random position. Deterministic for a seed.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <string_view>

namespace llmtrace::testing {

struct MutationOptions {
  int max_edits = 4;
  int alphabet_percent = 50;
  std::size_t max_erase = 8;
};

inline std::string MutateString(std::string s, std::mt19937& rng, std::string_view alphabet,
                                const MutationOptions& options = {}) {
  int edits = 1 + static_cast<int>(rng() % static_cast<unsigned>(options.max_edits));
  for (int e = 0; e < edits; ++e) {
    std::size_t pos = s.empty() ? 0 : rng() % s.size();
    bool from_alphabet = static_cast<int>(rng() % 100) < options.alphabet_percent;
    char c = from_alphabet ? alphabet[rng() % alphabet.size()] : static_cast<char>(rng() % 256);
    switch (rng() % 3) {
      case 0:
        if (!s.empty()) s[pos] = c;
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), c);
        break;
      default:
        if (!s.empty()) s.erase(pos, 1 + rng() % options.max_erase);
    }
  }
  return s;
}

}  // namespace llmtrace::testing
