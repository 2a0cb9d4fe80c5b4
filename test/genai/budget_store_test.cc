#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "src/genai/budget_store_sqlite.h"

namespace llmtrace::genai::internal {
namespace {

using ::testing::HasSubstr;

class BudgetStoreTest : public ::testing::Test {
 protected:
  BudgetStoreTest() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "budget_store_test_XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
    path_ = dir_ + "/spend.db";
  }
  ~BudgetStoreTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::unique_ptr<SqliteBudgetStore> Open() {
    auto store = SqliteBudgetStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(BudgetStoreTest, OpensInWalMode) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Result<std::string> mode = store->JournalMode();
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, "wal");
}

TEST_F(BudgetStoreTest, WrittenRowsSurviveReopeningTheFile) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write({{"daily", 1717192800, 1717279200, 1.5, 1200, true},
                             {"monthly", 1717192800, 1719784800, 20.25, 9000, false}})
                    .ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto daily = store->Load("daily", 1717192800);
  ASSERT_TRUE(daily.ok());
  ASSERT_TRUE(daily->has_value());
  EXPECT_DOUBLE_EQ((*daily)->cost, 1.5);
  EXPECT_EQ((*daily)->tokens, 1200);
  EXPECT_EQ((*daily)->window_end, 1717279200);
  EXPECT_TRUE((*daily)->soft_limit_reached);
  auto monthly = store->Load("monthly", 1717192800);
  ASSERT_TRUE(monthly.ok() && monthly->has_value());
  EXPECT_DOUBLE_EQ((*monthly)->cost, 20.25);
  EXPECT_FALSE((*monthly)->soft_limit_reached);
}

TEST_F(BudgetStoreTest, RowsAreKeyedByBudgetAndWindowStart) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write({{"daily", 100, 200, 1.0, 10, false}}).ok());
  ASSERT_TRUE(store->Write({{"daily", 100, 200, 3.0, 30, false}}).ok());  // overwrites
  ASSERT_TRUE(store->Write({{"daily", 200, 300, 5.0, 50, false}}).ok());  // the next window
  auto first = store->Load("daily", 100);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_DOUBLE_EQ((*first)->cost, 3.0);
  auto second = store->Load("daily", 200);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_DOUBLE_EQ((*second)->cost, 5.0);
  auto missing = store->Load("daily", 300);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto other = store->Load("weekly", 100);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TEST_F(BudgetStoreTest, OpeningAnImpossiblePathNamesIt) {
  auto store = SqliteBudgetStore::Open(dir_ + "/no/such/dir/spend.db");
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(dir_ + "/no/such/dir/spend.db"));
}

TEST_F(BudgetStoreTest, AFileThatIsNotADatabaseIsRejected) {
  {
    std::FILE* file = std::fopen(path_.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("this is not an sqlite database, just text that is long enough to matter\n", file);
    std::fclose(file);
  }
  auto store = SqliteBudgetStore::Open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr(path_));
}

}  // namespace
}  // namespace llmtrace::genai::internal
