#include "llmtrace/genai/content_hash.h"

#include <gtest/gtest.h>

namespace llmtrace::genai {
namespace {

TEST(ContentHashTest, MatchesTheFipsTestVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ContentHashTest, StreamingHashEqualsOneShotHashAndRestarts) {
  Sha256Hasher hasher;
  hasher.Update("What is ");
  hasher.Update("OpenTelemetry?");
  EXPECT_EQ(hasher.FinishHex(), Sha256Hex("What is OpenTelemetry?"));
  hasher.Update("abc");
  EXPECT_EQ(hasher.FinishHex(), Sha256Hex("abc"));
}

TEST(ContentHashTest, MovedFromHasherStillWorks) {
  Sha256Hasher a;
  a.Update("ab");
  Sha256Hasher b = std::move(a);
  b.Update("c");
  EXPECT_EQ(b.FinishHex(), Sha256Hex("abc"));
  a.Update("abc");  // NOLINT(bugprone-use-after-move): documented to work
  EXPECT_EQ(a.FinishHex(), Sha256Hex("abc"));
}

}  // namespace
}  // namespace llmtrace::genai
