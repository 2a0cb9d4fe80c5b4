#include "llmtrace/genai/hallucination_judge.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "llmtrace/common/strings.h"

namespace llmtrace::genai {
namespace {

constexpr std::string_view kVerdictKeys[] = {"is_hallucination", "isHallucination", "hallucination",
                                             "is_hallucinated"};

std::optional<bool> BoolFromText(std::string_view text) {
  const std::string lower = ToLowerAscii(TrimWhitespace(text));
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return std::nullopt;
}

// "0.9", "90%", " 0.9 " -> 0.9 (clamped to [0, 1]).
std::optional<double> ShareFromText(std::string_view text) {
  text = TrimWhitespace(text);
  bool percent = false;
  if (!text.empty() && text.back() == '%') {
    percent = true;
    text.remove_suffix(1);
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || !std::isfinite(value)) return std::nullopt;
  if (percent || value > 1) value /= 100;  // "90" on a 0-100 scale
  return std::clamp(value, 0.0, 1.0);
}

std::optional<bool> BoolOf(simdjson::dom::element value) {
  bool b = false;
  if (value.get_bool().get(b) == simdjson::SUCCESS) return b;
  std::int64_t i = 0;
  if (value.get_int64().get(i) == simdjson::SUCCESS && (i == 0 || i == 1)) return i == 1;
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) return BoolFromText(s);
  return std::nullopt;
}

std::optional<double> ShareOf(simdjson::dom::element value) {
  double d = 0;
  if (value.get_double().get(d) == simdjson::SUCCESS && std::isfinite(d)) {
    return std::clamp(d > 1 ? d / 100 : d, 0.0, 1.0);
  }
  std::string_view s;
  if (value.get_string().get(s) == simdjson::SUCCESS) return ShareFromText(s);
  return std::nullopt;
}

// The end (one past the matching '}') of the JSON object starting at `open`, or npos when the
// reply ends first. Braces inside strings do not count.
std::size_t ObjectEnd(std::string_view text, std::size_t open) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::optional<JudgeVerdict> FromObject(simdjson::dom::object object) {
  std::optional<bool> verdict;
  for (std::string_view key : kVerdictKeys) {
    simdjson::dom::element value;
    if (object[key].get(value) == simdjson::SUCCESS) {
      verdict = BoolOf(value);
      if (verdict) break;
    }
  }
  if (!verdict) return std::nullopt;
  JudgeVerdict out;
  out.is_hallucination = *verdict;
  out.confidence = 0.5;
  simdjson::dom::element value;
  if (object["confidence"].get(value) == simdjson::SUCCESS) {
    if (auto share = ShareOf(value)) out.confidence = *share;
  }
  std::string_view reason;
  if (object["reason"].get_string().get(reason) == simdjson::SUCCESS) out.reason = reason;
  return out;
}

// The text after `key` and the separators of a "key": value pair, or npos.
std::size_t ValueStart(std::string_view lower_text, std::string_view key) {
  std::size_t at = lower_text.find(key);
  if (at == std::string_view::npos) return at;
  at += key.size();
  while (at < lower_text.size() &&
         (lower_text[at] == '"' || lower_text[at] == '\'' || lower_text[at] == ':' ||
          lower_text[at] == '=' || std::isspace(static_cast<unsigned char>(lower_text[at])))) {
    ++at;
  }
  return at;
}

std::string_view Token(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '.' || text[end] == '%')) {
    ++end;
  }
  return text.substr(at, end - at);
}

// For replies with no readable object: a cut-off one, or "is_hallucination: true" in prose.
std::optional<JudgeVerdict> FromText(std::string_view reply) {
  const std::string lower = ToLowerAscii(reply);
  std::optional<bool> verdict;
  for (std::string_view key : {"is_hallucination", "ishallucination", "is_hallucinated"}) {
    const std::size_t at = ValueStart(lower, key);
    if (at == std::string_view::npos) continue;
    verdict = BoolFromText(Token(lower, at));
    if (verdict) break;
  }
  if (!verdict) return std::nullopt;
  JudgeVerdict out;
  out.is_hallucination = *verdict;
  out.confidence = 0.5;
  if (const std::size_t at = ValueStart(lower, "confidence"); at != std::string_view::npos) {
    if (auto share = ShareFromText(Token(lower, at))) out.confidence = *share;
  }
  if (const std::size_t at = ValueStart(lower, "reason"); at != std::string_view::npos) {
    std::size_t end = reply.find('"', at);
    out.reason = std::string(reply.substr(at, end == std::string_view::npos ? end : end - at));
  }
  return out;
}

}  // namespace

Result<JudgeVerdict> ParseJudgeReply(std::string_view reply) {
  simdjson::dom::parser parser;
  for (std::size_t open = reply.find('{'); open != std::string_view::npos;
       open = reply.find('{', open + 1)) {
    const std::size_t end = ObjectEnd(reply, open);
    if (end == std::string_view::npos) break;  // cut off: the text reader may still manage
    simdjson::dom::object object;
    const simdjson::padded_string json(reply.substr(open, end - open));
    if (parser.parse(json).get_object().get(object) != simdjson::SUCCESS) continue;
    if (auto verdict = FromObject(object)) return *verdict;
  }
  if (auto verdict = FromText(reply)) return *verdict;
  std::string start(reply.substr(0, 80));
  for (char& c : start) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return InvalidArgumentError(
      "hallucination judge: no is_hallucination verdict in the reply (it starts: \"" + start +
      (reply.size() > 80 ? "...\")" : "\")"));
}

std::string HallucinationJudgePrompt(std::string_view context, std::string_view answer) {
  std::string prompt =
      "Determine if the following answer is based on the given context. If the answer contains "
      "information not present in the context, flag it as hallucination.\n\nContext:\n";
  prompt.append(context);
  prompt.append("\n\nAnswer:\n");
  prompt.append(answer);
  prompt.append(
      "\n\nReturn in JSON format: {\"is_hallucination\": true/false, \"confidence\": 0.0-1.0, "
      "\"reason\": \"...\"}");
  return prompt;
}

Result<EvaluationResult> LlmJudgeEvaluator::Evaluate(const EvaluationInput& input) noexcept {
  try {
    if (!judge_) return FailedPreconditionError("hallucination judge: no judge model given");
    Result<std::string> reply = judge_(HallucinationJudgePrompt(input.context, input.answer));
    if (!reply.ok()) return reply.status().WithContext("hallucination judge");
    Result<JudgeVerdict> verdict = ParseJudgeReply(*reply);
    if (!verdict.ok()) return verdict.status();
    EvaluationResult result;
    result.name = "hallucination";
    result.hallucinated = verdict->is_hallucination;
    result.score = verdict->is_hallucination ? verdict->confidence : 1 - verdict->confidence;
    result.label = verdict->is_hallucination ? "hallucinated" : "supported";
    result.explanation = std::move(verdict->reason);
    return result;
  } catch (const std::exception& e) {  // from the judge callback, or out of memory
    return InternalError(std::string("hallucination judge: ") + e.what());
  } catch (...) {
    return InternalError("hallucination judge: the judge model threw");
  }
}

}  // namespace llmtrace::genai
