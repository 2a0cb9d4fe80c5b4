#include "llmtrace/common/status.h"

#include <gtest/gtest.h>

#include "llmtrace/common/result.h"

namespace llmtrace {
namespace {

TEST(StatusTest, DefaultIsOkAndPrintsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndContext) {
  Status s = UnavailableError("connection refused").WithContext("otlp export to http://x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.ToString(), "unavailable: otlp export to http://x: connection refused");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  EXPECT_TRUE(good.status().ok());

  Result<int> bad = InvalidArgumentError("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(ResultTest, AnOkStatusCannotMasqueradeAsAnError) {
  Result<int> r = Status::Ok();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ResultDeathTest, ValueOfAnErrorAbortsWithTheStatus) {
  Result<int> bad = NotFoundError("model gpt-9");
  EXPECT_DEATH((void)bad.value(), "model gpt-9");
}

}  // namespace
}  // namespace llmtrace
