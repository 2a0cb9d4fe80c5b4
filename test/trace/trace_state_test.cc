#include "llmtrace/trace/trace_state.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "test/support/string_mutator.h"

namespace llmtrace::trace {
namespace {

std::string Members(int count, std::string_view prefix = "k") {
  std::string header;
  for (int i = 0; i < count; ++i) {
    if (i > 0) header += ',';
    header += std::string(prefix) + std::to_string(i) + "=v" + std::to_string(i);
  }
  return header;
}

TEST(TraceStateTest, ParsesTheSpecExampleAndPrintsItBack) {
  auto ts = TraceState::Parse("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  ASSERT_NE(ts, nullptr);
  ASSERT_EQ(ts->size(), 2u);
  EXPECT_EQ(ts->Get("congo"), "t61rcWkgMzE");
  EXPECT_EQ(ts->Get("rojo"), "00f067aa0ba902b7");
  EXPECT_EQ(ts->entries()[0].key, "congo");
  EXPECT_EQ(ts->ToHeader(), "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
}

TEST(TraceStateTest, ReturnsNullForEmptyOrWhitespaceOnlyHeaders) {
  EXPECT_EQ(TraceState::Parse(""), nullptr);
  EXPECT_EQ(TraceState::Parse("   "), nullptr);
  EXPECT_EQ(TraceState::Parse(" , ,\t,"), nullptr);
}

TEST(TraceStateTest, SkipsEmptyMembersAndOwsAroundCommas) {
  auto ts = TraceState::Parse(" a=1 ,, \t,b=2\t, ");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->ToHeader(), "a=1,b=2");
}

TEST(TraceStateTest, AcceptsThirtyTwoMembersAndRejectsThirtyThree) {
  auto ts32 = TraceState::Parse(Members(32));
  ASSERT_NE(ts32, nullptr);
  EXPECT_EQ(ts32->size(), 32u);
  EXPECT_EQ(TraceState::Parse(Members(33)), nullptr);
}

TEST(TraceStateTest, EmptyMembersDoNotCountTowardTheLimit) {
  auto ts = TraceState::Parse(Members(32) + ",,,, ,");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->size(), 32u);
}

TEST(TraceStateTest, RejectsDuplicateKeys) {
  EXPECT_EQ(TraceState::Parse("a=1,b=2,a=3"), nullptr);
  EXPECT_EQ(TraceState::Parse("t@s=1,t@s=2"), nullptr);
}

TEST(TraceStateTest, AcceptsMultiTenantKeys) {
  auto ts = TraceState::Parse("fw529a3039@dt=d0b8b,0tenant@vendor=x");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->Get("fw529a3039@dt"), "d0b8b");
  EXPECT_EQ(ts->Get("0tenant@vendor"), "x");
}

TEST(TraceStateTest, ValidatesSimpleKeys) {
  EXPECT_TRUE(TraceState::IsValidKey("a"));
  EXPECT_TRUE(TraceState::IsValidKey("a0_-*/"));
  EXPECT_TRUE(TraceState::IsValidKey(std::string(256, 'a')));
  EXPECT_FALSE(TraceState::IsValidKey(std::string(257, 'a')));
  EXPECT_FALSE(TraceState::IsValidKey(""));
  EXPECT_FALSE(TraceState::IsValidKey("0abc"));  // must start with lcalpha
  EXPECT_FALSE(TraceState::IsValidKey("_abc"));
  EXPECT_FALSE(TraceState::IsValidKey("Abc"));
  EXPECT_FALSE(TraceState::IsValidKey("ab.c"));
  EXPECT_FALSE(TraceState::IsValidKey("ab c"));
}

TEST(TraceStateTest, ValidatesMultiTenantKeys) {
  EXPECT_TRUE(TraceState::IsValidKey("t@s"));
  EXPECT_TRUE(TraceState::IsValidKey(std::string(241, 't') + "@" + std::string(14, 's')));
  EXPECT_FALSE(TraceState::IsValidKey(std::string(242, 't') + "@s"));
  EXPECT_FALSE(TraceState::IsValidKey("t@" + std::string(15, 's')));
  EXPECT_FALSE(TraceState::IsValidKey("@s"));
  EXPECT_FALSE(TraceState::IsValidKey("t@"));
  EXPECT_FALSE(TraceState::IsValidKey("t@0s"));  // system-id starts with lcalpha
  EXPECT_FALSE(TraceState::IsValidKey("_t@s"));
  EXPECT_FALSE(TraceState::IsValidKey("t@s@x"));
  EXPECT_FALSE(TraceState::IsValidKey("T@s"));
}

TEST(TraceStateTest, ValidatesValues) {
  EXPECT_TRUE(TraceState::IsValidValue("x"));
  EXPECT_TRUE(TraceState::IsValidValue(" leading space and ~!\"#$%&'()*+-./:;<>?@[\\]^_`{|}"));
  EXPECT_TRUE(TraceState::IsValidValue(std::string(256, 'v')));
  EXPECT_FALSE(TraceState::IsValidValue(std::string(257, 'v')));
  EXPECT_FALSE(TraceState::IsValidValue(""));
  EXPECT_FALSE(TraceState::IsValidValue("trailing "));
  EXPECT_FALSE(TraceState::IsValidValue("a,b"));
  EXPECT_FALSE(TraceState::IsValidValue("a=b"));
  EXPECT_FALSE(TraceState::IsValidValue("tab\there"));
  EXPECT_FALSE(TraceState::IsValidValue("del\x7f"));
  EXPECT_FALSE(TraceState::IsValidValue("caf\xc3\xa9"));
}

TEST(TraceStateTest, RejectsMalformedMembers) {
  EXPECT_EQ(TraceState::Parse("novalue"), nullptr);
  EXPECT_EQ(TraceState::Parse("k="), nullptr);
  EXPECT_EQ(TraceState::Parse("=v"), nullptr);
  EXPECT_EQ(TraceState::Parse("k=v=w"), nullptr);
  EXPECT_EQ(TraceState::Parse("k =v"), nullptr);
  EXPECT_EQ(TraceState::Parse("Key=v"), nullptr);
  EXPECT_EQ(TraceState::Parse("a=1,bad key=2"), nullptr);
  EXPECT_EQ(TraceState::Parse("a=1;b=2"), nullptr);
}

TEST(TraceStateTest, KeepsASpaceInsideAValue) {
  auto ts = TraceState::Parse("k= v w");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->Get("k"), " v w");
}

