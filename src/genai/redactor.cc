#include "llmtrace/genai/redactor.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "src/genai/default_redaction_rules.h"
#include "src/genai/redaction_engine.h"
#include "src/genai/redaction_rules_file.h"

namespace llmtrace::genai {
namespace {

using internal::EngineRule;

Status AddUserRule(const RedactionRule& rule, const std::string& origin,
                   std::vector<EngineRule>* rules) {
  const std::string where = origin + ": redaction rule '" + rule.name + "'";
  if (rule.name.empty()) return InvalidArgumentError(origin + ": a redaction rule has no name");
  if (rule.pattern.empty()) return InvalidArgumentError(where + ": empty pattern");
  if (rule.placeholder.empty()) return InvalidArgumentError(where + ": empty placeholder");
  const std::optional<internal::Validator> validator = internal::ValidatorFromName(rule.validator);
  if (!validator) {
    return InvalidArgumentError(where + ": unknown validator '" + rule.validator + "'");
  }
  const bool duplicate = std::any_of(rules->begin(), rules->end(),
                                     [&](const EngineRule& r) { return r.name == rule.name; });
  if (duplicate) return InvalidArgumentError(where + ": a rule with this name already exists");
  rules->push_back(EngineRule{rule.name, rule.pattern, rule.placeholder, *validator, rule.caseless,
                              internal::kShortMatchBound, internal::TriggerKind::kSelf});
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Redactor>> Redactor::Create(const RedactorOptions& options) {
  std::vector<EngineRule> rules;
  if (options.default_rules) rules = internal::DefaultRedactionRules();

  std::vector<std::string> disabled = options.disabled_rules;
  if (!options.rules_file.empty()) {
    internal::RedactionRulesFile file;
    Status status = internal::ParseRedactionRulesFile(options.rules_file, &file);
    if (!status.ok()) return status;
    for (const RedactionRule& rule : file.rules) {
      status = AddUserRule(rule, "redaction rules file " + options.rules_file, &rules);
      if (!status.ok()) return status;
    }
    disabled.insert(disabled.end(), file.disabled_rules.begin(), file.disabled_rules.end());
  }
  for (const RedactionRule& rule : options.extra_rules) {
    Status status = AddUserRule(rule, "RedactorOptions.extra_rules", &rules);
    if (!status.ok()) return status;
  }
  for (const std::string& name : disabled) {
    const auto removed =
        std::erase_if(rules, [&](const EngineRule& rule) { return rule.name == name; });
    // A misspelt name would silently leave a rule on (or off): say so.
    if (removed == 0) {
      return InvalidArgumentError("disabled redaction rule '" + name + "': no rule has this name");
    }
  }

  Result<std::shared_ptr<const internal::RedactionEngine>> engine =
      internal::RedactionEngine::Compile(std::move(rules));
  if (!engine.ok()) return engine.status();
  return std::shared_ptr<const Redactor>(std::make_shared<Redactor>(std::move(*engine)));
}

std::vector<RedactionRule> Redactor::DefaultRules() {
  std::vector<RedactionRule> rules;
  for (const EngineRule& rule : internal::DefaultRedactionRules()) {
    rules.push_back(RedactionRule{rule.name, rule.pattern, rule.placeholder,
                                  std::string(internal::ValidatorName(rule.validator)),
                                  rule.caseless});
  }
  return rules;
}

Redactor::Redactor(std::shared_ptr<const internal::RedactionEngine> engine)
    : engine_(std::move(engine)) {}

std::size_t Redactor::rule_count() const noexcept { return engine_->rules().size(); }

namespace {

// False if the text could not be scanned.
bool DecideAll(const internal::RedactionEngine& engine, std::string_view text,
               std::vector<internal::Decision>* decisions) {
  std::vector<internal::Candidate> candidates;
  if (!engine.Scan(text, &candidates)) return false;
  if (candidates.empty()) return true;
  std::uint64_t cursor = 0;
  engine.Decide(&candidates, text, 0, UINT64_MAX, &cursor, decisions);
  return true;
}

}  // namespace

std::string Redactor::Redact(std::string_view text) const {
  std::vector<internal::Decision> decisions;
  if (!DecideAll(*engine_, text, &decisions)) {
    return std::string(internal::kRedactionFailedPlaceholder);  // fail closed
  }
  if (decisions.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  engine_->AppendRedacted(text, 0, 0, text.size(), decisions, &out);
  return out;
}

std::vector<RedactionMatch> Redactor::FindMatches(std::string_view text) const {
  std::vector<RedactionMatch> matches;
  std::vector<internal::Decision> decisions;
  if (!DecideAll(*engine_, text, &decisions)) {
    // Fail closed, as Redact does: the whole text is one match.
    return {RedactionMatch{"", internal::kRedactionFailedPlaceholder, 0, text.size()}};
  }
  for (const internal::Decision& decision : decisions) {
    const EngineRule& rule = engine_->rules()[decision.rule];
    matches.push_back(RedactionMatch{rule.name, rule.placeholder, decision.redact_begin,
                                     decision.redact_end - decision.redact_begin});
  }
  return matches;
}

}  // namespace llmtrace::genai
