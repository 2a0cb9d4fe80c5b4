#include "llmtrace/genai/redactor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

namespace llmtrace::genai {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const Redactor> DefaultRedactor() {
  static auto* redactor = new std::shared_ptr<const Redactor>(*Redactor::Create({}));
  return *redactor;
}

std::string Redact(std::string_view text) { return DefaultRedactor()->Redact(text); }

TEST(RedactorTest, ReplacesEachEntityTypeWithItsPlaceholder) {
  EXPECT_EQ(Redact("mail bob@example.com now"), "mail [EMAIL] now");
  EXPECT_EQ(Redact("call +44 20 7946 0958 or (415) 555-0132"), "call [PHONE] or [PHONE]");
  EXPECT_EQ(Redact("card 4111 1111 1111 1111, exp 12/29"), "card [CREDIT_CARD], exp 12/29");
  EXPECT_EQ(Redact("IBAN DE89 3704 0044 0532 0130 00."), "IBAN [IBAN].");
  EXPECT_EQ(Redact("SSN 123-45-6789"), "SSN [SSN]");
  EXPECT_EQ(Redact("身份证 11010519491231002X 号"), "身份证 [CN_RESIDENT_ID] 号");
  EXPECT_EQ(Redact("from 10.0.0.1 and 2001:db8::1"), "from [IP_ADDRESS] and [IP_ADDRESS]");
  EXPECT_EQ(Redact("key sk-proj-Ab3dE5fG7hI9jK1lM3nO5pQ7rS9t"), "key [API_KEY]");
  EXPECT_EQ(Redact("id AKIAIOSFODNN7EXAMPLE"), "id [API_KEY]");
  EXPECT_EQ(Redact("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2J5dGVz"),
            "Bearer [JWT]");
  EXPECT_EQ(Redact("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n"
                   "-----END RSA PRIVATE KEY-----\nok"),
            "[PRIVATE_KEY]\nok");
}

TEST(RedactorTest, GenericSecretsKeepTheKeyName) {
  EXPECT_EQ(Redact("api_key=Zx81Kq0Lw2Mv7Rt5"), "api_key=[SECRET]");
  EXPECT_EQ(Redact("{\"password\": \"hunter2\"}"), "{\"password\": \"[SECRET]\"}");
  EXPECT_EQ(Redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = [API_KEY]");
}

TEST(RedactorTest, LeavesLookAlikesAlone) {
  for (std::string_view text :
       {"version 1.2.3.4.5", "999.1.1.1", "2024-11-25T10:00:00Z", "std::vector<int>",
        "4111 1111 1111 1112", "sk-learn", "ask-me-anything", "666-12-3456", "max_tokens: 1024",
        "api_key=YOUR_API_KEY", "commit 3f786850e387550fdab836ed7e6dc881de23001b"}) {
    EXPECT_EQ(Redact(text), text);
  }
}

TEST(RedactorTest, SecretKeyNamesAreFoundInAnyCaseAndWithBlanks) {
  EXPECT_EQ(Redact("PASSWORD: Zx81Kq0Lw2Mv7Rt5"), "PASSWORD: [SECRET]");
  EXPECT_EQ(Redact("db_token      =   'Zx81Kq0Lw2Mv7Rt5'"), "db_token      =   '[SECRET]'");
  EXPECT_EQ(Redact("max_tokens = 1024, tokens: many"), "max_tokens = 1024, tokens: many");
}

// Triggers close together share one window; every match in it is still found.
TEST(RedactorTest, DensePiiIsRedactedEverywhere) {
  std::string text;
  std::string expected;
  for (int i = 0; i < 300; ++i) {
    text += "4111 1111 1111 1111, bob@example.com; ";
    expected += "[CREDIT_CARD], [EMAIL]; ";
  }
  EXPECT_EQ(Redact(text), expected);
  EXPECT_EQ(DefaultRedactor()->FindMatches(text).size(), 600u);
}

TEST(RedactorTest, LeftmostMatchWinsAndThenTheLongest) {
  // The secret rule starts at "token", before the JWT inside its value.
  EXPECT_EQ(Redact("token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"), "token: [SECRET]");
  // The 16-digit card wins over shorter phone-like pieces inside it.
  const auto matches = DefaultRedactor()->FindMatches("pay 5555-5555-5555-4444 now");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].rule, "credit_card");
  EXPECT_EQ(matches[0].offset, 4u);
  EXPECT_EQ(matches[0].length, 19u);
}

