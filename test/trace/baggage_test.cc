#include "llmtrace/trace/baggage.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "test/support/string_mutator.h"

namespace llmtrace::trace {
namespace {

std::string Members(int count) {
  std::string header;
  for (int i = 0; i < count; ++i) {
    if (i > 0) header += ',';
    header += "k" + std::to_string(i) + "=v" + std::to_string(i);
  }
  return header;
}

// A member of exactly `size` bytes: "kNNNN=" followed by 'x's.
std::string MemberOfSize(int index, std::size_t size) {
  std::string member = "k" + std::to_string(10000 + index) + "=";
  member += std::string(size - member.size(), 'x');
  return member;
}

TEST(BaggageTest, ParsesMembersInOrder) {
  auto baggage = Baggage::Parse("userId=alice,serverNode=DF%2028,isProduction=false");
  ASSERT_NE(baggage, nullptr);
  ASSERT_EQ(baggage->size(), 3u);
  EXPECT_EQ(baggage->entries()[0].key, "userId");
  EXPECT_EQ(baggage->Get("userId"), "alice");
  EXPECT_EQ(baggage->Get("serverNode"), "DF 28");
  EXPECT_EQ(baggage->Get("isProduction"), "false");
  EXPECT_FALSE(baggage->Get("userid").has_value()) << "keys are case-sensitive";
}

TEST(BaggageTest, ReturnsNullWhenNothingValidIsLeft) {
  EXPECT_EQ(Baggage::Parse(""), nullptr);
  EXPECT_EQ(Baggage::Parse(" , ,"), nullptr);
  EXPECT_EQ(Baggage::Parse("no-equals,=novalue,bad key=1"), nullptr);
}

TEST(BaggageTest, AllowsOwsAroundEveryDelimiter) {
  auto baggage = Baggage::Parse(" k1 \t= v1 ;  p1 ; p2 = x ,\tk2=v2\t");
  ASSERT_NE(baggage, nullptr);
  ASSERT_EQ(baggage->size(), 2u);
  EXPECT_EQ(baggage->Get("k1"), "v1");
  EXPECT_EQ(baggage->Find("k1")->metadata, "p1 ; p2 = x");
  EXPECT_EQ(baggage->Get("k2"), "v2");
  EXPECT_EQ(baggage->Find("k2")->metadata, "");
}

TEST(BaggageTest, PercentDecodesValuesButNotKeys) {
  auto baggage = Baggage::Parse("k%41=hello%20world%2C%3B%25%e2%82%ac");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->Get("k%41"), "hello world,;%\xE2\x82\xAC");
}

TEST(BaggageTest, KeepsAPlusSignAsAPlusSign) {
  auto baggage = Baggage::Parse("k=a+b");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->Get("k"), "a+b");
}

TEST(BaggageTest, ReplacesInvalidUtf8WithTheReplacementCharacter) {
  auto baggage = Baggage::Parse("a=%FF,b=x%C3,c=%C3%A9,d=%ED%A0%80z,e=%E2%82");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->Get("a"), "\xEF\xBF\xBD");
  EXPECT_EQ(baggage->Get("b"), "x\xEF\xBF\xBD");
  EXPECT_EQ(baggage->Get("c"), "\xC3\xA9");
  EXPECT_EQ(baggage->Get("d"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");  // a surrogate
  EXPECT_EQ(baggage->Get("e"), "\xEF\xBF\xBD") << "a truncated sequence is one replacement";
}

TEST(BaggageTest, PercentEncodingRoundTrips) {
  const std::string value = "a b,c;d%e\"f\\g=h\xC3\xA9\x01~";
  auto baggage = Baggage::Empty()->Set("k", value);
  std::string header = baggage->ToHeader();
  EXPECT_EQ(header, "k=a%20b%2Cc%3Bd%25e%22f%5Cg=h%C3%A9%01~");
  auto parsed = Baggage::Parse(header);
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(parsed->Get("k"), value);
  EXPECT_EQ(parsed->ToHeader(), header);
}

TEST(BaggageTest, PreservesPropertiesThroughARoundTrip) {
  auto baggage = Baggage::Parse(
      "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue");
  ASSERT_NE(baggage, nullptr);
  ASSERT_EQ(baggage->size(), 3u);
  EXPECT_EQ(baggage->Find("key1")->metadata, "property1;property2");
  EXPECT_EQ(baggage->Find("key3")->metadata, "propertyKey=propertyValue");
  EXPECT_EQ(baggage->ToHeader(),
            "key1=value1;property1;property2,key2=value2,key3=value3;propertyKey=propertyValue");
}

TEST(BaggageTest, SkipsInvalidMembersOneByOne) {
  auto baggage = Baggage::Parse(
      "good=1,bad key=2,=3,nokey,pct=%zz,pct2=50%,space=a b,quote=\"x\",back=a\\b,"
      "emptyprop=1;,badprop=1;bad prop,ok=2");
  ASSERT_NE(baggage, nullptr);
  ASSERT_EQ(baggage->size(), 2u) << baggage->ToHeader();
  EXPECT_EQ(baggage->Get("good"), "1");
  EXPECT_EQ(baggage->Get("ok"), "2");
}

TEST(BaggageTest, AcceptsEmptyValuesAndTokenKeys) {
  auto baggage = Baggage::Parse("empty=,!#$%&'*+-.^_`|~09azAZ=v;flag;p=");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->Get("empty"), "");
  EXPECT_EQ(baggage->Get("!#$%&'*+-.^_`|~09azAZ"), "v");
  EXPECT_EQ(baggage->Find("!#$%&'*+-.^_`|~09azAZ")->metadata, "flag;p=");
}

