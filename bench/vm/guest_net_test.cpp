// bench/vm/guest_net_test.cpp: reading the network lines of the guest and the host (guest_net.h).
#include "bench/vm/guest_net.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace deploylab::bench {
namespace {

using ::testing::HasSubstr;

TEST(StreamGbitPerSecond, BytesOverSecondsInGigabits) {
  auto gbit = stream_gbit_per_s(R"({"bytes":4194304,"seconds":0.500000})");
  ASSERT_TRUE(gbit.has_value());
  EXPECT_NEAR(*gbit, 4194304.0 * 8 / 0.5 / 1e9, 1e-9);
}

TEST(StreamGbitPerSecond, AnythingElseIsNoFigure) {
  EXPECT_FALSE(stream_gbit_per_s("net-probe: connect 10.0.2.1:7000: Network is unreachable"));
  EXPECT_FALSE(stream_gbit_per_s(R"({"bytes":4194304})")) << "no time";
  EXPECT_FALSE(stream_gbit_per_s(R"({"bytes":4194304,"seconds":0})")) << "no division by zero";
  EXPECT_FALSE(stream_gbit_per_s(R"({"bytes":"4","seconds":1})")) << "not a number";
  EXPECT_FALSE(stream_gbit_per_s(R"({"rr_us":[1.0]})"));
  EXPECT_FALSE(stream_gbit_per_s(""));
}

TEST(ReadNetLines, RoundTripsAndThroughputFromTheConsole) {
  NetFigures f = read_net_lines({"[    2.1] random kernel line",
                                 "deploylab-bench: net {\"rr_us\":[61.20,58.93]} ",
                                 "deploylab-bench: net_stream {\"bytes\":1048576,\"seconds\":0.100000}\r"});
  EXPECT_EQ(f.rr_us, (std::vector<double>{61.2, 58.93}));
  ASSERT_TRUE(f.gbit_per_s.has_value());
  EXPECT_NEAR(*f.gbit_per_s, 1048576.0 * 8 / 0.1 / 1e9, 1e-9);
  EXPECT_EQ(f.problem, "");
}

TEST(ReadNetLines, AFailedProbeIsTheProblem) {
  NetFigures f = read_net_lines({"deploylab-bench: net net-probe: connect 10.0.2.1:7000: Network is unreachable ",
                                 "deploylab-bench: net_stream net-probe: connect 10.0.2.1:7000: Network is unreachable"});
  EXPECT_TRUE(f.rr_us.empty());
  EXPECT_FALSE(f.gbit_per_s.has_value());
  EXPECT_EQ(f.problem, "net-probe rr: net-probe: connect 10.0.2.1:7000: Network is unreachable") << "the first one";
}

TEST(ReadNetLines, ConfiguringEth0FailedSaysSo) {
  NetFigures f = read_net_lines({"deploylab-bench: net configuring eth0 failed: ip: SIOCGIFFLAGS: No such device "});
  EXPECT_THAT(f.problem, HasSubstr("configuring eth0 failed: ip: SIOCGIFFLAGS: No such device"));
}

TEST(ReadNetLines, NoNetworkLinesNoFiguresNoProblem) {
  NetFigures f = read_net_lines({"deploylab-bench: compute millions=10 ms=25.3 checksum=ab"});
  EXPECT_TRUE(f.rr_us.empty());
  EXPECT_FALSE(f.gbit_per_s.has_value());
  EXPECT_EQ(f.problem, "");
}

}  // namespace
}  // namespace deploylab::bench
