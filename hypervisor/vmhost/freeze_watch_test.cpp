// hypervisor/vmhost/freeze_watch_test.cpp: the freeze verdict from heartbeats, on a fake clock.
#include "hypervisor/vmhost/freeze_watch.h"

#include <gtest/gtest.h>

namespace deploylab::vmhost {
namespace {

using namespace std::chrono_literals;
using Clock = FreezeWatch::Clock;

const FreezeWatchLimits kLimits{60s, 20s};

TEST(FreezeWatch, BeatsKeepItAlive) {
  Clock::time_point t0;
  FreezeWatch watch(kLimits, t0);
  for (int i = 1; i <= 100; ++i) EXPECT_FALSE(watch.frozen_after(t0 + std::chrono::seconds(2 * i), std::to_string(i)));
}

TEST(FreezeWatch, SilenceAfterABeatIsAFreeze) {
  Clock::time_point t0;
  FreezeWatch watch(kLimits, t0);
  EXPECT_FALSE(watch.frozen_after(t0 + 10s, "1"));
  EXPECT_FALSE(watch.frozen_after(t0 + 29s, "1"));
  EXPECT_TRUE(watch.frozen_after(t0 + 30s, "1"));
  EXPECT_EQ(watch.describe(t0 + 30s), "no heartbeat for 20 s (the last one was 1)");
}

TEST(FreezeWatch, TheBootGetsLongerThanTheSilenceLimit) {
  Clock::time_point t0;
  FreezeWatch watch(kLimits, t0);
  EXPECT_FALSE(watch.frozen_after(t0 + 59s, std::nullopt));
  EXPECT_TRUE(watch.frozen_after(t0 + 60s, std::nullopt));
  EXPECT_NE(watch.describe(t0 + 60s).find("never reached its init"), std::string::npos);
}

TEST(FreezeWatch, AnyChangeCountsEvenAHalfWrittenFile) {
  Clock::time_point t0;
  FreezeWatch watch(kLimits, t0);
  EXPECT_FALSE(watch.frozen_after(t0 + 5s, "7\n"));
  EXPECT_FALSE(watch.frozen_after(t0 + 24s, ""));  // the guest truncated it to write "8"
  EXPECT_FALSE(watch.frozen_after(t0 + 43s, "8\n"));
  EXPECT_TRUE(watch.frozen_after(t0 + 63s, "8\n"));
}

}  // namespace
}  // namespace deploylab::vmhost