TEST(BaggageTest, RejectsKeysThatAreNotTokens) {
  for (const char* key : {"", "a b", "a(b", "a)b", "a/b", "a:b", "a@b", "a[b", "a{b", "a\"b",
                          "a\\b", "a?b", "caf\xc3\xa9"}) {
    EXPECT_FALSE(Baggage::IsValidKey(key)) << key;
    EXPECT_EQ(Baggage::Parse(std::string(key) + "=v,ok=1")->size(), 1u) << key;
  }
  EXPECT_TRUE(Baggage::IsValidKey("a.b-c_d~e"));
}

TEST(BaggageTest, ALaterDuplicateKeyReplacesTheEarlierValue) {
  auto baggage = Baggage::Parse("a=1,b=2,a=3;p");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->ToHeader(), "a=3;p,b=2");
}

TEST(BaggageTest, ParseKeepsTheFirstSixtyFourMembers) {
  auto baggage = Baggage::Parse(Members(70));
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->size(), 64u);
  EXPECT_EQ(baggage->Get("k63"), "v63");
  EXPECT_FALSE(baggage->Get("k64").has_value());
  EXPECT_EQ(baggage->ToHeader(), Members(64));
}

TEST(BaggageTest, ToHeaderWritesAtMostSixtyFourMembers) {
  auto baggage = Baggage::Empty();
  for (int i = 0; i < 70; ++i) baggage = baggage->Set("k" + std::to_string(i), "v");
  EXPECT_EQ(baggage->size(), 70u);
  auto reparsed = Baggage::Parse(baggage->ToHeader());
  ASSERT_NE(reparsed, nullptr);
  EXPECT_EQ(reparsed->size(), 64u);
  EXPECT_TRUE(reparsed->Get("k63").has_value());
  EXPECT_FALSE(reparsed->Get("k64").has_value());
}

TEST(BaggageTest, ParseDropsWholeMembersBeyond8192Bytes) {
  std::string header;
  for (int i = 0; i < 8; ++i) header += (i ? "," : "") + MemberOfSize(i, 1000);
  ASSERT_EQ(header.size(), 8007u);
  header += ",ab";                          // invalid (no '='): skipped, takes no room
  header += ",y=";                          // 8010
  header += ",q=" + std::string(175, 'x');  // 8188
  header += ",z=12345";                     // would be 8196: dropped whole
  header += ",w";                           // invalid
  header += ",s=";                          // 8191: still fits
  header += ",t=";                          // would be 8194: dropped whole
  auto baggage = Baggage::Parse(header);
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->size(), 11u);
  EXPECT_TRUE(baggage->Get("q").has_value());
  EXPECT_FALSE(baggage->Get("z").has_value());
  EXPECT_TRUE(baggage->Get("s").has_value());
  EXPECT_FALSE(baggage->Get("t").has_value());
  std::string out = baggage->ToHeader();
  EXPECT_EQ(out.size(), 8191u);
  EXPECT_EQ(out.substr(out.size() - 3), ",s=") << "no partial member at the end";
}

TEST(BaggageTest, AHeaderOfExactly8192BytesIsKeptWhole) {
  std::string header;
  for (int i = 0; i < 8; ++i) header += (i ? "," : "") + MemberOfSize(i, 1000);
  header += "," + MemberOfSize(8, 8192 - header.size() - 1);
  ASSERT_EQ(header.size(), 8192u);
  auto baggage = Baggage::Parse(header);
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->size(), 9u);
  EXPECT_EQ(baggage->ToHeader(), header);
}

