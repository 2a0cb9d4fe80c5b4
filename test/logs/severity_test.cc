#include "llmtrace/logs/severity.h"

#include <gtest/gtest.h>

namespace llmtrace::logs {
namespace {

TEST(SeverityTest, NamesFollowTheOtelScale) {
  EXPECT_EQ(static_cast<int>(Severity::kInfo), 9);
  EXPECT_EQ(static_cast<int>(Severity::kFatal4), 24);
  EXPECT_EQ(SeverityText(Severity::kWarn), "WARN");
  EXPECT_EQ(SeverityText(Severity::kError3), "ERROR3");
  EXPECT_EQ(SeverityText(Severity::kUnspecified), "");
}

TEST(SeverityTest, ParsesShortNamesAndCommonAliases) {
  EXPECT_EQ(ParseSeverity("info"), Severity::kInfo);
  EXPECT_EQ(ParseSeverity("DEBUG2"), Severity::kDebug2);
  EXPECT_EQ(ParseSeverity("warning"), Severity::kWarn);
  EXPECT_EQ(ParseSeverity("critical"), Severity::kFatal);
  EXPECT_FALSE(ParseSeverity("loud"));
  EXPECT_FALSE(ParseSeverity(""));
}

}  // namespace
}  // namespace llmtrace::logs
