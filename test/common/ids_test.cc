#include "llmtrace/common/ids.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <thread>

namespace llmtrace {
namespace {

TEST(IdsTest, HexRoundTripsAndRejectsBadInput) {
  auto id = TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_TRUE(id->IsValid());
  EXPECT_FALSE(TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e473"));   // short
  EXPECT_FALSE(TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e473g"));  // not hex
  EXPECT_FALSE(SpanId::FromHex("0000000000000000")->IsValid());
}

TEST(IdsTest, GeneratedIdsAreValidAndDistinctAcrossThreads) {
  std::set<std::string> seen;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> local;
      for (int i = 0; i < 5000; ++i) {
        TraceId id = RandomIdGenerator::Instance().NewTraceId();
        EXPECT_TRUE(id.IsValid());
        local.push_back(id.ToHex());
      }
      std::lock_guard lock(mutex);
      seen.insert(local.begin(), local.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 20000u);
}

TEST(IdsTest, AForkedChildDoesNotRepeatTheParentsIds) {
  (void)RandomIdGenerator::Instance().NewSpanId();  // seed this thread's generator
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    SpanId child = RandomIdGenerator::Instance().NewSpanId();
    ssize_t written = write(fds[1], child.bytes().data(), 8);
    _exit(written == 8 ? 0 : 1);
  }
  SpanId parent = RandomIdGenerator::Instance().NewSpanId();
  SpanId child;
  ASSERT_EQ(read(fds[0], child.mutable_bytes().data(), 8), 8);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  close(fds[1]);
  EXPECT_NE(parent, child);
}

}  // namespace
}  // namespace llmtrace
