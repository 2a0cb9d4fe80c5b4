#include "llmtrace/genai/grounding_evaluator.h"

#include <array>
#include <cctype>
#include <string>
#include <unordered_set>
#include <vector>

namespace llmtrace::genai {
namespace {

constexpr std::array<std::string_view, 64> kStopWords = {
    "a",    "an",    "the",    "and",  "or",    "but",   "if",    "of",   "to",   "in",   "on",
    "at",   "by",    "for",    "with", "from",  "as",    "is",    "are",  "was",  "were", "be",
    "been", "it",    "its",    "this", "that",  "these", "those", "you",  "your", "we",   "our",
    "they", "their", "he",     "she",  "his",   "her",   "i",     "me",   "my",   "can",  "could",
    "will", "would", "should", "may",  "might", "do",    "does",  "did",  "not",  "no",   "so",
    "than", "then",  "there",  "here", "have",  "has",   "had",   "also", "which"};

bool IsStopWord(std::string_view word) {
  for (std::string_view stop : kStopWords) {
    if (stop == word) return true;
  }
  return false;
}

// Bytes of UTF-8 sequences count as letters, so words in other scripts are kept whole.
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80;
}

bool HasDigit(std::string_view word) {
  for (char c : word) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

// "returns", "returned", "returning" -> "return": enough to match inflections in English.
std::string Stem(std::string word) {
  if (HasDigit(word) || word.size() < 5) return word;
  for (std::string_view suffix : {"ing", "ed", "es", "s"}) {
    if (word.size() > suffix.size() + 3 && word.ends_with(suffix)) {
      word.resize(word.size() - suffix.size());
      break;
    }
  }
  return word;
}

struct Word {
  std::string stem;       // lower-cased, stemmed
  bool entity = false;    // a number, or capitalised not at the sentence start
  std::string_view text;  // as written
};

// The words of `text`; sentence_start says whether text begins a sentence.
std::vector<Word> Words(std::string_view text) {
  std::vector<Word> words;
  bool first = true;
  for (std::size_t i = 0; i < text.size();) {
    if (!IsWordByte(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    // Numbers keep their decimal point and thousands separators: "3.5", "1,200".
    while (end < text.size() &&
           (IsWordByte(text[end]) ||
            ((text[end] == '.' || text[end] == ',') && end + 1 < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[end + 1])) && end > i &&
             std::isdigit(static_cast<unsigned char>(text[end - 1]))))) {
      ++end;
    }
    const std::string_view raw = text.substr(i, end - i);
    Word word;
    word.text = raw;
    std::string lower;
    for (char c : raw) {
      if (c != ',') lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    word.entity =
        HasDigit(raw) || (!first && std::isupper(static_cast<unsigned char>(raw.front())));
    word.stem = Stem(std::move(lower));
    words.push_back(std::move(word));
    first = false;
    i = end;
  }
  return words;
}

// Sentences: split after . ! ? or a line break (a '.' between digits is a decimal point).
std::vector<std::string_view> Sentences(std::string_view text) {
  std::vector<std::string_view> sentences;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool decimal = c == '.' && i > 0 && i + 1 < text.size() &&
                         std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                         std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if ((c == '.' || c == '!' || c == '?' || c == '\n') && !decimal) {
      if (i > start) sentences.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (start < text.size()) sentences.push_back(text.substr(start));
  return sentences;
}

}  // namespace

Result<EvaluationResult> GroundingEvaluator::Evaluate(const EvaluationInput& input) noexcept {
  try {
    std::unordered_set<std::string> context_words;
    std::unordered_set<std::string> context_pairs;
    std::string previous;
    for (const Word& word : Words(input.context)) {
      context_words.insert(word.stem);
      if (IsStopWord(word.stem)) continue;  // pairs are of content words, as in statements
      if (!previous.empty()) context_pairs.insert(previous + ' ' + word.stem);
      previous = word.stem;
    }
    int judged = 0;
    int supported = 0;
    std::string missing_entities;
    for (std::string_view sentence : Sentences(input.answer)) {
      std::vector<std::string> content;
      bool entities_found = true;
      for (const Word& word : Words(sentence)) {
        if (word.entity && !IsStopWord(word.stem) && !context_words.contains(word.stem)) {
          entities_found = false;
          if (missing_entities.size() < 120) {
            missing_entities += (missing_entities.empty() ? "" : ", ") + std::string(word.text);
          }
        }
        if (!IsStopWord(word.stem) && (word.stem.size() >= 2 || HasDigit(word.stem))) {
          content.push_back(word.stem);
        }
      }
      if (content.size() < 3) continue;  // too short to judge
      ++judged;
      int found = 0;
      int checked = 0;
      for (std::size_t i = 0; i < content.size(); ++i) {
        found += context_words.contains(content[i]) ? 1 : 0;
        ++checked;
        if (i + 1 < content.size()) {
          found += context_pairs.contains(content[i] + ' ' + content[i + 1]) ? 1 : 0;
          ++checked;
        }
      }
      const double support = static_cast<double>(found) / static_cast<double>(checked);
      if (entities_found && support >= options_.min_support) ++supported;
    }
    EvaluationResult result;
    result.name = "grounding";
    result.score = judged == 0 ? 1.0 : static_cast<double>(supported) / judged;
    result.hallucinated = supported < judged;
    result.label = result.hallucinated ? "hallucinated" : "supported";
    result.explanation = std::to_string(judged - supported) + " of " + std::to_string(judged) +
                         " statements not supported by the context";
    if (!missing_entities.empty()) {
      result.explanation += "; not in the context: " + missing_entities;
    }
    return result;
  } catch (...) {  // out of memory
    return ResourceExhaustedError("grounding check: out of memory");
  }
}

}  // namespace llmtrace::genai
