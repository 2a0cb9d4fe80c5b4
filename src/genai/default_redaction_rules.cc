#include "src/genai/default_redaction_rules.h"

namespace llmtrace::genai::internal {

// Patterns are written for vectorscan's scan speed: each starts at, or is anchored soon after,
// something rare in prose (a literal prefix, '@', "::", a digit run after a word boundary), and
// checks a pattern cannot express are left to the validator. Kept in code rather than in a
// data file so a build can never ship without them; users add or disable rules by name.
std::vector<EngineRule> DefaultRedactionRules() {
  std::vector<EngineRule> rules;
  const auto add = [&](const char* name, const char* pattern, const char* placeholder,
                       Validator validator, TriggerKind trigger, bool caseless = false,
                       std::uint32_t max_length = kShortMatchBound) {
    rules.push_back(
        EngineRule{name, pattern, placeholder, validator, caseless, max_length, trigger});
  };

  // Long secrets first: they contain text other rules would match piecemeal.
  add("pem_private_key",
      R"(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[A-Za-z0-9+/=\s:,\\]|-[A-Za-z0-9])*)"
      R"(-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)",
      "[PRIVATE_KEY]", Validator::kNone, TriggerKind::kPem, false, kLongMatchBound);
  add("jwt", R"(\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*)", "[JWT]",
      Validator::kNone, TriggerKind::kJwt, false, kLongMatchBound);

  add("anthropic_api_key", R"(\bsk-ant-[A-Za-z0-9_\-]{20,})", "[API_KEY]", Validator::kApiKey,
      TriggerKind::kKeyPrefix);
  add("openai_api_key", R"(\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,})", "[API_KEY]",
      Validator::kApiKey, TriggerKind::kKeyPrefix);
  add("aws_access_key_id", R"(\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b)", "[API_KEY]",
      Validator::kNone, TriggerKind::kKeyPrefix);
  add("aws_secret_access_key",
      R"(aws_?secret_?access_?key["']?[ \t]*[:=][ \t]*["']?[A-Za-z0-9/+=]{40})", "[API_KEY]",
      Validator::kKeyValueSecret, TriggerKind::kSecretKey, /*caseless=*/true);
  add("github_token", R"(\b(?:gh[pousr]_[A-Za-z0-9]{36}\b|github_pat_[A-Za-z0-9_]{22,}))",
      "[API_KEY]", Validator::kApiKey, TriggerKind::kKeyPrefix);
  add("slack_token", R"(\b(?:xox[abprs]-[A-Za-z0-9\-]{10,}|xapp-[0-9]-[A-Za-z0-9\-]{10,}))",
      "[API_KEY]", Validator::kApiKey, TriggerKind::kKeyPrefix);
  add("slack_webhook",
      R"(https://hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
      "[API_KEY]", Validator::kNone, TriggerKind::kKeyPrefix);
  add("google_api_key", R"(\bAIza[0-9A-Za-z_\-]{35})", "[API_KEY]", Validator::kApiKey,
      TriggerKind::kKeyPrefix);
  // "api_key=...", "\"password\": \"...\"", "token: ...": the value goes, the key name stays.
  add("generic_secret",
      R"((?:passw(?:or)?d|pwd|secret|api[_\-]?key|token)["']?[ \t]*[:=][ \t]*["']?)"
      R"([^\s"'`,;&<>\[\]{}()]{4,})",
      "[SECRET]", Validator::kKeyValueSecret, TriggerKind::kSecretKey, /*caseless=*/true);

  add("email", R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b)",
      "[EMAIL]", Validator::kNone, TriggerKind::kEmail, false, 254);
  add("iban", R"(\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b)", "[IBAN]",
      Validator::kIban, TriggerKind::kDigits);
  add("cn_resident_id",
      R"(\b[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"
      R"([0-9]{3}[0-9Xx]\b)",
      "[CN_RESIDENT_ID]", Validator::kCnResidentId, TriggerKind::kDigits);
  add("credit_card", R"(\b[0-9](?:[ \-]?[0-9]){12,18}\b)", "[CREDIT_CARD]", Validator::kPaymentCard,
      TriggerKind::kDigits);
  add("us_ssn", R"(\b[0-9]{3}(?:-[0-9]{2}-| [0-9]{2} )[0-9]{4}\b)", "[SSN]", Validator::kUsSsn,
      TriggerKind::kDigits);

  // Phones: one rule per national form so a deployment can drop the ones it does not need.
  add("phone_e164", R"(\+[1-9][0-9]{0,2}(?:[ .\-]?(?:\([0-9]{1,4}\)|[0-9]{1,5})){1,6}\b)",
      "[PHONE]", Validator::kPhone, TriggerKind::kDigits);
  add("phone_us",
      R"((?:\b1[ .\-]?)?(?:\([0-9]{3}\) ?[0-9]{3}[ .\-]|\b[0-9]{3}[.\-][0-9]{3}[.\-]|)"
      R"(\b[0-9]{3} [0-9]{3} )[0-9]{4}\b)",
      "[PHONE]", Validator::kPhone, TriggerKind::kDigits);
  add("phone_uk",
      R"(\b0(?:[0-9]{2} [0-9]{4} |[0-9]{3} [0-9]{3} |[0-9]{4} [0-9]{2}|7[0-9]{5})[0-9]{4}\b)",
      "[PHONE]", Validator::kPhone, TriggerKind::kDigits);
  add("phone_de", R"((?:\b0[1-9][0-9]{1,4}[ /\-]|\(0[1-9][0-9]{1,4}\) ?)[0-9]{5,8}\b)", "[PHONE]",
      Validator::kPhone, TriggerKind::kDigits);
  add("phone_fr", R"(\b0[1-9](?:[ .\-][0-9]{2}){4}\b)", "[PHONE]", Validator::kPhone,
      TriggerKind::kDigits);
  add("phone_cn", R"(\b(?:1[3-9][0-9](?:[ \-]?[0-9]{4}){2}|0[0-9]{2,3}-[0-9]{7,8})\b)", "[PHONE]",
      Validator::kPhone, TriggerKind::kDigits);

  add("ipv4", R"(\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b)", "[IP_ADDRESS]", Validator::kIpv4,
      TriggerKind::kIpv4);
  add("ipv6",
      R"((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4})"
      R"(|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?)"
      R"(|::[Ff]{4}:[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})",
      "[IP_ADDRESS]", Validator::kIpv6, TriggerKind::kIpv6);
  return rules;
}

}  // namespace llmtrace::genai::internal