TEST(TraceStateTest, SetMovesNewAndUpdatedKeysToTheFront) {
  auto ts = TraceState::Parse("a=1,b=2,c=3");
  ASSERT_NE(ts, nullptr);
  auto added = ts->Set("d", "4");
  EXPECT_EQ(added->ToHeader(), "d=4,a=1,b=2,c=3");
  auto updated = added->Set("b", "20");
  EXPECT_EQ(updated->ToHeader(), "b=20,d=4,a=1,c=3");
  // The originals are untouched.
  EXPECT_EQ(ts->ToHeader(), "a=1,b=2,c=3");
  EXPECT_EQ(added->ToHeader(), "d=4,a=1,b=2,c=3");
}

TEST(TraceStateTest, SetOnAFullListDropsTheLastMember) {
  auto ts = TraceState::Parse(Members(32));
  ASSERT_NE(ts, nullptr);
  auto next = ts->Set("new", "x");
  EXPECT_EQ(next->size(), 32u);
  EXPECT_EQ(next->entries().front().key, "new");
  EXPECT_FALSE(next->Get("k31").has_value());
  EXPECT_TRUE(next->Get("k30").has_value());
}

TEST(TraceStateTest, SetWithAnInvalidKeyOrValueReturnsTheSameState) {
  auto ts = TraceState::Parse("a=1");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->Set("Bad", "x"), ts);
  EXPECT_EQ(ts->Set("ok", "bad,value"), ts);
  EXPECT_EQ(ts->Set("ok", ""), ts);
}

TEST(TraceStateTest, BuildsFromEmpty) {
  auto empty = TraceState::Empty();
  ASSERT_NE(empty, nullptr);
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(empty->ToHeader(), "");
  auto ts = empty->Set("ot", "th:8");
  EXPECT_EQ(ts->ToHeader(), "ot=th:8");
  EXPECT_TRUE(empty->empty());
}

