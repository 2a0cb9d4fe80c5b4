#include "llmtrace/genai/streaming_redactor.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>
#include <vector>

namespace llmtrace::genai {
namespace {

std::shared_ptr<const Redactor> DefaultRedactor() {
  static auto* redactor = new std::shared_ptr<const Redactor>(*Redactor::Create({}));
  return *redactor;
}

std::string StreamInChunks(const std::vector<std::string>& chunks) {
  StreamingRedactor stream(DefaultRedactor());
  std::string out;
  for (const std::string& chunk : chunks) out += stream.Push(chunk);
  out += stream.Finish();
  return out;
}

TEST(StreamingRedactorTest, CatchesAnOpenAiKeySplitInTheMiddle) {
  EXPECT_EQ(StreamInChunks({"my key is sk-proj-Ab3dE5fG7h", "I9jK1lM3nO5pQ7rS9t ok"}),
            "my key is [API_KEY] ok");
}

TEST(StreamingRedactorTest, CatchesAnEmailSplitAtTheAtSign) {
  EXPECT_EQ(StreamInChunks({"write to bob", "@example.com today"}), "write to [EMAIL] today");
}

TEST(StreamingRedactorTest, CatchesAPemKeySplitAcrossThreeChunks) {
  const std::string body(1500, 'A');  // longer than the 512-byte short-rule hold-back
  EXPECT_EQ(StreamInChunks({"key:\n-----BEGIN PRIVATE", " KEY-----\n" + body,
                            "\n-----END PRIVATE KEY-----\ndone"}),
            "key:\n[PRIVATE_KEY]\ndone");
}

TEST(StreamingRedactorTest, CatchesAJwtSplitAtADot) {
  EXPECT_EQ(StreamInChunks({"auth eyJhbGciOiJIUzI1NiJ9.", "eyJzdWIiOiIxIn0.c2lnbmF0dXJl end"}),
            "auth [JWT] end");
}

TEST(StreamingRedactorTest, CatchesACardSplitBetweenDigitGroups) {
  EXPECT_EQ(StreamInChunks({"card 4111 1111 ", "1111 1111 thanks"}), "card [CREDIT_CARD] thanks");
}

TEST(StreamingRedactorTest, CatchesAUserRuleMatchSplitAcrossChunks) {
  RedactorOptions options;
  options.extra_rules.push_back({"employee_id", R"(\bEMP-[0-9]{6}\b)", "[EMPLOYEE_ID]"});
  auto redactor = Redactor::Create(options);
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();
  StreamingRedactor stream(*redactor);
  std::string out = stream.Push("id EMP-12");
  out += stream.Push("3456");  // "\b" after the match is only known with the next byte
  out += stream.Push(" and EMP-654321");
  out += stream.Finish();
  EXPECT_EQ(out, "id [EMPLOYEE_ID] and [EMPLOYEE_ID]");
}

// Dense PII of every kind, with a user rule: windows merge, and are scanned in batches; a
// stream must still find exactly what Redact finds.
TEST(StreamingRedactorTest, AnyChunkingOfDensePiiGivesTheSameOutputAsRedact) {
  RedactorOptions options;
  options.extra_rules.push_back({"ticket", R"(\bTCK[0-9]{4}\b)", "[TICKET]"});
  auto redactor = Redactor::Create(options);
  ASSERT_TRUE(redactor.ok()) << redactor.status().ToString();
  static constexpr const char* kPieces[] = {
      "bob@example.com",
      "+44 20 7946 0958",
      "(415) 555-0132",
      "4111 1111 1111 1111",
      "DE89 3704 0044 0532 0130 00",
      "123-45-6789",
      "11010519491231002X",
      "10.20.30.40",
      "2001:db8::8a2e:370:7334",
      "sk-proj-Ab3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5z",
      "AKIAIOSFODNN7EXAMPLE",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
      "api_key=Zx81Kq0Lw2Mv7Rt5",
      "TCK1234",
      "version 1.2.3",
      "12:30:00",
      "x = 42",
      "-----BEGIN PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END PRIVATE KEY-----"};
  std::mt19937 random(11);
  std::string text;
  while (text.size() < 20000) {
    text += kPieces[random() % std::size(kPieces)];
    text += " ,;\n"[random() % 4];
  }
  const std::string expected = (*redactor)->Redact(text);
  for (std::size_t max_chunk : {1, 7, 64, 1000}) {
    StreamingRedactor stream(*redactor);
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t size = 1 + random() % max_chunk;
      out += stream.Push(std::string_view(text).substr(at, size));
      at += size;
    }
    out += stream.Finish();
    EXPECT_EQ(out, expected) << "chunks up to " << max_chunk;
  }
}

TEST(StreamingRedactorTest, ReleasesCleanTextBeyondTheHoldBackBound) {
  StreamingRedactor stream(DefaultRedactor());
  const std::string prose(4096, 'x');
  const std::string released = stream.Push(prose);
  EXPECT_GE(released.size(), prose.size() - 514);
  EXPECT_LE(stream.held_back(), 514u);
  EXPECT_EQ(released + stream.Finish(), prose);
}

TEST(StreamingRedactorTest, HoldsAnOpenPemKeyUntilItsEnd) {
  StreamingRedactor stream(DefaultRedactor());
  std::string out = stream.Push("before -----BEGIN PRIVATE KEY-----\n" + std::string(3000, 'B'));
  EXPECT_EQ(out, "before ");  // everything from the open key on is held
  out += stream.Push("\n-----END PRIVATE KEY----- after" + std::string(1000, ' '));
  out += stream.Finish();
  EXPECT_EQ(out, "before [PRIVATE_KEY] after" + std::string(1000, ' '));
}

TEST(StreamingRedactorTest, FinishStartsANewStream) {
  StreamingRedactor stream(DefaultRedactor());
  std::string first = stream.Push("a bob@exa");
  first += stream.Finish();
  EXPECT_EQ(first, "a bob@exa");
  std::string second = stream.Push("mple.com b");
  second += stream.Finish();
  EXPECT_EQ(second, "mple.com b");
}

// The guarantee: for any split, the streamed output equals Redact on the whole text.
TEST(StreamingRedactorTest, AnyChunkingOfTheCorpusGivesTheSameOutputAsRedact) {
  simdjson::dom::parser parser;
  simdjson::dom::document_stream lines;
  const std::string path =
      std::string(LLMTRACE_SOURCE_DIR) + "/test/testdata/redaction/corpus.jsonl";
  ASSERT_EQ(parser.load_many(path).get(lines), simdjson::SUCCESS) << path;
  std::string corpus;
  for (auto line : lines) {
    simdjson::dom::element row;
    ASSERT_EQ(line.get(row), simdjson::SUCCESS);
    corpus += row["text"].get_string().value();
    corpus += "\n";
  }
  const auto redactor = DefaultRedactor();
  const std::string expected = redactor->Redact(corpus);
  ASSERT_NE(expected, corpus);

  std::mt19937 random(7);
  for (int round = 0; round < 60; ++round) {
    // Mostly tiny chunks (SSE deltas), sometimes large ones.
    static constexpr std::size_t kMaxChunk[] = {1, 3, 16, 40, 700, 3000};
    const std::size_t max_chunk = kMaxChunk[round % std::size(kMaxChunk)];
    StreamingRedactor stream(redactor);
    std::string out;
    std::size_t at = 0;
    while (at < corpus.size()) {
      const std::size_t size = 1 + random() % max_chunk;
      out += stream.Push(std::string_view(corpus).substr(at, size));
      at += size;
    }
    out += stream.Finish();
    if (out != expected) {
      std::size_t same = 0;
      while (same < out.size() && same < expected.size() && out[same] == expected[same]) ++same;
      FAIL() << "round " << round << ", chunks up to " << max_chunk << ": differs from Redact at "
             << same << ": expected '" << expected.substr(same, 60) << "', streamed '"
             << out.substr(same, 60) << "'";
    }
  }
}

}  // namespace
}  // namespace llmtrace::genai
