// Redactor: replaces PII and secrets in prompts, responses and log text with placeholders.
//
// Two phases: a cheap pass over the text finds triggers (literal prefixes such as "sk-", "@",
// "eyJ", runs of digits, "::"), then each rule's exact pattern runs only on a bounded window
// around its triggers, so text without PII costs only the first pass. Checks a regex cannot
// express (Luhn, IBAN mod 97, the Chinese ID checksum, octet ranges) run only on candidate
// matches. Where matches overlap, the leftmost wins, then the longest, then the rule listed
// first. Default rules and their placeholders: docs/redaction.md. Streaming text goes through
// StreamingRedactor (streaming_redactor.h), which gives the same output as Redact on the whole
// text.
// Thread-safety: a Redactor is immutable once created; Redact and FindMatches may be called
// from any number of threads at once (each call borrows a vectorscan scratch from a pool).
//
//   auto redactor = Redactor::Create({});  // the default rules
//   if (!redactor.ok()) return redactor.status();
//   std::string safe = (*redactor)->Redact("mail bob@example.com");  // "mail [EMAIL]"
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "llmtrace/common/result.h"

namespace llmtrace::genai {

namespace internal {
class RedactionEngine;
}  // namespace internal

// A rule: matches of `pattern` (vectorscan syntax: PCRE without back-references or
// look-around) are replaced by `placeholder`. A match longer than 512 bytes is not redacted.
struct RedactionRule {
  std::string name;  // unique; used to disable a rule and reported with each match
  std::string pattern;
  std::string placeholder;  // e.g. "[EMPLOYEE_ID]"
  // A check run on each candidate: "none", or one of the built-ins ("luhn", "payment_card",
  // "iban", "us_ssn", "cn_resident_id", "ipv4", "ipv6", "phone", "api_key",
  // "key_value_secret"; docs/redaction.md says what each accepts).
  std::string validator = "none";
  bool caseless = false;
};

struct RedactorOptions {
  bool default_rules = true;
  std::vector<std::string> disabled_rules;  // names of default (or file) rules to leave out
  std::vector<RedactionRule> extra_rules;   // listed after the defaults: lower priority on ties
  // Optional JSON file, read at Create:
  //   {"disabled_rules": ["phone_fr"],
  //    "rules": [{"name": "employee_id", "pattern": "\\bEMP-[0-9]{6}\\b",
  //               "placeholder": "[EMPLOYEE_ID]", "validator": "none", "caseless": false}]}
  std::string rules_file;
};

// One redacted span of the input.
struct RedactionMatch {
  std::string_view rule;         // rule name; points into the Redactor, which must outlive it
  std::string_view placeholder;  // e.g. "[EMAIL]"
  std::size_t offset = 0;        // byte offset of the replaced span in the input
  std::size_t length = 0;
};

class Redactor {
 public:
  // Compiles the rules. Fails with a Status naming the rule (and the file) for a bad pattern,
  // a duplicate or unknown rule name, an unknown validator or a malformed rules file.
  static Result<std::shared_ptr<const Redactor>> Create(const RedactorOptions& options);

  // The default rules, in priority order.
  static std::vector<RedactionRule> DefaultRules();

  // If vectorscan cannot scan (out of memory for a scratch, text over 4 GiB), returns
  // "[REDACTION_FAILED]" rather than the text: redaction fails closed.
  std::string Redact(std::string_view text) const;
  // The spans Redact replaces, in input order; they never overlap.
  std::vector<RedactionMatch> FindMatches(std::string_view text) const;

  std::size_t rule_count() const noexcept;

  // Use Create; public only for std::make_shared.
  explicit Redactor(std::shared_ptr<const internal::RedactionEngine> engine);

 private:
  friend class StreamingRedactor;
  std::shared_ptr<const internal::RedactionEngine> engine_;
};

}  // namespace llmtrace::genai
