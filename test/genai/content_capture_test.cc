#include "llmtrace/genai/content_capture.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "llmtrace/genai/instrumentation.h"
#include "llmtrace/genai/semconv.h"
#include "src/genai/json_text.h"

namespace llmtrace::genai {
namespace {

TEST(ContentCaptureTest, ParsesTheConventionsModesAndTheBooleanForm) {
  EXPECT_EQ(ParseContentCaptureMode("NO_CONTENT"), ContentCaptureMode::kNoContent);
  EXPECT_EQ(ParseContentCaptureMode("span_only"), ContentCaptureMode::kSpanOnly);
  EXPECT_EQ(ParseContentCaptureMode(" EVENT_ONLY "), ContentCaptureMode::kEventOnly);
  EXPECT_EQ(ParseContentCaptureMode("SPAN_AND_EVENT"), ContentCaptureMode::kSpanAndEvent);
  EXPECT_EQ(ParseContentCaptureMode("true"), ContentCaptureMode::kSpanOnly);
  EXPECT_EQ(ParseContentCaptureMode("false"), ContentCaptureMode::kNoContent);
  EXPECT_EQ(ParseContentCaptureMode("yes please"), std::nullopt);
}

TEST(ContentCaptureTest, OffByDefaultAndABadValueIsAnErrorNamingTheVariable) {
  MapEnvironment empty;
  auto defaults = ContentCaptureOptionsFromEnvironment(empty);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->mode, ContentCaptureMode::kNoContent);

  MapEnvironment bad({{"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "ALL"}});
  auto error = ContentCaptureOptionsFromEnvironment(bad);
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.status().message().find("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"),
            std::string::npos);

  MapEnvironment length({{"LLMTRACE_CONTENT_MAX_LENGTH", "12abc"}});
  auto length_error = ContentCaptureOptionsFromEnvironment(length);
  ASSERT_FALSE(length_error.ok());
  EXPECT_NE(length_error.status().message().find("LLMTRACE_CONTENT_MAX_LENGTH"), std::string::npos);
}

TEST(ContentCaptureTest, TruncationNeverSplitsAUtf8Character) {
  // "é" is two bytes: cutting at 3 bytes of "aéé" must keep "aé" whole.
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9\xC3\xA9", 4), "a\xC3\xA9\xE2\x80\xA6[truncated]");
  EXPECT_EQ(TruncateUtf8("a\xC3\xA9\xC3\xA9", 5), "a\xC3\xA9\xC3\xA9");
  EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc\xE2\x80\xA6[truncated]");
}

TEST(ContentCaptureTest, RedactsBeforeTruncatingSoACutSecretIsNotLeaked) {
  auto capture = ContentCapture::Create({.mode = ContentCaptureMode::kSpanOnly, .max_length = 20});
  ASSERT_TRUE(capture.ok()) << capture.status().ToString();
  // Truncating first would keep "mail jane@example.c", which no rule recognises.
  EXPECT_EQ((*capture)->Sanitize("mail jane@example.com please"), "mail [EMAIL] please");
}

TEST(ContentCaptureTest, MessagesJsonIsValidJsonInTheConventionsSchema) {
  auto capture = ContentCapture::Create({.mode = ContentCaptureMode::kSpanOnly});
  ASSERT_TRUE(capture.ok());
  const Message messages[] = {{"user", "quote \" backslash \\ newline \n bell \x07 bad \xFF end"},
                              {"tool", "42", "call_1"}};
  const std::string json = (*capture)->InputMessagesJson(messages);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  std::string_view content;
  ASSERT_EQ(doc.at(0)["parts"].at(0)["content"].get(content), simdjson::SUCCESS);
  EXPECT_EQ(content, "quote \" backslash \\ newline \n bell \x07 bad \xEF\xBF\xBD end");
  std::string_view type;
  ASSERT_EQ(doc.at(1)["parts"].at(0)["type"].get(type), simdjson::SUCCESS);
  EXPECT_EQ(type, "tool_call_response");
  std::string_view id;
  ASSERT_EQ(doc.at(1)["parts"].at(0)["id"].get(id), simdjson::SUCCESS);
  EXPECT_EQ(id, "call_1");
}

TEST(SemconvTest, OptInSelectsTheFlavourAndDupWins) {
  EXPECT_EQ(ParseSemconvOptIn(""), SemconvFlavour::kV141);
  EXPECT_EQ(ParseSemconvOptIn("http"), SemconvFlavour::kV141);
  EXPECT_EQ(ParseSemconvOptIn("http, gen_ai_latest_experimental"), SemconvFlavour::kLatest);
  EXPECT_EQ(ParseSemconvOptIn("gen_ai_latest_experimental,gen_ai/dup"), SemconvFlavour::kBoth);
  MapEnvironment env({{"OTEL_SEMCONV_STABILITY_OPT_IN", "gen_ai/dup"}});
  EXPECT_EQ(SemconvFlavourFromEnvironment(env), SemconvFlavour::kBoth);
}

TEST(SemconvTest, InstrumentationOptionsComeFromTheEnvironment) {
  MapEnvironment env({{"OTEL_SEMCONV_STABILITY_OPT_IN", "gen_ai_latest_experimental"},
                      {"LLMTRACE_BAGGAGE_KEYS", "user.id, tenant"},
                      {"LLMTRACE_HASH_CONTENT", "false"},
                      {"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "EVENT_ONLY"}});
  auto options = InstrumentationOptionsFromEnvironment(env);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->semconv, SemconvFlavour::kLatest);
  EXPECT_EQ(options->baggage_keys, (std::vector<std::string>{"user.id", "tenant"}));
  EXPECT_FALSE(options->hash_content);
  ASSERT_NE(options->content_capture, nullptr);
  EXPECT_EQ(options->content_capture->mode(), ContentCaptureMode::kEventOnly);

  MapEnvironment bad({{"LLMTRACE_BAGGAGE_KEYS", "user id"}});
  auto error = InstrumentationOptionsFromEnvironment(bad);
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.status().message().find("LLMTRACE_BAGGAGE_KEYS"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::genai