TEST(BaggageTest, AMemberTooLargeToFitIsDroppedButLaterOnesAreKept) {
  std::string huge = MemberOfSize(0, 9000);
  auto baggage = Baggage::Parse("a=1," + huge + ",b=2");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->ToHeader(), "a=1,b=2");
}

TEST(BaggageTest, ToHeaderRespectsTheByteLimitAfterEncoding) {
  // 3000 spaces encode to 9000 bytes: the member cannot be sent and is dropped whole.
  auto baggage = Baggage::Empty()->Set("a", "1")->Set("big", std::string(3000, ' '))->Set("b", "2");
  EXPECT_EQ(baggage->ToHeader(), "a=1,b=2");
  // Many members that fit alone but not together: a prefix of whole members is sent.
  auto many = Baggage::Empty();
  for (int i = 0; i < 40; ++i) many = many->Set("k" + std::to_string(i), std::string(250, '%'));
  std::string out = many->ToHeader();
  EXPECT_LE(out.size(), Baggage::kMaxHeaderSize);
  auto reparsed = Baggage::Parse(out);
  ASSERT_NE(reparsed, nullptr);
  for (const auto& entry : reparsed->entries()) {
    EXPECT_EQ(entry.value, std::string(250, '%')) << "member " << entry.key << " was cut";
  }
  EXPECT_EQ(reparsed->size(), 10u);  // 10 * (3 or 4 + 750) + 9 commas <= 8192 < 11 * ...
}

TEST(BaggageTest, SetUpdatesInPlaceAndAppendsNewKeys) {
  auto baggage = Baggage::Parse("a=1,b=2");
  ASSERT_NE(baggage, nullptr);
  auto updated = baggage->Set("a", "10", "p=1")->Set("c", "3");
  EXPECT_EQ(updated->ToHeader(), "a=10;p=1,b=2,c=3");
  EXPECT_EQ(baggage->ToHeader(), "a=1,b=2") << "the original is immutable";
}

TEST(BaggageTest, SetRefusesInvalidKeysAndMetadata) {
  auto baggage = Baggage::Parse("a=1");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->Set("bad key", "x"), baggage);
  EXPECT_EQ(baggage->Set("", "x"), baggage);
  EXPECT_EQ(baggage->Set("k=", "x"), baggage);
  EXPECT_EQ(baggage->Set("k", "x", "bad prop"), baggage);
  EXPECT_EQ(baggage->Set("k", "x", "p;;q"), baggage);
  EXPECT_NE(baggage->Set("k", "any bytes, even ;\"\\"), baggage);
}

TEST(BaggageTest, RemoveDropsOnlyThatKey) {
  auto baggage = Baggage::Parse("a=1,b=2,c=3");
  ASSERT_NE(baggage, nullptr);
  EXPECT_EQ(baggage->Remove("b")->ToHeader(), "a=1,c=3");
  EXPECT_EQ(baggage->Remove("zz"), baggage);
  EXPECT_TRUE(baggage->Remove("a")->Remove("b")->Remove("c")->empty());
  EXPECT_EQ(baggage->size(), 3u);
}

TEST(BaggageTest, EmptyBaggagePrintsNothing) {
  EXPECT_TRUE(Baggage::Empty()->empty());
  EXPECT_EQ(Baggage::Empty()->ToHeader(), "");
}

TEST(BaggageTest, GarbageNeverCrashesAndParsedBaggageRoundTrips) {
  std::mt19937 rng(424242);
  const std::vector<std::string> seeds = {"userId=alice,serverNode=DF%2028,isProduction=false",
                                          "k1 = v1 ; p1 ; p2 = x , k2=v2", "a=%C3%A9%FF,b=;c",
                                          Members(70)};
  const std::string alphabet = "aZ09=,;% \t\"\\~!%2C%FF";
  int parsed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string s = ::llmtrace::testing::MutateString(seeds[i % seeds.size()], rng, alphabet);
    auto baggage = Baggage::Parse(s);
    if (!baggage) continue;
    ++parsed;
    ASSERT_LE(baggage->size(), Baggage::kMaxMembers);
    std::string header = baggage->ToHeader();
    ASSERT_LE(header.size(), Baggage::kMaxHeaderSize);
    auto again = Baggage::Parse(header);
    ASSERT_NE(again, nullptr) << header;
    ASSERT_EQ(again->entries(), baggage->entries()) << s;
  }
  EXPECT_GT(parsed, 1000);
}

}  // namespace
}  // namespace llmtrace::trace
