#include "llmtrace/common/internal_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmtrace {
namespace {

TEST(InternalLogTest, RateLimitedLogPrintsOncePerIntervalAndCountsTheRest) {
  std::vector<std::string> lines;
  InternalLogHandler previous = SetInternalLogHandler(
      [&lines](LogLevel, std::string_view message) { lines.emplace_back(message); });
  RateLimitedLog log(std::chrono::hours(1));
  for (int i = 0; i < 5; ++i) log.Warn([] { return "queue full"; });
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "queue full");
  RateLimitedLog fast(std::chrono::nanoseconds(0));
  fast.Warn([] { return "a"; });
  EXPECT_EQ(lines.back(), "a");
  SetInternalLogHandler(std::move(previous));
}

TEST(InternalLogTest, MessagesBelowTheLevelAreNotDelivered) {
  std::vector<std::string> lines;
  InternalLogHandler previous = SetInternalLogHandler(
      [&lines](LogLevel, std::string_view message) { lines.emplace_back(message); });
  InternalLog(LogLevel::kInfo, "hidden");
  InternalLog(LogLevel::kError, "shown");
  SetInternalLogLevel(ParseLogLevel("debug", LogLevel::kWarning));
  InternalLog(LogLevel::kDebug, "now shown");
  SetInternalLogLevel(LogLevel::kWarning);
  SetInternalLogHandler(std::move(previous));
  EXPECT_EQ(lines, (std::vector<std::string>{"shown", "now shown"}));
}

TEST(InternalLogTest, AThrowingHandlerDoesNotEscape) {
  InternalLogHandler previous = SetInternalLogHandler(
      [](LogLevel, std::string_view) { throw std::runtime_error("handler bug"); });
  InternalLog(LogLevel::kError, "x");  // must not throw or terminate
  SetInternalLogHandler(std::move(previous));
  SUCCEED();
}

}  // namespace
}  // namespace llmtrace
