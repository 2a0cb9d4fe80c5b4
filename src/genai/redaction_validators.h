// Validators for redaction candidates: the checks a regular expression cannot express.
//
// The redaction engine (src/genai/redaction_engine.cc) finds candidates with vectorscan and
// runs the rule's validator on each candidate only, so these run on a few bytes now and then,
// never on the whole text. Each takes the candidate text and, where the rule needs it, up to
// two bytes of context on each side (kNoContext at the edge of the text), because vectorscan has
// no look-around beyond \b. Pure functions; thread-safe.
//
//   LuhnValid("4111 1111 1111 1111")   -> true  (separators are skipped)
//   IbanValid("DE89 3704 0044 0532 0130 00") -> true
//   CnResidentIdValid("11010519491231002X") -> true
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace llmtrace::genai::internal {

// The checks a rule can ask for. Names (ValidatorName) are what a rules file spells.
enum class Validator : std::uint8_t {
  kNone,
  kLuhn,            // Luhn over the candidate's digits (anything else is skipped)
  kPaymentCard,     // payment card: 13-19 digits, one kind of separator, network prefix, Luhn
  kIban,            // IBAN: per-country length and ISO 7064 mod 97-10
  kUsSsn,           // US SSN: no 000/666/9xx area, no 00 group, no 0000 serial
  kCnResidentId,    // 18-char Chinese resident ID: ISO 7064 MOD 11-2 and a real birth date
  kIpv4,            // dotted quad with octets <= 255, not part of a longer dotted run
  kIpv6,            // RFC 4291 text forms, not part of a C++ scope like std::vector
  kPhone,           // phone: 8-15 digits (E.164), balanced parentheses, not inside an id
  kApiKey,          // token body looks random: has a digit and upper and lower case letters
  kKeyValueSecret,  // "key = value": only the value is redacted; prose-like values rejected
};

std::optional<Validator> ValidatorFromName(std::string_view name) noexcept;
std::string_view ValidatorName(Validator validator) noexcept;

inline constexpr int kNoContext = -1;

// Bytes around a candidate: before[0] is the byte just before it, after[0] the byte just after.
struct CandidateContext {
  int before[2] = {kNoContext, kNoContext};
  int after[2] = {kNoContext, kNoContext};
};

// The part of a candidate to replace, as offsets into the candidate text.
struct RedactSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool LuhnValid(std::string_view candidate) noexcept;
bool PaymentCardValid(std::string_view candidate) noexcept;
bool IbanValid(std::string_view candidate) noexcept;
bool UsSsnValid(std::string_view candidate) noexcept;
bool CnResidentIdValid(std::string_view candidate) noexcept;
bool Ipv4Valid(std::string_view candidate, const CandidateContext& context) noexcept;
bool Ipv6Valid(std::string_view candidate, const CandidateContext& context) noexcept;
bool PhoneValid(std::string_view candidate, const CandidateContext& context) noexcept;
bool ApiKeyBodyLooksRandom(std::string_view candidate) noexcept;
// For "api_key = value" candidates: finds the value; false if it looks like prose.
std::optional<RedactSpan> KeyValueSecretSpan(std::string_view candidate) noexcept;

// Runs `validator` on a candidate. On success returns the span to replace (the whole candidate
// except for kKeyValueSecret, which keeps the key name).
std::optional<RedactSpan> Validate(Validator validator, std::string_view candidate,
                                   const CandidateContext& context) noexcept;

}  // namespace llmtrace::genai::internal
