#include "src/genai/redaction_validators.h"

#include <array>
#include <cstring>

namespace llmtrace::genai::internal {
namespace {

bool IsDigit(int c) noexcept { return c >= '0' && c <= '9'; }
bool IsUpper(int c) noexcept { return c >= 'A' && c <= 'Z'; }
bool IsLower(int c) noexcept { return c >= 'a' && c <= 'z'; }
bool IsAlnum(int c) noexcept { return IsDigit(c) || IsUpper(c) || IsLower(c); }
bool IsHex(int c) noexcept {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int CountDigits(std::string_view text) noexcept {
  int digits = 0;
  for (char c : text) digits += IsDigit(c) ? 1 : 0;
  return digits;
}

// Registered IBAN lengths (SWIFT IBAN registry); a country not listed here is rejected.
struct IbanCountry {
  char code[3];
  std::uint8_t length;
};
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

int IbanLength(char a, char b) noexcept {
  for (const IbanCountry& country : kIbanCountries) {
    if (country.code[0] == a && country.code[1] == b) return country.length;
  }
  return 0;
}

bool LeapYear(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int ParseDigits(std::string_view text) noexcept {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// One dotted-quad octet: 1-3 digits, at most 255.
bool OctetValid(std::string_view octet) noexcept {
  if (octet.empty() || octet.size() > 3) return false;
  for (char c : octet) {
    if (!IsDigit(c)) return false;
  }
  return ParseDigits(octet) <= 255;
}

bool DottedQuadValid(std::string_view text) noexcept {
  int parts = 0;
  while (true) {
    const std::size_t dot = text.find('.');
    if (!OctetValid(text.substr(0, dot))) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return parts == 4;
}

// Counts the 16-bit groups of one side of "::" (or of the whole address); -1 if malformed.
// An embedded dotted quad is allowed as the last element and counts as two groups.
int Ipv6Groups(std::string_view side, bool allow_dotted_quad) noexcept {
  if (side.empty()) return 0;
  int groups = 0;
  while (true) {
    const std::size_t colon = side.find(':');
    const std::string_view group = side.substr(0, colon);
    if (colon == std::string_view::npos && allow_dotted_quad &&
        group.find('.') != std::string_view::npos) {
      return DottedQuadValid(group) ? groups + 2 : -1;
    }
    if (group.empty() || group.size() > 4) return -1;
    for (char c : group) {
      if (!IsHex(c)) return -1;
    }
    ++groups;
    if (colon == std::string_view::npos) return groups;
    side.remove_prefix(colon + 1);
  }
}

bool LooksLikePlaceholder(std::string_view value) noexcept {
  const char first = value.front();
  if (first == '<' || first == '$' || first == '{' || first == '*' || first == '[' ||
      first == '(' || first == '=' || first == '-' || first == '%') {
    return true;
  }
  static constexpr std::string_view kMarkers[] = {"YOUR", "REDACTED", "PLACEHOLDER", "XXXX"};
  for (std::string_view marker : kMarkers) {
    if (value.size() < marker.size()) continue;
    for (std::size_t i = 0; i + marker.size() <= value.size(); ++i) {
      bool equal = true;
      for (std::size_t j = 0; j < marker.size() && equal; ++j) {
        char c = value[i + j];
        if (IsLower(c)) c = static_cast<char>(c - 'a' + 'A');
        equal = c == marker[j];
      }
      if (equal) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<Validator> ValidatorFromName(std::string_view name) noexcept {
  static constexpr std::pair<std::string_view, Validator> kNames[] = {
      {"none", Validator::kNone},
      {"luhn", Validator::kLuhn},
      {"payment_card", Validator::kPaymentCard},
      {"iban", Validator::kIban},
      {"us_ssn", Validator::kUsSsn},
      {"cn_resident_id", Validator::kCnResidentId},
      {"ipv4", Validator::kIpv4},
      {"ipv6", Validator::kIpv6},
      {"phone", Validator::kPhone},
      {"api_key", Validator::kApiKey},
      {"key_value_secret", Validator::kKeyValueSecret},
  };
  for (const auto& [known, validator] : kNames) {
    if (known == name) return validator;
  }
  return std::nullopt;
}

std::string_view ValidatorName(Validator validator) noexcept {
  switch (validator) {
    case Validator::kNone:
      return "none";
    case Validator::kLuhn:
      return "luhn";
    case Validator::kPaymentCard:
      return "payment_card";
    case Validator::kIban:
      return "iban";
    case Validator::kUsSsn:
      return "us_ssn";
    case Validator::kCnResidentId:
      return "cn_resident_id";
    case Validator::kIpv4:
      return "ipv4";
    case Validator::kIpv6:
      return "ipv6";
    case Validator::kPhone:
      return "phone";
    case Validator::kApiKey:
      return "api_key";
    case Validator::kKeyValueSecret:
      return "key_value_secret";
  }
  return "none";
}

bool LuhnValid(std::string_view candidate) noexcept {
  int sum = 0;
  int digits = 0;
  for (std::size_t i = candidate.size(); i-- > 0;) {
    const char c = candidate[i];
    if (!IsDigit(c)) continue;
    int d = c - '0';
    if (digits % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++digits;
  }
  return digits > 0 && sum % 10 == 0;
}

bool PaymentCardValid(std::string_view candidate) noexcept {
  char separator = 0;
  for (char c : candidate) {
    if (IsDigit(c)) continue;
    if (separator != 0 && c != separator) return false;  // "4111 1111-1111 1111" is not a card
    separator = c;
  }
  const int digits = CountDigits(candidate);
  // Issuer networks in use start with 2-6 (Mastercard 2/5, Amex/Diners/JCB 3, Visa 4, Discover
  // and UnionPay 6); 0, 1, 7, 8 and 9 runs are account, order or phone numbers.
  const char first = candidate.front();
  return digits >= 13 && digits <= 19 && first >= '2' && first <= '6' && LuhnValid(candidate);
}

bool IbanValid(std::string_view candidate) noexcept {
  std::array<char, 34> compact{};
  std::size_t length = 0;
  for (char c : candidate) {
    if (c == ' ') continue;
    if (length == compact.size() || !(IsDigit(c) || IsUpper(c))) return false;
    compact[length++] = c;
  }
  if (length < 15 || !IsUpper(compact[0]) || !IsUpper(compact[1]) || !IsDigit(compact[2]) ||
      !IsDigit(compact[3])) {
    return false;
  }
  if (IbanLength(compact[0], compact[1]) != static_cast<int>(length)) return false;
  // ISO 7064 mod 97-10 over the rearranged string (BBAN + country + check), letters as 10..35.
  int remainder = 0;
  for (std::size_t k = 0; k < length; ++k) {
    const char c = compact[(k + 4) % length];
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return remainder == 1;
}

bool UsSsnValid(std::string_view candidate) noexcept {
  char digits[9];
  int count = 0;
  for (char c : candidate) {
    if (IsDigit(c)) {
      if (count == 9) return false;
      digits[count++] = c;
    }
  }
  if (count != 9) return false;
  const int area = ParseDigits({digits, 3});
  const int group = ParseDigits({digits + 3, 2});
  const int serial = ParseDigits({digits + 5, 4});
  return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

bool CnResidentIdValid(std::string_view candidate) noexcept {
  if (candidate.size() != 18) return false;
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (!IsDigit(candidate[i])) return false;
    sum += (candidate[i] - '0') * kWeights[i];
  }
  char last = candidate[17];
  if (last == 'x') last = 'X';
  if (last != kCheck[sum % 11]) return false;
  // A birth date that existed and makes a living person: 1900-01-01 through 2029-12-31.
  const int year = ParseDigits(candidate.substr(6, 4));
  const int month = ParseDigits(candidate.substr(10, 2));
  const int day = ParseDigits(candidate.substr(12, 2));
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || year > 2029 || month < 1 || month > 12 || day < 1) return false;
  const int days = kDaysInMonth[month - 1] + (month == 2 && LeapYear(year) ? 1 : 0);
  return day <= days;
}

bool Ipv4Valid(std::string_view candidate, const CandidateContext& context) noexcept {
  // "1.2.3.4.5" (a version string) is not an address: reject quads inside longer dotted runs.
  if (context.before[0] == '.' && IsDigit(context.before[1])) return false;
  if (context.after[0] == '.' && IsDigit(context.after[1])) return false;
  return DottedQuadValid(candidate);
}

bool Ipv6Valid(std::string_view candidate, const CandidateContext& context) noexcept {
  // The match must stand alone: "std::vector" or "Foo::Bar" are scopes, not addresses.
  const auto joins = [](int c) { return IsAlnum(c) || c == ':' || c == '_'; };
  if (joins(context.before[0]) || joins(context.after[0])) return false;
  if (context.after[0] == '.' && IsDigit(context.after[1])) return false;
  if (CountDigits(candidate) == 0) return false;  // "dead::beef" reads as a word pair
  const std::size_t gap = candidate.find("::");
  if (gap == std::string_view::npos) return Ipv6Groups(candidate, true) == 8;
  if (candidate.find("::", gap + 1) != std::string_view::npos) return false;
  const int left = Ipv6Groups(candidate.substr(0, gap), false);
  const int right = Ipv6Groups(candidate.substr(gap + 2), true);
  if (left < 0 || right < 0 || left + right > 7) return false;
  // "::" alone and "a::" fragments are too weak; "::1" (loopback) is the one short form kept.
  return left + right >= 2 || candidate == "::1";
}

bool PhoneValid(std::string_view candidate, const CandidateContext& context) noexcept {
  // "INV-0505-03290" or "ref/0171/1234567": digits inside a larger identifier.
  const auto joiner = [](int c) { return c == '-' || c == '/' || c == '.' || c == '_'; };
  if (joiner(context.before[0]) && IsAlnum(context.before[1])) return false;
  if (joiner(context.after[0]) && IsAlnum(context.after[1])) return false;
  int open = 0;
  for (char c : candidate) {
    if (c == '(') ++open;
    if (c == ')' && --open < 0) return false;
  }
  if (open != 0) return false;
  const int digits = CountDigits(candidate);
  return digits >= 8 && digits <= 15;  // E.164 allows at most 15 digits
}

bool ApiKeyBodyLooksRandom(std::string_view candidate) noexcept {
  bool digit = false, upper = false, lower = false;
  for (char c : candidate) {
    digit |= IsDigit(c);
    upper |= IsUpper(c);
    lower |= IsLower(c);
  }
  return digit && upper && lower;
}

std::optional<RedactSpan> KeyValueSecretSpan(std::string_view candidate) noexcept {
  std::size_t i = 0;
  const auto skip = [&](auto predicate) {
    while (i < candidate.size() && predicate(candidate[i])) ++i;
  };
  skip([](char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; });
  skip([](char c) { return c == '"' || c == '\''; });
  skip([](char c) { return c == ' ' || c == '\t'; });
  if (i == candidate.size() || (candidate[i] != ':' && candidate[i] != '=')) return std::nullopt;
  ++i;
  skip([](char c) { return c == ' ' || c == '\t'; });
  bool quoted = false;
  if (i < candidate.size() && (candidate[i] == '"' || candidate[i] == '\'')) {
    quoted = true;
    ++i;
  }
  const std::string_view value = candidate.substr(i);
  if (value.size() < 4 || LooksLikePlaceholder(value)) return std::nullopt;
  if (!quoted) {
    // Unquoted values appear in prose ("password: reset it") and code ("token = get_token");
    // keep those that look like a credential: letters with digits, or a long opaque run.
    bool letter = false, digit = false;
    for (char c : value) {
      letter |= IsUpper(c) || IsLower(c);
      digit |= IsDigit(c);
    }
    if (!(letter && digit) && value.size() < 20) return std::nullopt;
  }
  return RedactSpan{i, candidate.size()};
}

std::optional<RedactSpan> Validate(Validator validator, std::string_view candidate,
                                   const CandidateContext& context) noexcept {
  bool valid = true;
  switch (validator) {
    case Validator::kNone:
      break;
    case Validator::kLuhn:
      valid = LuhnValid(candidate);
      break;
    case Validator::kPaymentCard:
      valid = PaymentCardValid(candidate);
      break;
    case Validator::kIban:
      valid = IbanValid(candidate);
      break;
    case Validator::kUsSsn:
      valid = UsSsnValid(candidate);
      break;
    case Validator::kCnResidentId:
      valid = CnResidentIdValid(candidate);
      break;
    case Validator::kIpv4:
      valid = Ipv4Valid(candidate, context);
      break;
    case Validator::kIpv6:
      valid = Ipv6Valid(candidate, context);
      break;
    case Validator::kPhone:
      valid = PhoneValid(candidate, context);
      break;
    case Validator::kApiKey:
      valid = ApiKeyBodyLooksRandom(candidate);
      break;
    case Validator::kKeyValueSecret:
      return KeyValueSecretSpan(candidate);
  }
  if (!valid) return std::nullopt;
  return RedactSpan{0, candidate.size()};
}

}  // namespace llmtrace::genai::internal