TEST(TraceStateTest, DeleteRemovesOnlyThatKey) {
  auto ts = TraceState::Parse("a=1,b=2,c=3");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->Delete("b")->ToHeader(), "a=1,c=3");
  EXPECT_EQ(ts->Delete("zz"), ts);
  EXPECT_TRUE(ts->Delete("a")->Delete("b")->Delete("c")->empty());
  EXPECT_EQ(ts->ToHeader(), "a=1,b=2,c=3");
}

TEST(TraceStateTest, ToHeaderDropsWholeMembersFromTheEndAbove512Bytes) {
  // 32 members of "kNN=" + 20 chars: 24-25 bytes each, about 800 bytes in all.
  std::string header;
  for (int i = 0; i < 32; ++i) {
    if (i > 0) header += ',';
    header += "k" + std::to_string(i) + "=" + std::string(20, 'a' + i % 26);
  }
  auto ts = TraceState::Parse(header);
  ASSERT_NE(ts, nullptr);
  std::string out = ts->ToHeader();
  EXPECT_LE(out.size(), TraceState::kMaxHeaderSize);
  EXPECT_EQ(header.rfind(out, 0), 0u) << "the kept members are a prefix of the original";
  ASSERT_TRUE(out.size() < header.size());
  EXPECT_EQ(header[out.size()], ',') << "no member was cut in half";
  auto reparsed = TraceState::Parse(out);
  ASSERT_NE(reparsed, nullptr);
  for (const auto& entry : reparsed->entries()) EXPECT_EQ(ts->Get(entry.key), entry.value);
}

TEST(TraceStateTest, ToHeaderDropsMembersLargerThan128BytesFirst) {
  std::string big = "big=" + std::string(200, 'b');
  std::string header = "a=1," + big + ",c=3";
  for (int i = 0; i < 20; ++i) header += ",k" + std::to_string(i) + "=" + std::string(20, 'x');
  auto ts = TraceState::Parse(header);
  ASSERT_NE(ts, nullptr);
  std::string out = ts->ToHeader();
  EXPECT_LE(out.size(), TraceState::kMaxHeaderSize);
  auto reparsed = TraceState::Parse(out);
  ASSERT_NE(reparsed, nullptr);
  EXPECT_FALSE(reparsed->Get("big").has_value());
  EXPECT_EQ(reparsed->size(), ts->size() - 1) << "only the large member had to go: " << out;
}

TEST(TraceStateTest, AcceptsMaximalMembersAndKeepsWhatFitsWhenPrinting) {
  std::string key(256, 'k');
  std::string value(256, 'v');
  auto ts = TraceState::Parse(key + "=" + value);
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->Get(key), value);
  // 513 bytes alone: larger than any header we may send, so it is dropped whole.
  EXPECT_EQ(ts->ToHeader(), "");
}

TEST(TraceStateTest, GarbageNeverCrashesAndParsedStatesRoundTrip) {
  std::mt19937 rng(20240501);
  const std::vector<std::string> seeds = {"congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
                                          "a@b=1, c=2 ,,d=x y", Members(32), "k=v"};
  const std::string alphabet = "az09_-*/@=, \t~\x7f\x01Z";
  int parsed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string s = ::llmtrace::testing::MutateString(seeds[i % seeds.size()], rng, alphabet);
    auto ts = TraceState::Parse(s);
    if (!ts) continue;
    ++parsed;
    ASSERT_LE(ts->size(), TraceState::kMaxMembers);
    for (const auto& entry : ts->entries()) {
      ASSERT_TRUE(TraceState::IsValidKey(entry.key)) << s;
      ASSERT_TRUE(TraceState::IsValidValue(entry.value)) << s;
    }
    std::string header = ts->ToHeader();
    if (!header.empty()) {
      auto again = TraceState::Parse(header);
      ASSERT_NE(again, nullptr) << header;
      ASSERT_EQ(again->ToHeader(), header);
    }
  }
  EXPECT_GT(parsed, 100) << "the mutations should leave many headers valid";
}

}  // namespace
}  // namespace llmtrace::trace
