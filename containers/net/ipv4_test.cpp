// containers/net/ipv4_test.cpp: IPv4 addresses and subnets as numbers (ipv4.h).
#include "containers/net/ipv4.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

Ipv4Address ip(const char* text) { return parse_ipv4(text).value(); }

TEST(Ipv4, ParsesDottedQuadsAndPrintsThemBack) {
  EXPECT_EQ(parse_ipv4("10.88.0.7").value().value, 0x0A580007u) << "10.88.0.7 is 0x0A580007 in host byte order";
  EXPECT_EQ(parse_ipv4("255.255.255.255").value().value, 0xFFFFFFFFu);
  EXPECT_EQ(parse_ipv4("0.0.0.0").value().value, 0u);
  EXPECT_EQ(to_string(ip("192.168.1.20")), "192.168.1.20");
}

TEST(Ipv4, RefusesWhatIsNotFourNumbers) {
  for (const char* bad : {"", "10.88.0", "10.88.0.1.2", "10.88.0.256", "10.88..1", "a.b.c.d", "10.88.0.-1", " 10.88.0.1",
                          "10.88.0.1 ", "1000.1.1.1"}) {
    EXPECT_FALSE(parse_ipv4(bad).ok()) << "\"" << bad << "\" must be refused";
  }
}

TEST(Subnet, GatewayBroadcastAndContains) {
  Subnet s = parse_subnet("10.88.0.0/24").value();
  EXPECT_EQ(to_string(s.gateway()), "10.88.0.1") << "the gateway is the first host address";
  EXPECT_EQ(to_string(s.broadcast()), "10.88.0.255");
  EXPECT_TRUE(s.contains(ip("10.88.0.200")));
  EXPECT_FALSE(s.contains(ip("10.88.1.1")));
  EXPECT_EQ(s.assignable_count(), 253u) << "256 minus network, gateway and broadcast";
  Subnet small = parse_subnet("192.168.7.8/30").value();
  EXPECT_EQ(to_string(small.broadcast()), "192.168.7.11");
  EXPECT_EQ(small.assignable_count(), 1u);
  EXPECT_EQ(to_string(small), "192.168.7.8/30");
}

TEST(Subnet, RefusesBadCidrs) {
  for (const char* bad : {"10.88.0.0", "10.88.0.0/", "10.88.0.0/33", "10.88.0.0/31", "10.0.0.0/7", "10.88.0.1/24", "10.88.0.0/x"}) {
    EXPECT_FALSE(parse_subnet(bad).ok()) << "\"" << bad << "\" must be refused";
  }
  auto host_bits = parse_subnet("10.88.0.1/24");
  ASSERT_FALSE(host_bits.ok());
  EXPECT_NE(host_bits.error().message().find("10.88.0.0/24"), std::string::npos)
      << "the error suggests the subnet that was meant: " << host_bits.error().message();
}

TEST(Subnet, NextAssignableSkipsGatewayAndBroadcastAndWraps) {
  Subnet s = parse_subnet("10.88.0.0/29").value();  // .0 network, .1 gateway, .2-.6, .7 broadcast
  EXPECT_EQ(to_string(s.next_assignable(s.gateway())), "10.88.0.2");
  EXPECT_EQ(to_string(s.next_assignable(ip("10.88.0.2"))), "10.88.0.3");
  EXPECT_EQ(to_string(s.next_assignable(ip("10.88.0.6"))), "10.88.0.2") << "after the last one, back to the first";
  EXPECT_EQ(to_string(s.next_assignable(ip("192.168.0.9"))), "10.88.0.2") << "an address outside starts at the first";
  EXPECT_TRUE(s.is_assignable(ip("10.88.0.6")));
  EXPECT_FALSE(s.is_assignable(ip("10.88.0.7")));
}

TEST(Subnet, Overlaps) {
  Subnet a = parse_subnet("10.88.0.0/16").value();
  EXPECT_TRUE(a.overlaps(parse_subnet("10.88.5.0/24").value()));
  EXPECT_TRUE(parse_subnet("10.88.5.0/24").value().overlaps(a));
  EXPECT_FALSE(a.overlaps(parse_subnet("10.89.0.0/24").value()));
}

}  // namespace
}  // namespace deploylab::ctr