TEST(RedactorTest, FindMatchesReportsRuleOffsetAndLength) {
  const auto matches = DefaultRedactor()->FindMatches("a bob@example.com b 10.1.2.3");
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].rule, "email");
  EXPECT_EQ(matches[0].placeholder, "[EMAIL]");
  EXPECT_EQ(matches[0].offset, 2u);
  EXPECT_EQ(matches[0].length, 15u);
  EXPECT_EQ(matches[1].rule, "ipv4");
  EXPECT_EQ(matches[1].offset, 20u);
}

TEST(RedactorTest, UserRulesAreAddedAndDefaultRulesCanBeDisabled) {
  RedactorOptions options;
  options.disabled_rules = {"email"};
  options.extra_rules.push_back({"employee_id", R"(\bEMP-[0-9]{6}\b)", "[EMPLOYEE_ID]"});
  auto redactor = Redactor::Create(options);
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();
  EXPECT_EQ((*redactor)->rule_count(), Redactor::DefaultRules().size());
  EXPECT_EQ((*redactor)->Redact("EMP-123456 bob@example.com"), "[EMPLOYEE_ID] bob@example.com");
}

TEST(RedactorTest, BadRegexFailsWithTheRuleNameAndTheCompilerMessage) {
  RedactorOptions options;
  options.extra_rules.push_back({"broken_rule", "(unclosed", "[X]"});
  auto redactor = Redactor::Create(options);
  ASSERT_FALSE(redactor.ok());
  EXPECT_EQ(redactor.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(redactor.status().message(), HasSubstr("broken_rule"));
  EXPECT_THAT(redactor.status().message(), HasSubstr("(unclosed"));
}

TEST(RedactorTest, RejectsUnknownDisabledRuleDuplicateNameAndUnknownValidator) {
  RedactorOptions unknown;
  unknown.disabled_rules = {"emial"};
  EXPECT_THAT(Redactor::Create(unknown).status().message(), HasSubstr("emial"));
  RedactorOptions duplicate;
  duplicate.extra_rules.push_back({"email", "x@y", "[E]"});
  EXPECT_THAT(Redactor::Create(duplicate).status().message(), HasSubstr("already exists"));
  RedactorOptions validator;
  validator.extra_rules.push_back({"r", "abc", "[R]", "crc32"});
  EXPECT_THAT(Redactor::Create(validator).status().message(), HasSubstr("crc32"));
}

class RulesFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& content) {
    path_ = ::testing::TempDir() + "redaction_rules_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
    std::ofstream(path_) << content;
    return path_;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(RulesFileTest, LoadsRulesWithValidatorsAndDisablesByName) {
  RedactorOptions options;
  options.rules_file = Write(R"({"disabled_rules": ["ipv4"],
    "rules": [{"name": "ticket", "pattern": "\\bTCK[0-9]{4}\\b", "placeholder": "[TICKET]"},
              {"name": "account", "pattern": "\\bacct [0-9]{16}\\b", "placeholder": "[ACCOUNT]",
               "validator": "luhn", "caseless": true}]})");
  auto redactor = Redactor::Create(options);
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();
  EXPECT_EQ((*redactor)->Redact("TCK1234 from 10.0.0.1"), "[TICKET] from 10.0.0.1");
  EXPECT_EQ((*redactor)->Redact("ACCT 4111111111111111"), "[ACCOUNT]");
  EXPECT_EQ((*redactor)->Redact("acct 4111111111111112"), "acct 4111111111111112");
}

TEST_F(RulesFileTest, ErrorsNameTheFileAndTheField) {
  RedactorOptions options;
  options.rules_file = Write(R"({"rules": [{"name": "x", "pattern": "abc"}]})");
  auto missing = Redactor::Create(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr(path_));
  EXPECT_THAT(missing.status().message(), HasSubstr("rules[0].placeholder"));

  options.rules_file =
      Write(R"({"rules": [{"name": "bad", "pattern": "a{2,1}", "placeholder": "[B]"}]})");
  auto bad = Redactor::Create(options);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("'bad'"));

  options.rules_file = Write("{not json");
  EXPECT_FALSE(Redactor::Create(options).ok());
  options.rules_file = ::testing::TempDir() + "no_such_rules_file.json";
  EXPECT_THAT(Redactor::Create(options).status().message(), HasSubstr("no_such_rules_file"));
}

TEST(RedactorTest, ConcurrentCallsGiveTheSameResults) {
  const std::string text = "bob@example.com 4111 1111 1111 1111 10.0.0.1 plain words";
  const std::string expected = Redact(text);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (Redact(text) != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(expected, "[EMAIL] [CREDIT_CARD] [IP_ADDRESS] plain words");
}

}  // namespace
}  // namespace llmtrace::genai
