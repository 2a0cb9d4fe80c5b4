#include <gtest/gtest.h>

#include <string>

#include "llmtrace/common/arena.h"
#include "llmtrace/common/attribute_set.h"
#include "llmtrace/common/strings.h"

namespace llmtrace {
namespace {

TEST(ArenaTest, CopiesOutliveTheirSourcesAndLargeValuesGetTheirOwnBlock) {
  Arena arena(64);
  std::string small = "hello";
  std::string large(1000, 'x');
  std::string_view a = arena.CopyString(small);
  std::string_view b = arena.CopyString(large);
  small = "HELLO";
  large.assign(1000, 'y');
  EXPECT_EQ(a, "hello");
  EXPECT_EQ(b, std::string(1000, 'x'));
}

TEST(ArenaTest, ResetKeepsBlocksWithinTheRetentionCapOnly) {
  Arena arena(/*block_size=*/128, /*retained_bytes=*/256);
  for (int i = 0; i < 10; ++i) (void)arena.CopyString(std::string(100, 'a'));
  EXPECT_GT(arena.capacity(), 256u);
  arena.Reset();
  EXPECT_LE(arena.capacity(), 256u);
  EXPECT_EQ(arena.CopyString("again"), "again");
}

TEST(AttributeSetTest, KeepsInsertionOrderReplacesInPlaceAndCountsDrops) {
  AttributeSet set({}, AttributeLimits{.max_count = 2, .max_value_length = 3});
  EXPECT_TRUE(set.Set("a", "long value"));
  EXPECT_TRUE(set.Set("b", 2));
  EXPECT_FALSE(set.Set("c", 3));
  EXPECT_TRUE(set.Set("a", true));
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set.entries()[0].key, "a");
  EXPECT_TRUE(set.Find("a")->AsBool());
  EXPECT_EQ(set.dropped(), 1u);
  AttributeSet copy = set;
  set.Set("b", 99);
  EXPECT_EQ(copy.Find("b")->AsInt(), 2);
  AttributeSet assigned;
  assigned = copy;  // copy-assignment builds a copy and moves it in
  EXPECT_EQ(assigned.Find("b")->AsInt(), 2);
  EXPECT_EQ(assigned.dropped(), 1u);
}

TEST(AttributeValueTest, PrintsReadablyAndComparesDeeply) {
  std::string_view reasons[] = {"stop", "length"};
  std::string_view same[] = {"stop", "length"};
  AttributeValue a = std::span<const std::string_view>(reasons);
  AttributeValue b = std::span<const std::string_view>(same);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.ToString(), "[\"stop\", \"length\"]");
  EXPECT_EQ(AttributeValue(0.25).ToString(), "0.25");
  EXPECT_EQ(AttributeValue(std::int64_t{-3}).ToString(), "-3");
  EXPECT_FALSE(AttributeValue(1) == AttributeValue(1.0));
}

TEST(StringsTest, PercentDecodeRejectsTruncatedEscapes) {
  EXPECT_EQ(*PercentDecode("a%2Cb%20c"), "a,b c");
  EXPECT_FALSE(PercentDecode("bad%2"));
  EXPECT_FALSE(PercentDecode("bad%zz"));
  EXPECT_EQ(FormatDouble(1e-9), "1e-09");
}

}  // namespace
}  // namespace llmtrace
