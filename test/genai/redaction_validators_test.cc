#include "src/genai/redaction_validators.h"

#include <gtest/gtest.h>

namespace llmtrace::genai::internal {
namespace {

TEST(RedactionValidatorsTest, LuhnAcceptsTestCardNumbersAndRejectsOneDigitChanged) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("4111 1111 1111 1111"));
  EXPECT_TRUE(LuhnValid("378282246310005"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid("378282246310006"));
}

TEST(RedactionValidatorsTest, PaymentCardNeedsOneSeparatorKindAndANetworkPrefix) {
  EXPECT_TRUE(PaymentCardValid("4111-1111-1111-1111"));
  EXPECT_TRUE(PaymentCardValid("5555 5555 5555 4444"));
  EXPECT_TRUE(PaymentCardValid("3782 822463 10005"));
  EXPECT_FALSE(PaymentCardValid("4111 1111-1111 1111"));  // mixed separators
  EXPECT_FALSE(PaymentCardValid("0000000000000000"));     // Luhn-valid, no network starts with 0
  EXPECT_FALSE(PaymentCardValid("79927398713"));          // Luhn-valid but 11 digits
}

TEST(RedactionValidatorsTest, IbanChecksMod97AndTheCountryLength) {
  EXPECT_TRUE(IbanValid("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(IbanValid("GB82WEST12345698765432"));
  EXPECT_TRUE(IbanValid("NL91 ABNA 0417 1643 00"));
  EXPECT_FALSE(IbanValid("DE88 3704 0044 0532 0130 00"));  // check digits off by one
  EXPECT_FALSE(IbanValid("DE89 3704 0044 0532 0130"));     // too short for Germany
  EXPECT_FALSE(IbanValid("QQ89 3704 0044 0532 0130 00"));  // no such country
}

TEST(RedactionValidatorsTest, SsnRejectsTheRangesTheSsaNeverIssues) {
  EXPECT_TRUE(UsSsnValid("123-45-6789"));
  EXPECT_TRUE(UsSsnValid("899 45 6789"));
  EXPECT_FALSE(UsSsnValid("000-45-6789"));
  EXPECT_FALSE(UsSsnValid("666-45-6789"));
  EXPECT_FALSE(UsSsnValid("900-45-6789"));
  EXPECT_FALSE(UsSsnValid("123-00-6789"));
  EXPECT_FALSE(UsSsnValid("123-45-0000"));
}

TEST(RedactionValidatorsTest, CnResidentIdChecksMod11_2AndTheBirthDate) {
  EXPECT_TRUE(CnResidentIdValid("11010519491231002X"));
  EXPECT_TRUE(CnResidentIdValid("11010519491231002x"));
  EXPECT_FALSE(CnResidentIdValid("110105194912310021"));  // wrong check character
  // Right check characters, impossible birth dates: 1990-02-29 and 1899.
  EXPECT_FALSE(CnResidentIdValid("440305199002291237"));
  EXPECT_FALSE(CnResidentIdValid("110105189912310023"));
}

TEST(RedactionValidatorsTest, Ipv4NeedsOctetsUpTo255AndStandsAlone) {
  CandidateContext none;
  EXPECT_TRUE(Ipv4Valid("192.168.0.1", none));
  EXPECT_TRUE(Ipv4Valid("255.255.255.255", none));
  EXPECT_FALSE(Ipv4Valid("256.1.1.1", none));
  EXPECT_FALSE(Ipv4Valid("999.1.1.1", none));
  CandidateContext in_version;  // "1.2.3.4.5"
  in_version.after[0] = '.';
  in_version.after[1] = '5';
  EXPECT_FALSE(Ipv4Valid("1.2.3.4", in_version));
  CandidateContext sentence_end;
  sentence_end.after[0] = '.';
  EXPECT_TRUE(Ipv4Valid("1.2.3.4", sentence_end));
}

TEST(RedactionValidatorsTest, Ipv6AcceptsFullAndCompressedFormsButNotCppScopes) {
  CandidateContext none;
  EXPECT_TRUE(Ipv6Valid("2001:0db8:85a3:0000:0000:8a2e:0370:7334", none));
  EXPECT_TRUE(Ipv6Valid("2001:db8::8a2e:370:7334", none));
  EXPECT_TRUE(Ipv6Valid("::1", none));
  EXPECT_TRUE(Ipv6Valid("fe80::1", none));
  EXPECT_TRUE(Ipv6Valid("::ffff:192.0.2.128", none));
  EXPECT_FALSE(Ipv6Valid("::", none));
  EXPECT_FALSE(Ipv6Valid("dead::beef", none));
  EXPECT_FALSE(Ipv6Valid("1:2:3:4:5:6:7", none));  // 7 groups without "::"
  EXPECT_FALSE(Ipv6Valid("1::2::3", none));
  CandidateContext in_word;  // "std::vector" yields the candidate "d::" after 't'
  in_word.before[0] = 't';
  EXPECT_FALSE(Ipv6Valid("d::", in_word));
}

TEST(RedactionValidatorsTest, PhoneNeedsEightToFifteenDigitsOutsideIdentifiers) {
  CandidateContext none;
  EXPECT_TRUE(PhoneValid("+44 20 7946 0958", none));
  EXPECT_TRUE(PhoneValid("(415) 555-0132", none));
  EXPECT_FALSE(PhoneValid("+1 555", none));
  EXPECT_FALSE(PhoneValid("(415 555-0132", none));
  CandidateContext invoice;  // "INV-0505-03290"
  invoice.before[0] = '-';
  invoice.before[1] = 'V';
  EXPECT_FALSE(PhoneValid("0505-03290", invoice));
}

TEST(RedactionValidatorsTest, KeyValueSecretKeepsTheKeyAndRejectsPlaceholdersAndProse) {
  auto span = KeyValueSecretSpan("api_key=Zx81Kq0Lw2Mv");
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->begin, 8u);
  EXPECT_EQ(span->end, 20u);
  span = KeyValueSecretSpan("password\": \"hunter2");
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(std::string_view("password\": \"hunter2").substr(span->begin), "hunter2");
  EXPECT_FALSE(KeyValueSecretSpan("password: reset").has_value());  // prose
  EXPECT_FALSE(KeyValueSecretSpan("api_key=YOUR_API_KEY").has_value());
  EXPECT_FALSE(KeyValueSecretSpan("token = get_token").has_value());
  EXPECT_FALSE(KeyValueSecretSpan("secret=${SECRET}").has_value());
}

TEST(RedactionValidatorsTest, ValidatorNamesRoundTrip) {
  for (Validator v :
       {Validator::kNone, Validator::kLuhn, Validator::kPaymentCard, Validator::kIban,
        Validator::kUsSsn, Validator::kCnResidentId, Validator::kIpv4, Validator::kIpv6,
        Validator::kPhone, Validator::kApiKey, Validator::kKeyValueSecret}) {
    EXPECT_EQ(ValidatorFromName(ValidatorName(v)), v);
  }
  EXPECT_FALSE(ValidatorFromName("crc32").has_value());
}

}  // namespace
}  // namespace llmtrace::genai::internal
