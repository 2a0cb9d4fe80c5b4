#include "llmtrace/genai/content_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

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

// Contexts are recycled through a per-thread free list of four: more hashers alive at once than
// that, and hashers that end on another thread than they started on, must not share state.
TEST(ContentHashTest, ManyLiveHashersAndHashersThatChangeThreadsStayIndependent) {
  std::vector<Sha256Hasher> hashers(9);
  for (std::size_t i = 0; i < hashers.size(); ++i) hashers[i].Update(std::to_string(i));
  std::thread other([&] {
    for (std::size_t i = 0; i < hashers.size(); i += 2) {
      hashers[i].Update("x");
      EXPECT_EQ(hashers[i].FinishHex(), Sha256Hex(std::to_string(i) + "x"));
    }
    hashers.resize(3);  // destroyed here, on this thread
  });
  other.join();
  for (std::size_t i = 1; i < hashers.size(); i += 2) {
    EXPECT_EQ(hashers[i].FinishHex(), Sha256Hex(std::to_string(i)));
  }
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace llmtrace::genai
