#include "llmtrace/genai/model_family.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace llmtrace::genai {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

TEST(ModelFamilyTest, StripsDatesInEveryProviderSpelling) {
  EXPECT_EQ(ModelFamily("gpt-4o-2024-08-06"), "gpt-4o");
  EXPECT_EQ(ModelFamily("gpt-4o-mini-2024-07-18"), "gpt-4o-mini");
  EXPECT_EQ(ModelFamily("claude-3-5-sonnet-20241022"), "claude-3-5-sonnet");
  EXPECT_EQ(ModelFamily("claude-sonnet-4-20250514"), "claude-sonnet-4");
  EXPECT_EQ(ModelFamily("gemini-2.0-flash-001"), "gemini-2.0-flash");
  EXPECT_EQ(ModelFamily("mistral-large-2411"), "mistral-large");
  EXPECT_EQ(ModelFamily("gpt-4-0613"), "gpt-4");
  EXPECT_EQ(ModelFamily("gemini-2.5-flash-preview-05-20"), "gemini-2.5-flash-preview");
  EXPECT_EQ(ModelFamily("o1-2024-12-17"), "o1");
}

TEST(ModelFamilyTest, StripsLatestAndVendorVersionSuffixes) {
  EXPECT_EQ(ModelFamily("mistral-large-latest"), "mistral-large");
  EXPECT_EQ(ModelFamily("claude-3-7-sonnet-latest"), "claude-3-7-sonnet");
  EXPECT_EQ(ModelFamily("claude-3-5-sonnet-v2@20241022"), "claude-3-5-sonnet-v2");
  EXPECT_EQ(ModelFamily("anthropic.claude-3-5-sonnet-20241022-v2:0"), "claude-3-5-sonnet");
  EXPECT_EQ(ModelFamily("us.anthropic.claude-3-haiku-20240307-v1:0"), "claude-3-haiku");
}

TEST(ModelFamilyTest, StripsProviderPrefixes) {
  EXPECT_EQ(StripProviderPrefix("openai/gpt-4o"), "gpt-4o");
  EXPECT_EQ(StripProviderPrefix("models/gemini-1.5-pro"), "gemini-1.5-pro");
  EXPECT_EQ(StripProviderPrefix("gpt-4o"), "gpt-4o");
  EXPECT_EQ(ModelFamily("anthropic/claude-3-5-haiku-20241022"), "claude-3-5-haiku");
}

TEST(ModelFamilyTest, NeverStripsWordsOrSmallVersionNumbers) {
  EXPECT_EQ(StripVersionSuffix("gpt-4o-mini"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("gpt-4o-audio-preview"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("claude-3-5-sonnet"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("claude-opus-4-1"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("text-embedding-3-small"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("deepseek-v3"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("o3"), std::nullopt);
  EXPECT_EQ(StripVersionSuffix("20241022"), std::nullopt);     // nothing would be left
  EXPECT_EQ(StripVersionSuffix("model-13-05"), std::nullopt);  // 13 is not a month
}

TEST(ModelFamilyTest, StripsOneSuffixAtATime) {
  EXPECT_THAT(StripVersionSuffix("claude-3-5-sonnet-20241022-v2:0"),
              Optional(std::string_view("claude-3-5-sonnet-20241022")));
  EXPECT_THAT(StripVersionSuffix("gpt-4o-2024-08-06"), Optional(std::string_view("gpt-4o")));
}

TEST(ModelFamilyTest, CandidatesGoFromLeastToMostStripped) {
  EXPECT_THAT(
      ModelNameCandidates("openai/gpt-4o-2024-08-06"),
      ElementsAre("openai/gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "openai/gpt-4o", "gpt-4o"));
  EXPECT_THAT(ModelNameCandidates("GPT-4o-Latest"),
              ElementsAre("GPT-4o-Latest", "gpt-4o-latest", "gpt-4o"));
  EXPECT_THAT(ModelNameCandidates("gpt-4o-mini"), ElementsAre("gpt-4o-mini"));
}

}  // namespace
}  // namespace llmtrace::genai
