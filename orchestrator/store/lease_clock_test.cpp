// orchestrator/store/lease_clock_test.cpp: unit tests of lease deadlines (lease_clock.h), with
// the time passed in instead of slept.
#include "orchestrator/store/lease_clock.h"

#include <gtest/gtest.h>

namespace deploylab::store {
namespace {

using namespace std::chrono_literals;
using Clock = LeaseClock::Clock;

TEST(LeaseClock, ALeaseExpiresItsTtlAfterItStarted) {
  LeaseClock clock;
  const Clock::time_point t0{};
  clock.start(7, 10, t0);
  EXPECT_EQ(clock.remaining(7, t0 + 2500ms), 7) << "whole seconds left, rounded down";
  EXPECT_TRUE(clock.expired(t0 + 9s).empty());
  EXPECT_EQ(clock.expired(t0 + 10s), (std::vector<LeaseId>{7}));
}

TEST(LeaseClock, AKeepaliveRestartsTheCountdown) {
  LeaseClock clock;
  const Clock::time_point t0{};
  clock.start(7, 10, t0);
  EXPECT_EQ(clock.renew(7, t0 + 8s), 10);
  EXPECT_TRUE(clock.expired(t0 + 12s).empty()) << "renewed at 8 s, so it lives until 18 s";
  EXPECT_EQ(clock.expired(t0 + 18s), (std::vector<LeaseId>{7}));
}

TEST(LeaseClock, AnExpiredLeaseIsHandedOutOnceAndCannotBeRenewed) {
  LeaseClock clock;
  const Clock::time_point t0{};
  clock.start(7, 1, t0);
  EXPECT_EQ(clock.expired(t0 + 2s).size(), 1u);
  EXPECT_TRUE(clock.expired(t0 + 3s).empty()) << "already being revoked";
  EXPECT_EQ(clock.renew(7, t0 + 3s), std::nullopt) << "too late: the holder must grant a new lease";
  clock.forget(7);
  EXPECT_EQ(clock.remaining(7, t0 + 3s), std::nullopt);
}

TEST(LeaseClock, UnknownLeasesHaveNoDeadline) {
  LeaseClock clock;
  EXPECT_EQ(clock.renew(42, Clock::now()), std::nullopt);
  EXPECT_EQ(clock.remaining(42, Clock::now()), std::nullopt);
}

}  // namespace
}  // namespace deploylab::store
