#include "llmtrace/common/environment.h"

#include <gtest/gtest.h>

namespace llmtrace {
namespace {

TEST(EnvironmentReaderTest, EmptyMeansUnsetAndValuesAreTrimmed) {
  MapEnvironment env{{"EMPTY", ""}, {"SPACES", "   "}, {"PADDED", "  value \t"}};
  EnvironmentReader reader(env);
  EXPECT_FALSE(reader.GetString("EMPTY"));
  EXPECT_FALSE(reader.GetString("SPACES"));
  EXPECT_FALSE(reader.GetString("MISSING"));
  EXPECT_EQ(*reader.GetString("PADDED"), "value");
  EXPECT_EQ(reader.GetInt("EMPTY", 7), 7);
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(EnvironmentReaderTest, OnlyTrueInAnyCaseIsTrue) {
  MapEnvironment env{{"A", "true"}, {"B", "TRUE"}, {"C", "false"}, {"D", "1"}, {"E", "yes"}};
  EnvironmentReader reader(env);
  EXPECT_TRUE(reader.GetBool("A", false));
  EXPECT_TRUE(reader.GetBool("B", false));
  EXPECT_FALSE(reader.GetBool("C", true));
  EXPECT_FALSE(reader.GetBool("D", true));
  EXPECT_FALSE(reader.GetBool("E", true));
  EXPECT_TRUE(reader.GetBool("MISSING", true));
  // "1" and "yes" are invalid booleans: reported, read as false.
  ASSERT_EQ(reader.warnings().size(), 2u);
  EXPECT_NE(reader.warnings()[0].find("D: expected true or false, got '1'"), std::string::npos);
}

TEST(EnvironmentReaderTest, InvalidNumbersFallBackAndNameTheVariable) {
  MapEnvironment env{{"N", "12x"},  {"BIG", "99999999999999999999"},
                     {"NEG", "-5"}, {"OK", "42"},
                     {"D", "0.5"},  {"DBAD", "nan"}};
  EnvironmentReader reader(env);
  EXPECT_EQ(reader.GetInt("N", 3), 3);
  EXPECT_EQ(reader.GetInt("BIG", 3), 3);
  EXPECT_EQ(reader.GetInt("NEG", 3, 0), 3);
  EXPECT_EQ(reader.GetInt("OK", 3, 0, 100), 42);
  EXPECT_EQ(reader.GetDouble("D", 1.0, 0.0, 1.0), 0.5);
  EXPECT_EQ(reader.GetDouble("DBAD", 1.0, 0.0, 1.0), 1.0);
  ASSERT_EQ(reader.warnings().size(), 4u);
  EXPECT_EQ(reader.warnings()[0], "N: expected an integer, got '12x'; using 3");
  EXPECT_EQ(reader.warnings()[2], "NEG: expected an integer >= 0, got '-5'; using 3");
}

TEST(EnvironmentReaderTest, DurationsAreMilliseconds) {
  MapEnvironment env{{"T", "1500"}};
  EnvironmentReader reader(env);
  EXPECT_EQ(reader.GetMilliseconds("T", std::chrono::seconds(1)), std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace llmtrace
