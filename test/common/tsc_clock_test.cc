#include "src/common/tsc_clock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace llmtrace::internal {
namespace {

std::int64_t SystemNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Median distance between the clock and the system clock read just before and after it.
std::int64_t MedianErrorNs(TscWallClock& clock, int samples) {
  std::vector<std::int64_t> errors;
  for (int i = 0; i < samples; ++i) {
    std::int64_t before = SystemNanos();
    std::int64_t reading = clock.Now().time_since_epoch().count();
    std::int64_t after = SystemNanos();
    errors.push_back(std::llabs(reading - (before + after) / 2));
  }
  std::nth_element(errors.begin(), errors.begin() + samples / 2, errors.end());
  return errors[samples / 2];
}

TEST(TscWallClockTest, ADisabledClockIsTheSystemClock) {
  TscWallClock clock(/*enabled=*/false);
  EXPECT_FALSE(clock.enabled());
  EXPECT_LT(MedianErrorNs(clock, 1000), 50'000);
}

TEST(TscWallClockTest, CalibratesAndThenAgreesWithTheSystemClock) {
  TscWallClock clock(/*enabled=*/true);
  // Calibration needs a 10 ms baseline; read until it completes (bounded).
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!clock.calibrated() && std::chrono::steady_clock::now() < give_up) {
    (void)clock.Now();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(clock.calibrated());
  // Within 20 us at the median (seen here: tens of nanoseconds); preemption between the reads
  // only makes single samples worse, which the median ignores.
  EXPECT_LT(MedianErrorNs(clock, 20000), 20'000);
}

TEST(TscWallClockTest, ReadingsNeverGoBackwardsOnOneThreadBetweenReanchors) {
  TscWallClock clock(/*enabled=*/true);
  std::this_thread::sleep_for(std::chrono::milliseconds(15));
  (void)clock.Now();
  Timestamp previous = clock.Now();
  int backwards = 0;
  for (int i = 0; i < 200000; ++i) {
    Timestamp now = clock.Now();
    // A re-anchor may step by the residual error (microseconds at most); count larger steps.
    if (now < previous - std::chrono::microseconds(50)) ++backwards;
    previous = now;
  }
  EXPECT_EQ(backwards, 0);
}

}  // namespace
}  // namespace llmtrace::internal
